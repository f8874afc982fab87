"""The periodic deadline job (`commonground tick`, Celery beat): warnings at 75% of the time limit,
escalation of overdue cases. Each step re-checks the case under a lock, so running twice changes
nothing the second time."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from commonground.core import clock
from commonground.core.working_calendar import add_working_hours

from ..models import CLOCK_STAGES, Case, NotificationKind
from ..rules import WARN_AT_FRACTION
from .events import locked
from .notifications import case_message, notify_handlers
from .workflow import case_escalate_overdue


@dataclass
class TickResult:
    warned: int = 0
    escalated: int = 0


def warning_due_at(case: Case) -> datetime.datetime:
    return add_working_hours(case.dispatched_at, case.category.sla_hours * WARN_AT_FRACTION)


@transaction.atomic
def case_warn_deadline(*, case: Case) -> bool:
    """The tick's warning for one case, once its time limit is 75% gone (and not yet over)."""
    now = clock.now()
    current = locked(case)
    if current.stage not in CLOCK_STAGES or current.warned_at or current.dispatched_at is None:
        return False
    if now < warning_due_at(current) or now >= current.deadline:
        return False
    current.warned_at = now
    current.save(update_fields=["warned_at", "updated_at"])
    notify_handlers(current, NotificationKind.DEADLINE, case_message(
        "deadline", current, deadline=f"{timezone.localtime(current.deadline):%Y-%m-%d %H:%M}"))
    return True


def tick() -> TickResult:
    """Run the deadline job once over every running case, at the clock's now."""
    now = clock.now()
    result = TickResult()
    running = Case.objects.filter(stage__in=CLOCK_STAGES)
    for case in running.filter(deadline__lte=now).only("pk").iterator():
        if case_escalate_overdue(case=case):
            result.escalated += 1
    for case in running.filter(warned_at__isnull=True, deadline__gt=now).select_related("category").iterator():
        if now >= warning_due_at(case) and case_warn_deadline(case=case):
            result.warned += 1
    return result
