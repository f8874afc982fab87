"""The report's case figures: `coordination.disputes_resolved`, `coordination.cases_closed_by_level`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import Place
from commonground.core.reporting import Period, report_section

from .models import LADDER, Case, Stage

CLOSED_STAGES = [Stage.CLOSED, Stage.EVALUATED]


def closed_in(scope: Place, period: Period):
    return Case.objects.within(scope).filter(
        stage__in=CLOSED_STAGES, closed_at__date__gte=period.start, closed_at__date__lte=period.end)


@report_section("coordination", title=_("Three-party coordination"), labels={
    "disputes_resolved": _("Disputes resolved"),
    "cases_closed_by_level": _("Cases closed by level"),
})
def coordination_cases(scope: Place, period: Period) -> dict[str, Any]:
    closed = closed_in(scope, period)
    by_level = dict(closed.values_list("closed_level").annotate(n=Count("pk")))
    figures = closed.aggregate(disputes=Count("pk", filter=Q(category__is_dispute=True)))
    return {
        "disputes_resolved": figures["disputes"],
        "cases_closed_by_level": {level.value: by_level.get(level.value, 0) for level in LADDER},
    }
