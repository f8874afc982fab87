"""Reads of the visits part: who may see which visit (one access function for pages, API and exports), the visit
list with its filters, a firm's visits by every department, a commissioner's day from the plan in force, and the
commissioners of the business communities."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from commonground.core.masking import mask_name, mask_phone
from commonground.core.models import Place, PlaceKind, User
from commonground.core.permissions import access_object, visible_to

from .models import (
    Commissioner,
    CommissionerAssignment,
    Enterprise,
    EnterpriseContact,
    PlannedVisit,
    Visit,
    VisitDemand,
    VisitPlanStatus,
)
from .services.visits import serving_commissioner


def visits_visible(actor: User, action: str = "visit.view") -> QuerySet[Visit]:
    """The visits `actor` may do `action` on: staff by scope, a commissioner their buildings' visits, an
    enterprise contact their own firm's."""
    return visible_to(actor, action, Visit.objects.all())


def access_visit(actor: User, pk: int, action: str = "visit.view") -> Visit:
    visible = visits_visible(actor).select_related("enterprise", "commissioner", "recorded_by")
    return access_object(actor, visible, action, view_action="visit.view", missing=_("No such visit."), pk=pk)


def visit_demands(visit: Visit) -> list[VisitDemand]:
    return list(visit.demands.select_related("case", "case__category").order_by("pk"))


@dataclass
class VisitFilters:
    community: int | None = None
    building: int | None = None
    commissioner: int | None = None
    department: str = ""
    status: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    enterprise: str = ""  # a credit code


def visit_search(actor: User, filters: VisitFilters | None = None) -> QuerySet[Visit]:
    """The visits the actor sees, filtered, newest first (a stable order for pages)."""
    filters = filters or VisitFilters()
    rows = visits_visible(actor).select_related("enterprise", "commissioner").annotate(
        demand_count=Count("demands"))
    if filters.community:
        community = Place.objects.filter(pk=filters.community, kind=PlaceKind.BUSINESS_COMMUNITY).first()
        rows = rows.filter(community_path=community.path) if community else rows.none()
    if filters.building:
        building = Place.objects.filter(pk=filters.building).first()
        rows = rows.filter(place_path=building.path) if building else rows.none()
    if filters.commissioner:
        rows = rows.filter(commissioner_id=filters.commissioner)
    if filters.department:
        rows = rows.filter(department=filters.department)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.date_from:
        rows = rows.filter(visited_on__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(visited_on__lte=filters.date_to)
    if filters.enterprise:
        rows = rows.filter(enterprise__credit_code=filters.enterprise.strip().upper())
    return rows.order_by("-visited_on", "-pk")


def visits_of_enterprise(actor: User, enterprise: Enterprise) -> QuerySet[Visit]:
    """Every visit to the firm the actor sees — all departments together, newest first."""
    return (visits_visible(actor).filter(enterprise=enterprise).select_related("commissioner")
            .prefetch_related(Prefetch("demands", VisitDemand.objects.select_related("case").order_by("pk")))
            .order_by("-visited_on", "-pk"))


@dataclass
class DayItem:
    planned: PlannedVisit
    enterprise: Enterprise
    contact_name: str
    contact_phone: str
    reasons: list[str]
    recorded: bool


@dataclass
class DayBuilding:
    building: Place | None
    items: list[DayItem] = field(default_factory=list)


@dataclass
class MyDay:
    commissioner: Commissioner | None
    day: datetime.date
    buildings: list[DayBuilding]

    @property
    def total(self) -> int:
        return sum(len(b.items) for b in self.buildings)

    @property
    def recorded(self) -> int:
        return sum(1 for b in self.buildings for item in b.items if item.recorded)


def _reason_texts(reasons: Any) -> list[str]:
    texts = []
    for reason in reasons or []:
        if isinstance(reason, dict):
            texts.append(str(reason.get("text") or reason.get("code") or ""))
        elif reason:
            texts.append(str(reason))
    return [text for text in texts if text]


def my_day(actor: User, day: datetime.date) -> MyDay:
    """The visits planned for the actor (a commissioner) on `day` in plans in force, grouped by building in the
    plan's order, each with the firm's premises, its main contact (masked), why it is planned and whether it is
    recorded."""
    commissioner = serving_commissioner(actor)
    if commissioner is None:
        return MyDay(None, day, [])
    contacts = EnterpriseContact.objects.order_by("-is_primary", "pk")
    planned = (PlannedVisit.objects.filter(commissioner=commissioner, day=day,
                                           plan__status=VisitPlanStatus.PUBLISHED)
               .select_related("enterprise", "enterprise__building")
               .prefetch_related(Prefetch("enterprise__contacts", contacts, to_attr="contact_rows"))
               .order_by("order", "pk"))
    groups: dict[Any, DayBuilding] = {}
    for row in planned:
        enterprise = row.enterprise
        contact = enterprise.contact_rows[0] if enterprise.contact_rows else None
        group = groups.setdefault(enterprise.building_id, DayBuilding(enterprise.building))
        group.items.append(DayItem(row, enterprise, mask_name(contact.name) if contact else "",
                                   mask_phone(contact.phone) if contact else "", _reason_texts(row.reasons),
                                   row.visit_id is not None))
    return MyDay(commissioner, day, list(groups.values()))


def my_enterprises(actor: User, query: str = "") -> QuerySet[Enterprise]:
    """The firms of the actor's assigned buildings (for an unplanned visit), by building and name."""
    rows = visible_to(actor, "visit.record", Enterprise.objects.all()).select_related("building")
    if query:
        rows = rows.filter(Q(name__icontains=query.strip()) | Q(credit_code=query.strip().upper()))
    return rows.order_by("place_path", "name", "pk")


def commissioners_visible(actor: User) -> QuerySet[Commissioner]:
    """The commissioners the actor sees (staff of their street's business communities; a commissioner
    themselves), each with their buildings in force today and their visits done."""
    from commonground.core import clock

    day = clock.today()
    current = (CommissionerAssignment.objects.filter(valid_from__lte=day)
               .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).select_related("building")
               .order_by("building__path"))
    return (visible_to(actor, "commissioner.view", Commissioner.objects.all())
            .select_related("business_community", "user")
            .prefetch_related(Prefetch("assignments", current, to_attr="current_assignments"))
            .annotate(visits_done=Count("visits", filter=Q(visits__status="done"), distinct=True))
            .order_by("business_community__path", "-is_active", "display_name", "pk"))


def access_commissioner(actor: User, pk: int, action: str = "commissioner.view") -> Commissioner:
    visible = visible_to(actor, "commissioner.view", Commissioner.objects.select_related("business_community"))
    return access_object(actor, visible, action, view_action="commissioner.view",
                         missing=_("No such commissioner."), pk=pk)


def business_communities_managed(actor: User) -> QuerySet[Place]:
    """The business communities where the actor appoints commissioners."""
    return visible_to(actor, "commissioner.manage", Place.objects.filter(kind=PlaceKind.BUSINESS_COMMUNITY)
                      ).order_by("path")
