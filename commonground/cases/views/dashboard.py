"""Figures for community, street and district leads (事项数据), for their scope only: what is open and overdue
now; the last twelve months reported and closed, month by month; rankings of streets and communities; the
breakdown by category; closed by level ("小事不出楼宇，大事不出社区"). Every count links to the queue filtered
to the same cases."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import pgettext, pgettext_lazy

from commonground.core import clock
from commonground.core.models import Place, PlaceKind
from commonground.core.permissions import require, visible_to

from ..figure_selectors import (
    Window,
    case_counts,
    category_breakdown,
    monthly_trend,
    period_totals,
    place_ranking,
)
from ..models import LADDER, OPEN_STAGES, Level, Stage
from ._common import STAGE_COLOURS

SCOPE_KINDS = (PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY)
# The queue's place filter offers these; a district-wide figure links without a place.
QUEUE_PLACE_KINDS = {PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY}
COMMUNITY_KINDS = (PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY)
CHART_ROWS = 15  # a ranking's chart shows the first rows
EDGE_ROWS = 10  # a long ranking's table shows the first and the last rows, unless all are asked for
COLOURS = {"reported": "#1565c0", "closed": "#2e7d32", "overdue": "#b3261e", "rate": "#00695c"}


def _best_first(measure: str, tie: str) -> Callable[[dict[str, Any]], tuple]:
    """Highest `measure` first, places without one last; ties by `tie`, highest first."""
    return lambda row: (row[measure] is None, -(row[measure] or 0), -row[tie])


# How a ranking may be ordered: the label of its link, and the key that sorts the first place first.
RANKINGS: dict[str, tuple[Any, Callable[[dict[str, Any]], tuple]]] = {
    "closure": (pgettext_lazy("rank by", "closure rate"), _best_first("closure_rate", "reported")),
    "overdue": (pgettext_lazy("rank by", "overdue cases"), _best_first("overdue", "reported")),
    "rating": (pgettext_lazy("rank by", "rating"), _best_first("mean_rating", "rated")),
    "reported": (pgettext_lazy("rank by", "cases reported"), _best_first("reported", "closed")),
}


class Links:
    """Links to the queue showing the cases behind a figure, with the page's place and window."""

    def __init__(self, scope: Place | None, window: Window) -> None:
        self.place = scope.code if scope is not None and scope.kind in QUEUE_PLACE_KINDS else ""
        self.window = window
        self.base = reverse("cases:queue")

    def url(self, **params: Any) -> str:
        params.setdefault("place", self.place)
        query = {key: value.isoformat() if isinstance(value, datetime.date) else value
                 for key, value in params.items() if value}
        return f"{self.base}?{urlencode(query)}"

    def reported(self, first: datetime.date | None = None, last: datetime.date | None = None, **params: Any) -> str:
        return self.url(stage=params.pop("stage", "all"), reported_from=first or self.window.first,
                        reported_to=last or self.window.last, **params)

    def closed(self, first: datetime.date | None = None, last: datetime.date | None = None, **params: Any) -> str:
        return self.url(stage="closed", closed_from=first or self.window.first, closed_to=last or self.window.last,
                        **params)

    def row(self, row: dict[str, Any], key: str) -> dict[str, str]:
        """The links of one ranking or category row: everything reported, closed, open and overdue among it."""
        narrowed = {key: row["code"]}
        return {"reported": self.reported(**narrowed), "closed": self.reported(stage="closed", **narrowed),
                "open": self.reported(stage="open", **narrowed),
                "overdue": self.reported(stage="open", overdue="on", **narrowed)}


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _chart(labels: list[str], series: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
    return {"labels": labels, "series": series, **options}


def _ranking(rows: list[dict[str, Any]], order: str, links: Links, *, whole: bool) -> dict[str, Any]:
    rows = sorted(rows, key=RANKINGS[order][1])
    for position, row in enumerate(rows, 1):
        row |= {"position": position, "closure_text": percent(row["closure_rate"])}
    hidden = 0 if whole or len(rows) <= 2 * EDGE_ROWS + 5 else len(rows) - 2 * EDGE_ROWS
    listed = [*rows[:EDGE_ROWS], *rows[-EDGE_ROWS:]] if hidden else rows
    for row in listed:  # (links for the rows the table shows: a district's page showed 20 of 137 and built 548)
        row["links"] = links.row(row, "place")
    shown = rows[:CHART_ROWS]
    if order in ("closure", "rating"):
        measure = "closure_rate" if order == "closure" else "mean_rating"
        factor = 100 if order == "closure" else 1
        values = [round(row[measure] * factor, 1) if row[measure] is not None else None for row in shown]
    else:
        values = [row[order] for row in shown]
    return {"rows": rows, "listed": listed, "hidden": hidden, "gap_after": EDGE_ROWS, "chart": _chart(
        [row["name"] for row in shown], [{"name": str(RANKINGS[order][0]), "values": values,
                                          "colour": COLOURS["overdue" if order == "overdue" else "rate"]}],
        horizontal=True, percent=order == "closure")}


def figure_scopes(user: Any, code: str | None) -> tuple[list[Place], Place | None]:
    """The places the user may narrow the figures to, and the one asked for (None: all of their area)."""
    scopes = list(visible_to(user, "case.stats", Place.objects.filter(kind__in=SCOPE_KINDS))
                  .only("code", "name", "kind", "path").order_by("path"))
    return scopes, next((place for place in scopes if place.code == code), None)


def _series(name: str, values: list[Any], colour: str, **options: Any) -> dict[str, Any]:
    return {"name": pgettext("cases counted", name), "values": values, "colour": COLOURS[colour], **options}


def _charts(levels: list[dict[str, Any]], trend: list[dict[str, Any]],
            categories: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The data of the page's charts: closed by level, the months, the first categories."""
    return {
        "level": _chart([item["label"] for item in levels],
                        [_series("Closed", [item["count"] for item in levels], "overdue")]),
        "trend": _chart([month["label"] for month in trend], [
            _series("Reported", [month["reported"] for month in trend], "reported"),
            _series("Closed", [month["closed"] for month in trend], "closed")], kind="line"),
        "category": _chart([row["name"] for row in categories], [
            _series("Closed", [row["closed"] for row in categories], "closed", stack="cases"),
            _series("Open", [row["open"] for row in categories], "reported", stack="cases")], horizontal=True),
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(user, "case.stats")
    scopes, scope = figure_scopes(user, request.GET.get("scope"))
    order = request.GET.get("rank") if request.GET.get("rank") in RANKINGS else "closure"
    window = Window.months_to(clock.today())
    links = Links(scope, window)
    counts = case_counts(user, scope)
    totals = period_totals(user, scope, window)
    totals["on_time_text"] = percent(totals["on_time_rate"])
    trend = monthly_trend(user, scope, window)
    for month in trend:
        month |= {"label": date_format(month["month"], "YEAR_MONTH_FORMAT"),
                  "links": {"reported": links.reported(month["first"], month["last"]),
                            "closed": links.closed(month["first"], month["last"])}}
    streets = place_ranking(user, scope, window, (PlaceKind.STREET,))
    communities = place_ranking(user, scope, window, COMMUNITY_KINDS)
    categories = category_breakdown(user, scope, window)
    for row in categories:
        row["links"] = links.row(row, "category")
    # The queue's "closed" lists the evaluated cases too: the one stage without a list of its own.
    stages = [{"stage": s, "label": Stage(s).label, "count": counts["by_stage"][s], "colour": STAGE_COLOURS[s],
               "url": "" if s == Stage.CLOSED else links.url(stage=s)}
              for s in [*OPEN_STAGES, Stage.CLOSED, Stage.EVALUATED, Stage.REJECTED, Stage.MERGED]]
    levels = [{"level": level.value, "label": str(Level(level).label), "count": counts["closed_by_level"][level]}
              for level in LADDER]
    closed = counts["closed"]
    low = sum(counts["closed_by_level"][level] for level in (Level.BUILDING, Level.ESTATE, Level.COMMUNITY))
    return render(request, "cases/dashboard.html", {
        "scopes": scopes, "scope": scope, "counts": counts, "stages": stages, "levels": levels, "closed": closed,
        "window": window, "totals": totals, "trend": trend, "categories": categories, "order": order,
        "orders": [(key, label) for key, (label, _key) in RANKINGS.items()],
        "streets": _ranking(streets, order, links, whole=True) if len(streets) > 1 else None,
        "communities": _ranking(communities, order, links, whole=request.GET.get("all") == "community")
        if len(communities) > 1 else None,
        "links": {"open": links.url(stage="open"), "overdue": links.url(stage="open", overdue="on"),
                  "reported": links.reported(), "closed": links.closed(), "all": links.url(stage="all"),
                  "closed_all": links.url(stage="closed")},
        "within_community_share": round(100 * low / closed) if closed else None,
        "charts": _charts(levels, trend, categories[:CHART_ROWS]),
    })
