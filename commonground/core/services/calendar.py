"""Writes to the working calendar."""

from __future__ import annotations

import datetime

from django.db import transaction

from ..models import CalendarDay
from ..working_calendar import forget_calendar


@transaction.atomic
def calendar_day_set(*, date: datetime.date, is_workday: bool, name: str = "") -> CalendarDay:
    """Record a holiday (is_workday=False) or a make-up workday (True) from the official schedule."""
    day, _created = CalendarDay.objects.update_or_create(date=date, defaults={"is_workday": is_workday, "name": name})
    transaction.on_commit(lambda: forget_calendar(date.year))
    forget_calendar(date.year)
    return day
