"""Reads of the figures page (事项数据), one selector per figure. Each takes the user, the place it is narrowed to
(None: all the user may count) and a window of days, and returns plain data (numbers, codes, names), counted
from the roll-ups where they can answer (`tally_selectors`).

Every count is what the queue lists for the same filters (`QueueFilters`): cases reported in the window are
those created on its days, cases closed in it are those in a closed stage with `closed_at` on its days, a place
counts everything under it, a category its sub-categories.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from commonground.core.models import Place
from commonground.core.permissions import visible_to

from .models import CLOSED_STAGES, OPEN_STAGES, Category, Level, ReportedState, Stage
from .tally_selectors import Scope, closed_counts, reported_counts, standing_counts

MONTHS = 12


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


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _mean(row: dict[str, Any]) -> float | None:
    return round(row["rating_sum"] / row["rated"], 2) if row["rated"] else None


def period_totals(user: Any, scope: Place | None, window: Window) -> dict[str, Any]:
    """Reported and closed in the window; of those closed, how many before their deadline (never marked
    overdue) and the on-time rate; ratings of the cases closed in it."""
    counted = Scope.of(user, scope)
    reported = sum(row["n"] for row in reported_counts(counted, window.first, window.last))
    closed = closed_counts(counted, window.first, window.last, by=("is_overdue",))
    figures = {"closed": sum(row["n"] for row in closed), "rated": sum(row["rated"] for row in closed),
               "rating_sum": sum(row["rating_sum"] for row in closed),
               "closed_on_time": sum(row["n"] for row in closed if not row["is_overdue"])}
    return {"reported": reported, "closed": figures["closed"], "closed_on_time": figures["closed_on_time"],
            "rated": figures["rated"], "mean_rating": _mean(figures),
            "on_time_rate": _rate(figures["closed_on_time"], figures["closed"])}


def monthly_trend(user: Any, scope: Place | None, window: Window) -> list[dict[str, Any]]:
    """For every month of the window: cases reported and cases closed in it (local months)."""
    counted = Scope.of(user, scope)
    by_month: dict[datetime.date, dict[str, int]] = {month: {"reported": 0, "closed": 0} for month in window.months()}
    for key, rows in (("reported", reported_counts(counted, window.first, window.last, by=("month",))),
                      ("closed", closed_counts(counted, window.first, window.last, by=("month",)))):
        for row in rows:
            by_month.setdefault(row["month"], {"reported": 0, "closed": 0})[key] += row["n"]
    return [{"month": month, "first": max(month, window.first), "last": min(_month_end(month), window.last),
             **counts} for month, counts in sorted(by_month.items())]


def _month_end(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def _by_state(rows: Iterable[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    """Rows of (key, state) summed per key: reported, closed, open, overdue (open and overdue), rated and the
    sum of ratings."""
    figures: dict[Any, dict[str, Any]] = {}
    for row in rows:
        total = figures.setdefault(row[key], {"reported": 0, "closed": 0, "open": 0, "overdue": 0, "rated": 0,
                                              "rating_sum": 0})
        total["reported"] += row["n"]
        total["rated"] += row["rated"]
        total["rating_sum"] += row["rating_sum"]
        if row["state"] == ReportedState.CLOSED:
            total["closed"] += row["n"]
        elif row["state"] in (ReportedState.OPEN, ReportedState.OVERDUE):
            total["open"] += row["n"]
            if row["state"] == ReportedState.OVERDUE:
                total["overdue"] += row["n"]
    return figures


def ranking_places(user: Any, scope: Place | None, kinds: Iterable[str]) -> list[Place]:
    """The places of `kinds` under `scope` that the user may count, in tree order."""
    places = visible_to(user, "case.stats", Place.objects.of_kind(*kinds))
    if scope is not None:
        places = places.within(scope)
    return list(places.only("code", "name", "path", "kind").order_by("path"))


def place_ranking(user: Any, scope: Place | None, window: Window, kinds: Iterable[str]) -> list[dict[str, Any]]:
    """For each place of `kinds` under `scope` (tree order): cases reported in the window, and of those how many
    are closed, still open and overdue, rejected; the closure rate (closed of those taken on, open or closed);
    the mean rating."""
    places = ranking_places(user, scope, kinds)
    counted = Scope.of(user, scope)
    figures: dict[str, dict[str, Any]] = {}
    for length in sorted({len(place.path) for place in places}):
        under = f"under:{length}"
        figures.update(_by_state(reported_counts(counted, window.first, window.last, by=(under, "state")), under))
    ranking = []
    for place in places:
        row = figures.get(place.path, {"reported": 0, "closed": 0, "open": 0, "overdue": 0, "rated": 0,
                                       "rating_sum": 0})
        ranking.append({"code": place.code, "name": place.name, "kind": place.kind, **row,
                        "closure_rate": _rate(row["closed"], row["closed"] + row["open"]),
                        "mean_rating": _mean(row)})
    return ranking


def category_breakdown(user: Any, scope: Place | None, window: Window) -> list[dict[str, Any]]:
    """Cases reported in the window by top category (a sub-category counts under its parent, as the queue's
    category filter reads it), most reported first: reported, open, overdue, closed."""
    figures = _by_state(reported_counts(Scope.of(user, scope), window.first, window.last, by=("top", "state")),
                        "top")
    names = dict(Category.objects.filter(code__in=list(figures)).values_list("code", "name"))
    breakdown = [{"code": code, "name": names.get(code, code), "reported": row["reported"],
                  "closed": row["closed"], "open": row["open"], "overdue": row["overdue"]}
                 for code, row in figures.items()]
    return sorted(breakdown, key=lambda row: (-row["reported"], row["code"]))


def case_counts(user: Any, scope: Place | None = None) -> dict[str, Any]:
    """The lead's figures for the cases in `scope` (default: all they may see) that they may count
    ("case.stats"), as they stand: counts by stage, open, overdue, closed by level, average handling hours
    (dispatch to close, calendar hours), mean rating."""
    rows = standing_counts(Scope.of(user, scope))
    by_stage = dict.fromkeys(Stage.values, 0)
    by_level = dict.fromkeys(Level.values, 0)
    overdue = rated = rating_sum = handled = seconds = 0
    for row in rows:
        by_stage[row["stage"]] += row["n"]
        if row["stage"] in CLOSED_STAGES and row["closed_level"] in by_level:
            by_level[row["closed_level"]] += row["n"]
        if row["stage"] in OPEN_STAGES and row["is_overdue"]:
            overdue += row["n"]
        rated, rating_sum = rated + row["rated"], rating_sum + row["rating_sum"]
        handled, seconds = handled + row["handled"], seconds + row["handling_seconds"]
    return {
        "total": sum(by_stage.values()),
        "by_stage": by_stage,
        "open": sum(by_stage[stage] for stage in OPEN_STAGES),
        "overdue": overdue,
        "closed": sum(by_stage[stage] for stage in CLOSED_STAGES),
        "closed_by_level": by_level,
        "average_handling_hours": round(seconds / handled / 3600, 1) if handled else None,
        "mean_rating": round(rating_sum / rated, 2) if rated else None,
        "rated": rated,
    }
