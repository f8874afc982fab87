"""Surge of a case category in a place (某类诉求激增): daily counts of the category's cases in a street against its
own baseline (a trimmed mean of the previous `days` days). A day is a surge when it is at least `factor` times the
baseline and has `min_cases` or more, and its count is very unlikely under the baseline (Poisson tail below
`p_one`), or the same holds for its sum with the day before (`p_two`): a surge of 3× lasting 2 days is found on its
first or second day.

The database part counts cases by (category, street, local day) from the case table over an index range of
created_at (index case_created): a few weeks of cases, never the whole table."""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from . import Finding


@dataclass(frozen=True)
class Surge:
    start: int  # the first day of the surge
    alert_at: int  # the day the alert is raised
    count: int
    expected: float


def poisson_tail(k: int, mean: float) -> float:
    """P(X ≥ k) for X ~ Poisson(mean)."""
    if k <= 0:
        return 1.0
    mean = max(mean, 1e-9)
    term = math.exp(-mean)
    below = term
    for i in range(1, k):
        term *= mean / i
        below += term
    return max(0.0, 1.0 - below)


def expected(history: Sequence[int]) -> float:
    """A trimmed mean: the top tenth of the days dropped (an earlier surge does not lift the baseline)."""
    ordered = sorted(history)
    keep = ordered[: max(1, len(ordered) - len(ordered) // 10)]
    return max(sum(keep) / len(keep), 0.3)


def detect(counts: Sequence[int], *, first: int = 0, params: rules.SurgeParams | None = None) -> list[Surge]:
    p = params or rules.surge_params()
    found: list[Surge] = []
    busy_until = -1
    for day in range(max(first, p.days // 2), len(counts)):
        mean = expected(counts[max(0, day - p.days):day])
        one = counts[day]
        two = one + (counts[day - 1] if day else 0)
        if day <= busy_until:
            if one >= p.factor * mean:
                busy_until = day + 1
            continue
        hit = None
        if one >= max(p.min_cases, p.factor * mean) and poisson_tail(one, mean) < p.p_one:
            hit = day
        elif (day and two >= max(p.min_cases, 2 * p.factor * mean) and counts[day - 1] >= p.factor * mean * 0.75
              and poisson_tail(two, 2 * mean) < p.p_two):
            hit = day - 1
        if hit is not None:
            found.append(Surge(hit, day, one, round(mean, 2)))
            busy_until = day + 1
    return found


def findings(moment: datetime.datetime) -> list[Finding]:
    """Surges whose alert day is `moment`'s local day (or the day before), per category and street."""
    from commonground.cases.models import Case, Category
    from commonground.core.models import Place

    p = rules.surge_params()
    today = timezone.localtime(moment).date()
    first_day = today - datetime.timedelta(days=p.days + 1)
    since = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time()))
    counts: dict[tuple[int, str], dict[datetime.date, int]] = defaultdict(dict)
    rows = (Case.objects.filter(created_at__gte=since, created_at__lte=moment, merged_into__isnull=True)
            .order_by().values_list("category_id", "street_path", "created_at"))
    daily: dict[tuple[int, str, datetime.date], int] = defaultdict(int)
    for category, street, created in rows.iterator(chunk_size=5000):
        daily[(category, street, timezone.localtime(created).date())] += 1
    for (category, street, day), n in daily.items():
        counts[(category, street)][day] = n
    days = [first_day + datetime.timedelta(days=i) for i in range((today - first_day).days + 1)]
    hits = []
    for (category, street), by_day in counts.items():
        series = [by_day.get(day, 0) for day in days]
        for surge in detect(series, first=len(days) - 2, params=p):
            hits.append((category, street, surge, series))
    if not hits:
        return []
    categories = Category.objects.in_bulk({hit[0] for hit in hits})
    places = {place.path: place for place in Place.objects.filter(path__in={hit[1] for hit in hits})}
    result = []
    for category_id, street, surge, series in hits:
        if street not in places:
            continue
        category, place = categories[category_id], places[street]
        began = timezone.make_aware(datetime.datetime.combine(days[surge.start], datetime.time()))
        ratio = surge.count / surge.expected
        result.append(Finding(
            rule="case_surge", key=f"case_surge:{category_id}:{street}",
            severity=3 if ratio >= 4 else 2,
            title=_("%(category)s cases surging in %(place)s: %(count)d today, %(expected)s a day as usual")
            % {"category": category.name, "place": place.name, "count": surge.count, "expected": surge.expected},
            place=place, began_at=began,
            evidence={"kind": "daily", "labels": [day.isoformat() for day in days], "values": series,
                      "baseline": surge.expected, "marked": [days[i].isoformat()
                                                             for i in range(surge.start, len(days))],
                      "category": category.name}))
    return result
