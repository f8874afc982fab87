"""The district report (shared/domain/REPORT.md): a JSON document built from sections.

Each app registers what it contributes with `@report_section("name", title=..., labels=..., units=...,
summary=...)`; a contribution is a function of (scope place, period) returning plain JSON data computed from the
records, registered with the section's title, the labels and units of the keys it fills, and a summary that states
its figures in a few sentences (the report page, the printable report and the workbook show those). Several apps
may contribute keys to one section.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from .clock import today
from .models import Place
from .permissions import scope_paths
from .place_cache import top_place


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def year_before(self) -> Period:
        return Period(_shift_year(self.start, -1), _shift_year(self.end, -1))


def _shift_year(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


SectionBuilder = Callable[[Place, Period], dict[str, Any]]
# A section's figures as sentences: it gets the whole section (every contribution) and returns what it states.
SectionSummary = Callable[[Mapping[str, Any]], list[str]]
SECTIONS: dict[str, list[SectionBuilder]] = {}
SUMMARIES: dict[str, list[SectionSummary]] = {}
LABELS: dict[str, Any] = {}  # a key means one thing anywhere in the report, so it has one label
UNITS: dict[str, Any] = {}  # and one unit

# The units figures are counted in (Chinese measure words differ by what is counted).
UNIT_ITEMS = pgettext_lazy("report unit", "items")
UNIT_YUAN = pgettext_lazy("report unit", "yuan")
UNIT_POINTS = pgettext_lazy("report unit", "points of 5")


def report_labels(labels: Mapping[str, Any]) -> None:
    """Labels for report keys (lazy translations); a key already labelled must keep its label."""
    for key, label in labels.items():
        if key in LABELS and str(LABELS[key]) != str(label):
            raise ImproperlyConfigured(f"report key {key!r} is labelled both {LABELS[key]!r} and {label!r}")
        LABELS[key] = label


def report_label(key: str) -> str:
    return str(LABELS.get(key, key.replace("_", " ")))


def report_unit(key: str) -> str:
    """The unit a key's figures are counted in ("" when the figure carries its own, as a rate does)."""
    return str(UNITS.get(key, ""))


def report_section(name: str, *, title: Any = None, labels: Mapping[str, Any] | None = None,
                   units: Mapping[str, Any] | None = None,
                   summary: SectionSummary | None = None) -> Callable[[SectionBuilder], SectionBuilder]:
    """Register a contribution to the section `name`, with the section's `title`, its keys' `labels` and
    `units` (a nested mapping's figures take its key's unit), and a `summary` that states them in sentences."""
    report_labels({**({name: title} if title is not None else {}), **(labels or {})})
    UNITS.update(units or {})
    if summary is not None and summary not in SUMMARIES.setdefault(name, []):
        SUMMARIES[name].append(summary)

    def register(builder: SectionBuilder) -> SectionBuilder:
        builders = SECTIONS.setdefault(name, [])
        if builder not in builders:
            builders.append(builder)
        return builder

    return register


def report_summary(name: str, section: Mapping[str, Any]) -> list[str]:
    """The sentences the section's contributors state about its figures, in the order they registered."""
    return [sentence for summary in SUMMARIES.get(name, []) for sentence in summary(section)]


def count_text(value: int | float | None) -> str:
    """A count as a sentence states it: digits grouped ("1,234"), "—" when unknown."""
    return "—" if value is None else f"{value:,}"


def rate_text(value: float | None, places: int = 1) -> str:
    """A fraction as a sentence states it: "96.2%", "—" when there is nothing to divide."""
    return "—" if value is None else f"{value * 100:.{places}f}%"


def rate(part: int, whole: int) -> float:
    """A fraction rounded to 4 places, 0.0 when there is nothing to divide by."""
    return round(part / whole, 4) if whole else 0.0


def default_report_scope(user: Any) -> Place | None:
    """The highest place `user` may report on (the top place for district-wide roles); None if none."""
    paths = scope_paths(user, "report.view")
    if paths is None:
        return top_place()
    if not paths:
        return None
    return Place.objects.get(path=min(paths, key=lambda path: (len(path), path)))


def parse_day(value: str | None, name: str) -> datetime.date | None:
    """A YYYY-MM-DD parameter, or None when absent; ValidationError when it is no real date."""
    if not value:
        return None
    try:
        day = parse_date(value.strip())
    except ValueError:
        day = None
    if day is None:
        raise ValidationError(_("%(name)s must be a real date written YYYY-MM-DD, not “%(value)s”.")
                              % {"name": name, "value": value})
    return day


def resolve_period(start: datetime.date | None, end: datetime.date | None) -> Period:
    """Default: 1 January of the current year up to today (the deployment's today)."""
    end = end or today()
    start = start or end.replace(month=1, day=1)
    if start > end:
        raise ValidationError(_("The period starts after it ends."))
    return Period(start, end)


def merge_contribution(section: dict[str, Any], part: Mapping[str, Any]) -> None:
    """Add one contribution's keys to a section. Two contributors may fill one list of named rows (one gives a
    row's figures, another more figures of the same row): rows with the same "name" are merged, in the order the
    first contributor gave them, new names after."""
    for key, value in part.items():
        mine = section.get(key)
        if isinstance(mine, list) and isinstance(value, list) and all(
                isinstance(row, dict) and "name" in row for row in [*mine, *value]):
            rows = {row["name"]: row for row in mine}
            for row in value:
                if row["name"] in rows:
                    rows[row["name"]].update(row)
                else:
                    mine.append(row)
                    rows[row["name"]] = row
        else:
            section[key] = value


def build_report(*, scope: Place | None = None, start: datetime.date | None = None,
                 end: datetime.date | None = None) -> dict[str, Any]:
    """The whole report for `scope` (default: the top place) over the period."""
    scope = scope or top_place()
    period = resolve_period(start, end)
    report: dict[str, Any] = {
        "scope": {"code": scope.code, "name": scope.name},
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
    }
    for name, builders in SECTIONS.items():
        section: dict[str, Any] = {}
        for builder in builders:
            merge_contribution(section, builder(scope, period))
        report[name] = section
    return report
