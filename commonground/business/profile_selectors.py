"""Reads of the enterprise profile (企业画像): one firm's facts, tax trend, visits, demands with their cases,
activities attended and retention risk, in a fixed number of queries whatever the firm's history.

Who sees what: street staff by scope and a commissioner their buildings' firms see everything, with the contacts
masked unless `enterprise.view_personal_data`; the firm's own contact sees its profile without the internal parts:
not its risk score and reasons, nor the retention task (a warning is the street's working note about the firm),
and not other departments' visit notes beyond the day and department.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.masking import shown
from commonground.core.models import User
from commonground.core.permissions import can

from . import risk, rules
from .models import (
    Enterprise,
    EnterpriseContact,
    EnterpriseDemand,
    EnterpriseStatus,
    RiskAssessment,
    TaxRecord,
    Visit,
    VisitDemand,
)
from .risk_selectors import current_assessment, risk_signals
from .visits_selectors import visits_of_enterprise

VISITS_SHOWN = 50
CASES_SHOWN = 50
ACTIVITIES_SHOWN = 30


@dataclass
class ContactRow:
    name: str
    phone: str
    title: str
    is_primary: bool


@dataclass
class DemandRow:
    case: Any
    source: str  # "visit" or "contact"
    visited_on: datetime.date | None = None


@dataclass
class RiskView:
    score: int
    reasons: list[dict[str, Any]]
    threshold: int
    assessment: RiskAssessment | None

    @property
    def at_risk(self) -> bool:
        return self.score >= self.threshold


@dataclass
class Profile:
    enterprise: Enterprise
    is_internal: bool  # staff or commissioner: the risk and internal notes show
    contacts: list[ContactRow]
    tax_chart: dict[str, Any]
    tax_rows: list[tuple[int, Decimal | None, Decimal | None]]
    tax_totals: tuple[Decimal, Decimal]
    visits: list[Visit]
    demands: list[DemandRow]
    activities: list[Any]
    risk: RiskView | None
    extra: dict[str, Any] = field(default_factory=dict)


def is_internal(actor: User, enterprise: Enterprise) -> bool:
    """Staff of its scope or its building's commissioner (not the firm itself)."""
    return can(actor, "risk.view", enterprise)


def contacts_shown(actor: User, enterprise: Enterprise) -> list[ContactRow]:
    full = can(actor, "enterprise.view_personal_data", enterprise)
    return [ContactRow(shown("name", c.name, in_full=full), shown("phone", c.phone, in_full=full), c.title,
                       c.is_primary) for c in EnterpriseContact.objects.filter(enterprise=enterprise)]


def tax_by_month(enterprise: Enterprise, year: int) -> tuple[dict[str, Any], list, tuple[Decimal, Decimal]]:
    """This year's and last year's tax by month (a year's total, month 0, shows only in the totals)."""
    amounts: dict[tuple[int, int], Decimal] = {}
    for y, m, amount in TaxRecord.objects.filter(enterprise=enterprise, year__in=(year - 1, year)).values_list(
            "year", "month", "amount"):
        amounts[(y, m)] = amount
    rows = [(m, amounts.get((year, m)), amounts.get((year - 1, m))) for m in range(1, 13)]
    totals = (sum((amounts[k] for k in amounts if k[0] == year), Decimal(0)),
              sum((amounts[k] for k in amounts if k[0] == year - 1), Decimal(0)))
    chart = {"months": [_("Month %(month)d") % {"month": m} for m in range(1, 13)],
             "this_year": [None if a is None else float(a) for _m, a, _b in rows],
             "last_year": [None if b is None else float(b) for _m, _a, b in rows],
             "this_name": str(year), "last_name": str(year - 1)}
    return chart, rows, totals


def recent_visits(actor: User, enterprise: Enterprise) -> list[Visit]:
    """The firm's latest visits, all departments together (visits_selectors.visits_of_enterprise)."""
    return list(visits_of_enterprise(actor, enterprise)[:VISITS_SHOWN])


def demands_of_enterprise(enterprise: Enterprise) -> list[DemandRow]:
    """The cases raised in its visits, those it filed on its page and those its contacts reported, newest first,
    each once."""
    from commonground.cases.models import Case

    from .services.risk import RETENTION_CATEGORY

    raised = {row.case_id: row for row in VisitDemand.objects.filter(visit__enterprise=enterprise)
              .select_related("visit")}
    cases = (Case.objects.filter(Q(pk__in=VisitDemand.objects.filter(visit__enterprise=enterprise).values("case"))
                                 | Q(pk__in=EnterpriseDemand.objects.filter(enterprise=enterprise).values("case"))
                                 | Q(reporter__in=EnterpriseContact.objects.filter(
                                     enterprise=enterprise, user__isnull=False).values("user")))
             .exclude(category__code=RETENTION_CATEGORY).select_related("category")
             .order_by("-created_at", "-pk").distinct()[:CASES_SHOWN])
    return [DemandRow(case, "visit" if case.pk in raised else "contact",
                      raised[case.pk].visit.visited_on if case.pk in raised else None) for case in cases]


def activities_of_enterprise(enterprise: Enterprise) -> list[Any]:
    """Activities its contacts attended (attendance of their persons), newest first: a row per activity with
    the last day attended and how many of its people came."""
    from django.db.models import Count, Max

    from commonground.programs.models import Attendance

    persons = EnterpriseContact.objects.filter(enterprise=enterprise, user__person__isnull=False).values(
        "user__person")
    return list(Attendance.objects.filter(person__in=persons).values("activity_id", "activity__title")
                .annotate(last_day=Max("day"), people=Count("person", distinct=True))
                .order_by("-last_day", "activity_id")[:ACTIVITIES_SHOWN])


def risk_of_enterprise(enterprise: Enterprise) -> RiskView:
    """The firm's current warning when it has one, else its score computed now."""
    assessment = current_assessment(enterprise)
    if assessment is not None:
        return RiskView(assessment.score, assessment.reasons, rules.risk_threshold(), assessment)
    signals = risk_signals(Enterprise.objects.filter(pk=enterprise.pk, status=EnterpriseStatus.ACTIVE)).get(
        enterprise.pk)
    if signals is None:  # no longer operating
        return RiskView(0, [], rules.risk_threshold(), None)
    score, reasons = risk.assess(signals, rules.risk_weights())
    return RiskView(score, reasons, rules.risk_threshold(), None)


def enterprise_profile(actor: User, enterprise: Enterprise) -> Profile:
    internal = is_internal(actor, enterprise)
    chart, rows, totals = tax_by_month(enterprise, clock.today().year)
    visits = recent_visits(actor, enterprise)
    profile_risk = risk_of_enterprise(enterprise) if internal else None
    if profile_risk is not None:
        profile_risk.reasons = [{**reason, "text": risk.reason_text(reason)} for reason in profile_risk.reasons]
    return Profile(enterprise=enterprise, is_internal=internal, contacts=contacts_shown(actor, enterprise),
                   tax_chart=chart, tax_rows=rows, tax_totals=totals, visits=visits,
                   demands=demands_of_enterprise(enterprise), activities=activities_of_enterprise(enterprise),
                   risk=profile_risk)

