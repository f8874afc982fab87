"""The report's case figures: the `cases` section (received, closed, on time, rated) and the case keys of
`coordination` (`disputes_resolved`, `cases_closed_by_level`), each with the sentences that state them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from commonground.core.models import Place
from commonground.core.reporting import (
    UNIT_POINTS,
    Period,
    count_text,
    rate,
    rate_text,
    report_section,
)

from .models import LADDER, Level
from .tally_selectors import Scope, closed_counts, disputes_closed, reported_counts

UNIT_CASES = pgettext_lazy("report unit", "cases")  # 件
WITHIN_COMMUNITY = (Level.BUILDING, Level.ESTATE, Level.COMMUNITY)


def coordination_summary(section: Mapping[str, Any]) -> list[str]:
    by_level = section.get("cases_closed_by_level", {})
    closed = sum(by_level.values())
    if not closed:
        return [gettext("No case was closed in the period.")]
    within = sum(by_level.get(level, 0) for level in WITHIN_COMMUNITY)
    disputes = section.get("disputes_resolved", 0)
    return [ngettext("Of the cases closed, %(within)s (%(share)s) were closed within the community, at building, "
                     "estate or community level; %(disputes)s dispute was resolved.",
                     "Of the cases closed, %(within)s (%(share)s) were closed within the community, at building, "
                     "estate or community level; %(disputes)s disputes were resolved.", disputes) % {
        "disputes": count_text(disputes), "within": count_text(within), "share": rate_text(rate(within, closed))}]


@report_section("coordination", title=_("Three-party coordination"), summary=coordination_summary, labels={
    "disputes_resolved": _("Disputes resolved"),
    "cases_closed_by_level": _("Cases closed by level"),
}, units={"disputes_resolved": UNIT_CASES, "cases_closed_by_level": UNIT_CASES})
def coordination_cases(scope: Place, period: Period) -> dict[str, Any]:
    counted = Scope.place(scope)
    by_level = dict.fromkeys(Level.values, 0)
    for row in closed_counts(counted, period.start, period.end, by=("closed_level",)):
        if row["closed_level"] in by_level:
            by_level[row["closed_level"]] += row["n"]
    return {
        "disputes_resolved": disputes_closed(counted, period.start, period.end),
        "cases_closed_by_level": {level.value: by_level[level.value] for level in LADDER},
    }


def cases_summary(section: Mapping[str, Any]) -> list[str]:
    figures = {"received": count_text(section["cases_received"]), "closed": count_text(section["cases_closed"]),
               "on_time": rate_text(section["cases_closed_on_time_rate"])}
    if not section["cases_closed"]:
        return [gettext("In the period %(received)s cases were received and none was closed.") % figures]
    sentences = [gettext("In the period %(received)s cases were received and %(closed)s closed; %(on_time)s of "
                         "those closed were closed on time.") % figures]
    if section["cases_rated"]:
        sentences.append(gettext("Residents rated %(rated)s of the closed cases, %(mean)s of 5 on average.") % {
            "rated": count_text(section["cases_rated"]), "mean": f"{section['cases_mean_rating']:.1f}"})
    return sentences


@report_section("cases", title=_("Cases handled"), summary=cases_summary, labels={
    "cases_received": _("Cases received"),
    "cases_closed": _("Cases closed"),
    "cases_closed_on_time_rate": _("Closed on time"),
    "cases_rated": _("Closed cases rated by residents"),
    "cases_mean_rating": _("Mean rating"),
}, units={"cases_received": UNIT_CASES, "cases_closed": UNIT_CASES, "cases_rated": UNIT_CASES,
          "cases_mean_rating": UNIT_POINTS})
def cases_handled(scope: Place, period: Period) -> dict[str, Any]:
    """Received: reported in the period; closed: closed in it (and not reopened since); on time: never marked
    overdue; the ratings of those closed."""
    counted = Scope.place(scope)
    received = sum(row["n"] for row in reported_counts(counted, period.start, period.end))
    closed_rows = closed_counts(counted, period.start, period.end, by=("is_overdue",))
    closed = sum(row["n"] for row in closed_rows)
    rated = sum(row["rated"] for row in closed_rows)
    return {
        "cases_received": received,
        "cases_closed": closed,
        "cases_closed_on_time_rate": rate(sum(row["n"] for row in closed_rows if not row["is_overdue"]), closed),
        "cases_rated": rated,
        "cases_mean_rating": round(sum(row["rating_sum"] for row in closed_rows) / rated, 2) if rated else None,
    }
