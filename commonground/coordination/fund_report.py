"""The report's fund keys in `coordination`: `micro_fund_total`, `micro_fund_approved`, `micro_fund_disbursed`
(yuan, as floats).

Scope, decided: a fund counts with its total where the fund is held, so `micro_fund_total` is the total of the
funds held at a place inside the scope (the district's 2,000,000 for the district; 0 for a street, whose estates
draw on the district's fund). What the fund did counts where it went: `micro_fund_approved` is the money committed
to projects of estates inside the scope approved in the period, `micro_fund_disbursed` what was paid to them in
the period. A street's report thus shows what its estates received; the district's, the whole fund's movement.
The period: a fund counts when its year overlaps the period.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commonground.core.models import Place
from commonground.core.models.places import within_q
from commonground.core.reporting import UNIT_YUAN, Period, report_section

from .models import Disbursement, Fund, FundProject


def _yuan(value: Decimal | None) -> float:
    return float(value or 0)


def fund_summary(section: Mapping[str, Any]) -> list[str]:
    keys = ("micro_fund_total", "micro_fund_approved", "micro_fund_disbursed")
    if not any(section.get(key) for key in keys):  # no fund here and nothing granted: nothing to state
        return []
    figures = {key.removeprefix("micro_fund_"): f"{section[key]:,.2f}" for key in keys}
    if not section["micro_fund_total"]:  # a street's estates drawing on the district's fund
        return [gettext("Estates here were granted ¥%(approved)s from the micro-governance fund in the period and "
                        "¥%(disbursed)s was paid out against receipts.") % figures]
    return [gettext("The micro-governance fund held here is ¥%(total)s; ¥%(approved)s was approved for estate projects "
                    "and ¥%(disbursed)s paid out against receipts in the period.") % figures]


@report_section("coordination", summary=fund_summary, labels={
    "micro_fund_total": _("Micro-governance fund total"),
    "micro_fund_approved": _("Micro-governance fund approved"),
    "micro_fund_disbursed": _("Micro-governance fund disbursed"),
}, units={"micro_fund_total": UNIT_YUAN, "micro_fund_approved": UNIT_YUAN, "micro_fund_disbursed": UNIT_YUAN})
def coordination_fund(scope: Place, period: Period) -> dict[str, Any]:
    """Funds held inside the scope (total); projects of estates inside it approved and paid in the period."""
    total = Fund.objects.filter(within_q("place__path", [scope.path]), year__gte=period.start.year,
                                year__lte=period.end.year).aggregate(s=Sum("total"))["s"]
    approved = FundProject.objects.filter(
        within_q("place_path", [scope.path]), approved_at__isnull=False,
        approved_at__date__gte=period.start, approved_at__date__lte=period.end).aggregate(s=Sum("approved_amount"))["s"]
    disbursed = Disbursement.objects.filter(
        within_q("project__place_path", [scope.path]), paid_on__gte=period.start,
        paid_on__lte=period.end).aggregate(s=Sum("amount"))["s"]
    return {"micro_fund_total": _yuan(total), "micro_fund_approved": _yuan(approved),
            "micro_fund_disbursed": _yuan(disbursed)}
