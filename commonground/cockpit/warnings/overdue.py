"""Overdue cases piling up (超期积压): per community (the case tallies' unit), open overdue cases from the standing
tally (StandingTally is_overdue) at or above `min_overdue` and a `share` of the unit's open cases."""

from __future__ import annotations

import datetime
from collections import defaultdict

from .. import rules
from . import Finding


def piled_up(overdue: int, open_cases: int, *, minimum: int, share: float) -> bool:
    return overdue >= minimum and open_cases > 0 and overdue / open_cases >= share


def findings(moment: datetime.datetime) -> list[Finding]:
    from django.db.models import Sum
    from django.utils.translation import gettext as _

    from commonground.cases.models import OPEN_STAGES, StandingTally
    from commonground.core.models import Place

    minimum = rules.warning_setting("overdue_pileup", "min_overdue")
    share = rules.warning_setting("overdue_pileup", "share")
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for unit, overdue, n in (StandingTally.objects.filter(stage__in=OPEN_STAGES).values("unit_path", "is_overdue")
                             .annotate(total=Sum("n")).order_by().values_list("unit_path", "is_overdue", "total")):
        counts[unit][1] += n or 0
        if overdue:
            counts[unit][0] += n or 0
    hits = {unit: c for unit, c in counts.items() if piled_up(c[0], c[1], minimum=minimum, share=share)}
    if not hits:
        return []
    places = {place.path: place for place in Place.objects.filter(path__in=list(hits))}
    result = []
    for unit, (overdue, open_cases) in hits.items():
        if unit not in places:
            continue
        place = places[unit]
        result.append(Finding(
            rule="overdue_pileup", key=f"overdue_pileup:{unit}", severity=3 if overdue >= 3 * minimum else 2,
            title=_("%(place)s: %(overdue)d of %(open)d open cases are overdue") % {
                "place": place.name, "overdue": overdue, "open": open_cases},
            place=place, began_at=moment, evidence={"kind": "figures", "overdue": overdue, "open": open_cases}))
    return result
