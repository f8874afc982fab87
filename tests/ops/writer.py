"""Files cases into the demo as fast as it can, printing "ACK <number> <seconds it took>" after each commit
(run as a script): the operations tests back up, and import into, a database that is being written to."""

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.config.settings")
django.setup()

from commonground.cases.models import Category  # noqa: E402
from commonground.cases.services.intake import case_report  # noqa: E402
from commonground.core.models import Place, User  # noqa: E402

owner = User.objects.get(username="owner")
estate = Place.objects.get(kind="estate", name="浙工新村")
category = None
for candidate in Category.objects.filter(is_active=True).order_by("code"):
    if "resident" in (candidate.open_to or []) and not candidate.questions.filter(required=True).exists():
        category = candidate
        break
n = 0
while True:
    n += 1
    started = time.perf_counter()
    case = case_report(actor=owner, category=category, place=estate, description=f"测试第{n}次反映：楼道堆物")
    sys.stdout.write(f"ACK {case.number} {time.perf_counter() - started:.3f}\n")
    sys.stdout.flush()
