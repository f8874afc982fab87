"""Today's date for reports and validity checks; the demo district pins it in a Setting."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.utils import timezone

TODAY_SETTING = "today"
CACHE_KEY = "cg:today"


def today() -> datetime.date:
    """The local date, or the `today` setting when the deployment pins one (the demo does)."""
    pinned = cache.get(CACHE_KEY)
    if pinned is None:
        from .models import Setting

        pinned = Setting.objects.filter(key=TODAY_SETTING).values_list("value", flat=True).first() or ""
        cache.set(CACHE_KEY, pinned, timeout=60)
    if pinned:
        return datetime.date.fromisoformat(pinned)
    return timezone.localdate()


def forget_pinned_today() -> None:
    """Drop the cached pin after the `today` setting changes."""
    cache.delete(CACHE_KEY)
