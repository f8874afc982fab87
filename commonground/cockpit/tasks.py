"""Celery tasks of the cockpit: idempotent wrappers around the services, run by beat (commonground/config/celery.py)
or inline when no broker is configured."""

from __future__ import annotations

import datetime

from celery import shared_task

from commonground.core import clock

from .services.vitality import vitality_compute
from .services.warnings import warnings_scan


@shared_task(name="cockpit.scan_warnings")
def scan_warnings_task() -> dict[str, int]:
    """Every rule of the early warnings, hourly: warnings raised, kept open, held back by a cool-down."""
    run = warnings_scan()
    return {"found": run.found, "raised": run.raised, "kept": run.kept, "quiet": run.quiet}


@shared_task(name="cockpit.compute_vitality")
def compute_vitality_task() -> int:
    """The nightly vitality index: yesterday (complete now) and today so far. Rows written."""
    today = clock.today()
    return vitality_compute(first=today - datetime.timedelta(days=1), last=today)
