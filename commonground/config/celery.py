"""The Celery app: periodic case work (the deadline tick every 5 minutes, digests daily at 08:00).

Celery is optional. Without CELERY_BROKER_URL, tasks run inline in the calling process
(task_always_eager) and `commonground tick` does the periodic work from cron. With a broker:
    celery -A commonground.config worker -l info
    celery -A commonground.config beat -l info
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.config.settings")

app = Celery("commonground")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "cases-tick": {"task": "cases.tick", "schedule": 5 * 60.0},
    "cases-digests": {"task": "cases.send_digests", "schedule": crontab(hour=8, minute=0)},
    "deliberation-remind-terms": {"task": "deliberation.remind_terms", "schedule": crontab(hour=7, minute=0)},
    "renewal-decide-agreements": {"task": "renewal.decide_agreements", "schedule": 5 * 60.0},
    "business-assess-risks": {"task": "business.assess_risks", "schedule": crontab(hour=2, minute=30)},
    "cockpit-scan-warnings": {"task": "cockpit.scan_warnings", "schedule": crontab(minute=5)},
    "cockpit-compute-vitality": {"task": "cockpit.compute_vitality", "schedule": crontab(hour=1, minute=15)},
}
