"""The one clock: `now()` and `today()` for every service, validator, default and task.

Production runs on real time. A deployment may set the clock to start at another moment and run on
from there in real time (the demo starts at 2023-08-31 16:00 when it is built): the `clock` setting
holds that start and the real moment it was set, so every process reads the same time. Security
timers (sessions, login lockouts, tokens) stay on real time and do not read this clock.

`frozen_at(moment)` stops the clock for the code inside it (the demo builder writes its past with it;
tests use it to stand on a given day).
"""

from __future__ import annotations

import contextvars
import datetime
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

CLOCK_SETTING = "clock"
CACHE_SECONDS = 60

_memo: tuple[float, datetime.timedelta] | None = None  # (valid until, offset)
_frozen: contextvars.ContextVar[datetime.datetime | None] = contextvars.ContextVar("cg_frozen_clock", default=None)


def real_now() -> datetime.datetime:
    """The wall clock. Only the clock itself and security timers read it."""
    return timezone.now()


def _offset() -> datetime.timedelta:
    """How far the deployment's clock is from real time (zero unless the `clock` setting is set).

    Read once a minute per process: a plain memo, as Django's local-memory cache is per process too and costs
    a pickle per read (an import of 300,000 rows reads the clock for every row)."""
    global _memo
    if _memo is not None and _memo[0] > time.monotonic():
        return _memo[1]
    from .models import Setting

    value = Setting.objects.filter(key=CLOCK_SETTING).values_list("value", flat=True).first()
    offset = offset_of(value) if value else datetime.timedelta(0)
    _memo = (time.monotonic() + CACHE_SECONDS, offset)
    return offset


def offset_of(value: dict[str, str]) -> datetime.timedelta:
    """The offset a stored `clock` setting gives: its start minus the real moment it was set."""
    return datetime.datetime.fromisoformat(value["starts_at"]) - datetime.datetime.fromisoformat(value["real_at"])


def setting_value(starts_at: datetime.datetime, real_at: datetime.datetime) -> dict[str, str]:
    """What the `clock` setting stores for a clock that reads `starts_at` at the real moment `real_at`."""
    if timezone.is_naive(starts_at) or timezone.is_naive(real_at):
        raise ValueError("the clock needs aware datetimes")
    return {"starts_at": starts_at.isoformat(), "real_at": real_at.isoformat()}


def now() -> datetime.datetime:
    """The current moment (aware, UTC) on the deployment's clock."""
    frozen = _frozen.get()
    if frozen is not None:
        return frozen
    return real_now() + _offset()


def today() -> datetime.date:
    """The current local date (Asia/Shanghai) on the deployment's clock."""
    return timezone.localtime(now()).date()


def forget() -> None:
    """Drop the remembered offset after the `clock` setting changes (other processes read it within a minute)."""
    global _memo
    _memo = None


@contextmanager
def frozen_at(moment: datetime.datetime) -> Iterator[datetime.datetime]:
    """Stop the clock at `moment` for the code inside (this thread or task only)."""
    if timezone.is_naive(moment):
        raise ValueError("the clock needs an aware datetime")
    token = _frozen.set(moment)
    try:
        yield moment
    finally:
        _frozen.reset(token)
