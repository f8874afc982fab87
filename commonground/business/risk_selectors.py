"""Reads of the retention warnings (owned by the profile part): the signals of many firms in a handful of queries,
the planner's question (which firms are at risk), and the warnings list by scope."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from commonground.core import clock
from commonground.core.models import User
from commonground.core.permissions import visible_to

from . import rules
from .models import Enterprise, RiskAssessment, RiskStatus, TaxRecord, VisitDemand
from .risk import Signals

COMPLAINT_CATEGORY = "complaint"
CURRENT = (RiskStatus.OPEN, RiskStatus.HANDLED)


def enterprises_at_risk(enterprise_ids: Iterable[int]) -> set[int]:
    """Of `enterprise_ids`, those whose open risk assessment scores at or above the threshold (visit them as
    soon as possible)."""
    ids = list(enterprise_ids)
    if not ids:
        return set()
    return set(RiskAssessment.objects.filter(enterprise_id__in=ids, status=RiskStatus.OPEN,
                                             score__gte=rules.risk_threshold())
               .values_list("enterprise_id", flat=True))


def _year_ago(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def risk_signals(firms: QuerySet[Enterprise], today: datetime.date | None = None) -> dict[int, Signals]:
    """The retention signals of the firms of `firms` (a queryset, not evaluated here), by enterprise id: six
    queries whatever their number (the firms with the headcount a year ago from the ledger's history; tax; the
    demands raised in visits; the cases their contacts filed; their complaints; none per firm)."""
    from commonground.cases.models import OPEN_STAGES, Case

    today = today or clock.today()
    weights = rules.risk_weights()
    year_ago = _year_ago(today)
    history = Enterprise.history.model.objects.filter(
        id=OuterRef("pk"), history_date__date__lte=year_ago).order_by("-history_date", "-history_id")
    rows = list(firms.annotate(headcount_year_ago=Subquery(history.values("headcount")[:1])).values(
        "pk", "headcount", "headcount_year_ago", "lease_ends_on", "registration_move_announced_on", "building_id",
        "registered_building_id", "building__path"))
    if not rows:
        return {}
    ids = [row["pk"] for row in rows]
    id_set = set(ids)
    # tax: this year's months so far against the same months last year
    tax: dict[tuple[int, int], Decimal] = {}
    for row in (TaxRecord.objects.filter(enterprise_id__in=ids, year__in=(today.year - 1, today.year),
                                         month__gte=1, month__lte=today.month)
                .values("enterprise_id", "year").annotate(total=Sum("amount")).order_by()):
        tax[(row["enterprise_id"], row["year"])] = row["total"] or Decimal(0)
    # demands: cases raised in its visits, and those its contacts filed (a case counts once)
    demands: dict[int, dict[int, bool]] = defaultdict(dict)
    for enterprise_id, case_id, overdue in (
            VisitDemand.objects.filter(visit__enterprise_id__in=ids, case__stage__in=OPEN_STAGES)
            .values_list("visit__enterprise_id", "case_id", "case__is_overdue")):
        demands[enterprise_id][case_id] = overdue
    since = clock.now() - datetime.timedelta(days=weights["complaints_days"])
    complaints: dict[int, set[int]] = defaultdict(set)
    contact_cases = (Case.objects.filter(reporter__enterprise_contacts__enterprise_id__in=ids)
                     .filter(Q(stage__in=OPEN_STAGES) | Q(category__code=COMPLAINT_CATEGORY, created_at__gte=since))
                     .values_list("reporter__enterprise_contacts__enterprise_id", "pk", "stage", "is_overdue",
                                  "category__code", "created_at", "place_path"))
    paths = {row["pk"]: row["building__path"] for row in rows}
    for enterprise_id, case_id, stage, overdue, code, created_at, place_path in contact_cases:
        if enterprise_id not in id_set:
            continue
        if stage in OPEN_STAGES:
            demands[enterprise_id][case_id] = overdue
        building_path = paths.get(enterprise_id)
        if (code == COMPLAINT_CATEGORY and created_at >= since and building_path
                and (place_path or "").startswith(building_path)):
            complaints[enterprise_id].add(case_id)
    signals = {}
    for row in rows:
        pk = row["pk"]
        firm_demands = demands.get(pk, {})
        signals[pk] = Signals(
            today=today, tax_this_year=tax.get((pk, today.year), Decimal(0)),
            tax_last_year=tax.get((pk, today.year - 1), Decimal(0)), lease_ends_on=row["lease_ends_on"],
            registration_move_announced_on=row["registration_move_announced_on"],
            present=row["building_id"] is not None, headcount=row["headcount"],
            headcount_year_ago=row["headcount_year_ago"], demands_open=len(firm_demands),
            demands_overdue=sum(1 for overdue in firm_demands.values() if overdue),
            complaints=len(complaints.get(pk, ())), registered_here=row["registered_building_id"] is not None)
    return signals


def current_assessment(enterprise: Enterprise) -> RiskAssessment | None:
    """The firm's current warning (open or handled), with its task."""
    return (RiskAssessment.objects.filter(enterprise=enterprise, status__in=CURRENT)
            .select_related("case").first())


def risks_visible(actor: User, *, community_path: str = "", reason: str = "",
                  status: str = "current") -> QuerySet[RiskAssessment]:
    """The retention warnings `actor` may see (staff by scope, a commissioner their buildings' firms), highest
    score first, with their firm and task; filtered by business community path and reason code."""
    rows = visible_to(actor, "risk.view", RiskAssessment.objects.all())
    if status == "current":
        rows = rows.filter(status__in=CURRENT)
    elif status in RiskStatus.values:
        rows = rows.filter(status=status)
    if community_path:
        rows = rows.filter(community_path=community_path)
    if reason:
        rows = rows.filter(reasons__contains=[{"code": reason}]) if _json_contains() else rows.filter(
            reasons__icontains=f'"code": "{reason}"')
    return rows.select_related("enterprise", "enterprise__building", "case").order_by("-score", "enterprise_id")


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def risk_counts_by_community(actor: User) -> dict[str, int]:
    """How many current warnings `actor` sees per business community path."""
    return dict(visible_to(actor, "risk.view", RiskAssessment.objects.filter(status__in=CURRENT))
                .values("community_path").annotate(n=Count("pk")).order_by().values_list("community_path", "n"))
