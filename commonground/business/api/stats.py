"""The stats part's API under /api/business/: GET /statistics, the same figures as the statistics page (and the
report's business section) for a place in the caller's scope and a period."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from commonground.core.api_types import Code, Day, ErrorOut
from commonground.core.reporting import resolve_period

from ..stats_report import business_section
from ..stats_schemas import BusinessStatsOut
from ..stats_selectors import access_stats_scope, business_stats, monthly_series

router = Router(tags=["business"])
ERRORS = {400: ErrorOut, 404: ErrorOut}


@router.get("/statistics", response={200: BusinessStatsOut, **ERRORS}, by_alias=True)
def statistics(request: HttpRequest, scope: Code | None = None, from_: Day | None = Query(None, alias="from"),
               to: Day | None = None) -> Any:
    """Building-economy figures of `scope` (a place code; default the caller's highest place) from `from` to `to`
    (default this year up to today): the report's business keys, the months the tax counts, and the new ≥¥1m firms
    and the tax by month of the period's last year and the year before."""
    place = access_stats_scope(request.user, scope)
    if from_ and to and from_ > to:
        raise ValidationError({"from": [_("The period starts after it ends.")]})
    period = resolve_period(from_, to)
    stats = business_stats(place, period)
    year = period.end.year
    series = monthly_series(place, year)
    return {
        "scope": {"code": place.code, "name": place.name},
        "period": {"from": period.start, "to": period.end},
        **business_section(stats),
        "tax_months": [f"{y}-{m:02d}" for y, m in stats.tax_months],
        "by_month": [{"month": month, "new_1m": series["new_1m"][year][month - 1],
                      "new_1m_year_before": series["new_1m"][year - 1][month - 1],
                      "tax": series["tax"][year][month - 1], "tax_year_before": series["tax"][year - 1][month - 1]}
                     for month in range(1, 13)],
    }
