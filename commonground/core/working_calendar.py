"""Working days and working hours on the official calendar.

Order of authority for a date: a CalendarDay row in the database (entered by an administrator
from the State Council's schedule), then the bundled chinese-calendar data, then Monday–Friday.
The last case is logged and reported by `calendar_gaps()` so the page can show a warning; it
never raises, so deadlines keep working past the package's last year.
"""

from __future__ import annotations

import datetime
import functools
import logging
from decimal import Decimal

import chinese_calendar
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

CACHE_KEY = "cg:calendar-overrides:{year}"


def _overrides(year: int) -> dict[datetime.date, bool]:
    key = CACHE_KEY.format(year=year)
    cached = cache.get(key)
    if cached is None:
        from .models import CalendarDay

        cached = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday"))
        cache.set(key, cached, timeout=300)
    return cached


def forget_calendar(year: int) -> None:
    cache.delete(CACHE_KEY.format(year=year))


@functools.lru_cache(maxsize=4096)
def _bundled_is_workday(day: datetime.date) -> bool:
    """The bundled chinese-calendar data (fixed for the life of the process; the package checks its range on
    every call, which costs more than the answer). Raises NotImplementedError outside its years."""
    return chinese_calendar.is_workday(day)


def has_official_data(year: int) -> bool:
    """Whether the holidays of `year` are known (bundled data or entries in the database)."""
    if _overrides(year):
        return True
    try:
        _bundled_is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_workday(day: datetime.date) -> bool:
    overrides = _overrides(day.year)
    if day in overrides:
        return overrides[day]
    try:
        return _bundled_is_workday(day)
    except NotImplementedError:
        logger.warning("No holiday data for %s: counting Monday to Friday as working days", day.year)
        return day.weekday() < 5


def calendar_gaps(*years: int) -> list[int]:
    """Years among `years` that fall back to Monday–Friday (for a visible warning)."""
    return [year for year in years if not has_official_data(year)]


def working_periods() -> list[tuple[datetime.time, datetime.time]]:
    """The daily working periods, from settings.CG_WORKING_HOURS like "08:30-12:00,13:30-17:30"."""
    periods = []
    for chunk in settings.CG_WORKING_HOURS.split(","):
        start, end = chunk.strip().split("-")
        periods.append((datetime.time.fromisoformat(start), datetime.time.fromisoformat(end)))
    return periods


def _day_periods(day: datetime.date, tz) -> list[tuple[datetime.datetime, datetime.datetime]]:
    if not is_workday(day):
        return []
    return [
        (datetime.datetime.combine(day, start, tz), datetime.datetime.combine(day, end, tz))
        for start, end in working_periods()
    ]


MAX_DAYS = 3660  # ten years: a safety stop for absurd inputs


def add_working_hours(start: datetime.datetime, hours: Decimal | int | float) -> datetime.datetime:
    """The moment `hours` working hours after `start` (an aware datetime), in local time (TIME_ZONE)."""
    start = timezone.localtime(start)
    tz = start.tzinfo
    remaining = datetime.timedelta(hours=float(hours))
    day = start.date()
    for _ in range(MAX_DAYS):
        for begin, end in _day_periods(day, tz):
            begin = max(begin, start)
            if begin >= end:
                continue
            available = end - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        day += datetime.timedelta(days=1)
    raise ValueError("deadline more than ten years away")


def working_hours_between(start: datetime.datetime, end: datetime.datetime) -> float:
    """Working hours from `start` to `end` (0 when end is not after start)."""
    if end <= start:
        return 0.0
    start = timezone.localtime(start)
    tz = start.tzinfo
    end = end.astimezone(tz)
    total = datetime.timedelta()
    day = start.date()
    while day <= end.date():
        for begin, finish in _day_periods(day, tz):
            begin, finish = max(begin, start), min(finish, end)
            if finish > begin:
                total += finish - begin
        day += datetime.timedelta(days=1)
    return total.total_seconds() / 3600
