"""Writes to the working calendar."""

from __future__ import annotations

import datetime

from django.db import transaction

from ..models import CalendarDay, User
from ..working_calendar import forget_calendar
from . import permit


@transaction.atomic
def calendar_day_set(*, date: datetime.date, is_workday: bool, name: str = "", actor: User | None = None) -> CalendarDay:
    """Record a holiday (is_workday=False) or a make-up workday (True) from the official schedule; `actor` may
    "calendarday.add" (or ".change" a day already recorded), which only a role at the top of the tree carries."""
    if actor is not None:
        existing = CalendarDay.objects.filter(date=date).first()
        permit(actor, "calendarday.change" if existing else "calendarday.add", existing or CalendarDay(date=date))
    day, _created = CalendarDay.objects.update_or_create(date=date, defaults={"is_workday": is_workday, "name": name})
    transaction.on_commit(lambda: forget_calendar(date.year))
    forget_calendar(date.year)
    return day
