"""Reads of the figures page (事项数据), one selector per figure. Each takes the user, the place it is narrowed to
(None: all the user may count) and a window of days, and returns plain data (numbers, codes, names), so that a
later version may read the same figures from per-place, per-day roll-ups without the page changing.

Every count is what the queue lists for the same filters (`QueueFilters`): cases reported in the window are
those created on its days, cases closed in it are those in a closed stage with `closed_at` on its days, a place
counts everything under it, a category its sub-categories.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import Coalesce, Substr, TruncMonth
from django.utils import timezone

from commonground.core.models import Place
from commonground.core.permissions import visible_to

from .models import OPEN_STAGES, Case, Category
from .selectors import CLOSED_STAGES, in_days

MONTHS = 12
IN_CLOSED = Q(stage__in=CLOSED_STAGES)
IN_OPEN = Q(stage__in=OPEN_STAGES)


@dataclass(frozen=True)
class Window:
    """Local days from `first` to `last`, both included."""

    first: datetime.date
    last: datetime.date

    @classmethod
    def months_to(cls, day: datetime.date, months: int = MONTHS) -> Window:
        """The `months` calendar months that end with the month of `day` (up to `day` itself)."""
        index = day.year * 12 + day.month - 1 - (months - 1)
        return cls(datetime.date(index // 12, index % 12 + 1, 1), day)

    def months(self) -> list[datetime.date]:
        """The first day of every month the window touches, in order."""
        firsts, month = [], self.first.replace(day=1)
        while month <= self.last:
            firsts.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return firsts

    def reported(self) -> Q:
        return in_days("created_at", self.first, self.last)

    def closed(self) -> Q:
        return IN_CLOSED & in_days("closed_at", self.first, self.last)


def counted_cases(user: Any, scope: Place | None) -> QuerySet[Case]:
    """The cases `user` may count ("case.stats"), under `scope` when given; unordered, for aggregates."""
    cases = visible_to(user, "case.stats", Case.objects.all())
    if scope is not None:
        cases = cases.within(scope)
    return cases.order_by()


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _rating(value: Any) -> float | None:
    return round(float(value), 2) if value is not None else None


def period_totals(user: Any, scope: Place | None, window: Window) -> dict[str, Any]:
    """Reported and closed in the window; of those closed, how many before their deadline (never marked
    overdue) and the on-time rate; ratings of the cases closed in it. One query."""
    figures = counted_cases(user, scope).aggregate(
        reported=Count("pk", filter=window.reported()),
        closed=Count("pk", filter=window.closed()),
        closed_on_time=Count("pk", filter=window.closed() & Q(is_overdue=False)),
        rated=Count("rating", filter=window.closed()),
        mean_rating=Avg("rating", filter=window.closed()),
    )
    return {**figures, "on_time_rate": _rate(figures["closed_on_time"], figures["closed"]),
            "mean_rating": _rating(figures["mean_rating"])}


def _local_month(value: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def monthly_trend(user: Any, scope: Place | None, window: Window) -> list[dict[str, Any]]:
    """For every month of the window: cases reported and cases closed in it (local months). Two queries."""
    cases = counted_cases(user, scope)
    reported = cases.filter(window.reported()).annotate(month=TruncMonth("created_at")).values("month") \
        .annotate(n=Count("pk")).values_list("month", "n")
    closed = cases.filter(window.closed()).annotate(month=TruncMonth("closed_at")).values("month") \
        .annotate(n=Count("pk")).values_list("month", "n")
    by_month: dict[datetime.date, dict[str, int]] = {month: {"reported": 0, "closed": 0} for month in window.months()}
    for key, rows in (("reported", reported), ("closed", closed)):
        for month, n in rows:
            by_month.setdefault(_local_month(month), {"reported": 0, "closed": 0})[key] += n
    return [{"month": month, "first": max(month, window.first), "last": min(_month_end(month), window.last),
             **counts} for month, counts in sorted(by_month.items())]


def _month_end(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def ranking_places(user: Any, scope: Place | None, kinds: Iterable[str]) -> list[Place]:
    """The places of `kinds` under `scope` that the user may count, in tree order."""
    places = visible_to(user, "case.stats", Place.objects.of_kind(*kinds))
    if scope is not None:
        places = places.within(scope)
    return list(places.only("code", "name", "path", "kind").order_by("path"))


def place_ranking(user: Any, scope: Place | None, window: Window, kinds: Iterable[str]) -> list[dict[str, Any]]:
    """For each place of `kinds` under `scope` (tree order): cases reported in the window, and of those how many
    are closed, still open and overdue, rejected; the closure rate (closed of those taken on, open or closed);
    the mean rating. One query for the places and one per depth of them (places of a kind share a depth)."""
    places = ranking_places(user, scope, kinds)
    figures: dict[str, dict[str, Any]] = {}
    cases = counted_cases(user, scope).filter(window.reported())
    for length in sorted({len(place.path) for place in places}):
        rows = cases.annotate(under=Substr("place__path", 1, length)).values("under").annotate(
            reported=Count("pk"), closed=Count("pk", filter=IN_CLOSED), open=Count("pk", filter=IN_OPEN),
            overdue=Count("pk", filter=IN_OPEN & Q(is_overdue=True)), rated=Count("rating"),
            mean_rating=Avg("rating"))
        figures.update({row.pop("under"): row for row in rows})
    ranking = []
    for place in places:
        row = figures.get(place.path, {"reported": 0, "closed": 0, "open": 0, "overdue": 0, "rated": 0,
                                       "mean_rating": None})
        ranking.append({"code": place.code, "name": place.name, "kind": place.kind, **row,
                        "closure_rate": _rate(row["closed"], row["closed"] + row["open"]),
                        "mean_rating": _rating(row["mean_rating"])})
    return ranking


def category_breakdown(user: Any, scope: Place | None, window: Window) -> list[dict[str, Any]]:
    """Cases reported in the window by top category (a sub-category counts under its parent, as the queue's
    category filter reads it), most reported first: reported, open, overdue, closed. Two queries."""
    rows = list(counted_cases(user, scope).filter(window.reported())
                .annotate(top=Coalesce("category__parent__code", "category__code")).values("top").annotate(
                    reported=Count("pk"), closed=Count("pk", filter=IN_CLOSED), open=Count("pk", filter=IN_OPEN),
                    overdue=Count("pk", filter=IN_OPEN & Q(is_overdue=True))))
    names = dict(Category.objects.filter(code__in=[row["top"] for row in rows]).values_list("code", "name"))
    breakdown = []
    for row in rows:
        code = row.pop("top")
        breakdown.append({"code": code, "name": names.get(code, code), **row})
    return sorted(breakdown, key=lambda row: (-row["reported"], row["code"]))
