"""Reads of the ledgers: who may see which enterprise (one access function, used by pages, API and exports)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as Switch
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from commonground.core.masking import shown
from commonground.core.models import Place, PlaceKind, User
from commonground.core.models.places import within_q
from commonground.core.permissions import access_object, can, scope_paths, visible_to

from .models import (
    BuildingLedger,
    Enterprise,
    EnterpriseContact,
    EnterpriseStatus,
    EnterpriseTier,
    TaxRecord,
)
from .models.visits import assigned_buildings_q


def enterprises_visible(actor: User, action: str = "enterprise.view") -> QuerySet[Enterprise]:
    """The enterprises `actor` may do `action` on: staff by scope, a commissioner their buildings' firms, an
    enterprise contact their own firm."""
    return visible_to(actor, action, Enterprise.objects.all())


def access_enterprise(actor: User, credit_code: str, action: str = "enterprise.view") -> Enterprise:
    """The enterprise with this credit code for `action`: 404 when the actor may not see it, 403 when they see it
    but may not do `action`."""
    code = (credit_code or "").strip().upper()
    if not CREDIT_CODE_SHAPE.fullmatch(code):  # never sent to the database (PostgreSQL refuses NUL bytes)
        raise Http404(_("No such enterprise."))
    visible = enterprises_visible(actor).select_related("building", "registered_building")
    return access_object(actor, visible, action, view_action="enterprise.view",
                         missing=_("No such enterprise."), credit_code=code)


# The ledger lists -------------------------------------------------------------------------------------------------

BUILDING_KINDS = (PlaceKind.OFFICE_BUILDING, PlaceKind.BUILDING)
CREDIT_CODE_SHAPE = re.compile(r"[0-9A-Z]{1,18}")
PLACE_CODE_SHAPE = re.compile(r"[^\x00-\x1f\x7f]{1,64}")  # no control characters (PostgreSQL refuses NUL)


@dataclass(frozen=True)
class EnterpriseFilters:
    """The enterprise ledger's filters (codes of places; status, tier; an industry code prefix; a name or credit
    code fragment)."""

    community: str = ""
    building: str = ""
    status: str = ""
    tier: str = ""
    industry: str = ""
    q: str = ""

    @classmethod
    def from_mapping(cls, data: Any) -> EnterpriseFilters:
        def get(key: str, limit: int = 64) -> str:
            return str(data.get(key) or "").strip()[:limit]

        status = get("status")
        tier = get("tier")
        return cls(community=get("community"), building=get("building"),
                   status=status if status in EnterpriseStatus.values else "",
                   tier=tier if tier in EnterpriseTier.values else "",
                   industry=get("industry", 5).upper(), q=get("q", 100))


def enterprise_list(actor: User, filters: EnterpriseFilters | None = None) -> QuerySet[Enterprise]:
    """The enterprise ledger as `actor` sees it, filtered, in a stable order (building, name), with each row's
    buildings, its primary contact (`primary_contacts`, a list of 0 or 1) and `personal_in_full` (may the actor
    see the contact unmasked)."""
    filters = filters or EnterpriseFilters()
    rows = enterprises_visible(actor).select_related("building", "registered_building")
    if filters.community:
        community = Place.objects.filter(code=filters.community, kind=PlaceKind.BUSINESS_COMMUNITY).first()
        rows = rows.filter(community_path=community.path) if community else rows.none()
    if filters.building:
        building = Place.objects.filter(code=filters.building, kind__in=BUILDING_KINDS).first()
        rows = rows.filter(Q(building=building) | Q(registered_building=building)) if building else rows.none()
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.tier:
        rows = rows.filter(tier=filters.tier)
    if filters.industry:
        rows = rows.filter(industry_code__startswith=filters.industry)
    if filters.q:
        code = filters.q.upper()
        rows = rows.filter(Q(name__icontains=filters.q) | Q(credit_code__startswith=code))
    return (rows.annotate(personal_in_full=enterprise_personal_flag(actor))
            .prefetch_related(Prefetch("contacts", queryset=EnterpriseContact.objects.filter(is_primary=True),
                                       to_attr="primary_contacts"))
            .order_by("place_path", "name", "pk"))


def enterprise_personal_flag(actor: User) -> Any:
    """SQL: may `actor` see each enterprise row's contact people unmasked (enterprise.view_personal_data)?"""
    paths = scope_paths(actor, "enterprise.view_personal_data")
    if paths is None:
        return Value(True)
    if not paths:
        return Value(False)
    return Switch(When(within_q("place_path", paths), then=Value(True)), default=Value(False),
                  output_field=BooleanField())


def contact_shown(contact: EnterpriseContact | None, in_full: bool) -> tuple[str, str]:
    """A contact's name and phone as the user may see them (core.masking)."""
    if contact is None:
        return "", ""
    return shown("name", contact.name, in_full=in_full), shown("phone", contact.phone, in_full=in_full)


def buildings_visible(actor: User) -> QuerySet[Place]:
    """The ledger buildings (office and serviced-apartment buildings of business communities) `actor` may see:
    staff by scope, a commissioner their assigned buildings."""
    rows = Place.objects.filter(kind__in=BUILDING_KINDS, parent__kind=PlaceKind.BUSINESS_COMMUNITY)
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return rows.none()
    paths = scope_paths(actor, "buildingledger.view")
    if paths is None:
        return rows
    condition = Q(pk__in=assigned_buildings_q(actor).values("pk"))
    if paths:
        condition |= within_q("path", paths)
    return rows.filter(condition)


def access_building(actor: User, code: str, action: str = "buildingledger.view") -> Place:
    """A ledger building by its code: 404 unless the actor sees it, 403 when they see it but may not `action`."""
    code = (code or "").strip()
    building = (buildings_visible(actor).select_related("parent").filter(code=code).first()
                if PLACE_CODE_SHAPE.fullmatch(code) else None)
    if building is None:
        raise Http404(_("No such building."))
    if action != "buildingledger.view" and not can(actor, action, building):
        raise PermissionDenied
    return building


def occupancy_by_building(actor: User, place: Place) -> dict[str, Decimal]:
    """Occupancy (1 − vacant / floor area) of the ledger buildings under `place` that `actor` sees, by path."""
    rows = (buildings_visible(actor).filter(within_q("path", [place.path]), business_ledger__isnull=False,
                                            floor_area_m2__gt=0)
            .values_list("path", "floor_area_m2", "business_ledger__vacant_area_m2"))
    return {path: (1 - vacant / area).quantize(Decimal("0.0001")) for path, area, vacant in rows}


def _count(rows: QuerySet, key: str) -> Coalesce:
    return Coalesce(Subquery(rows.order_by().values(key).annotate(n=Count("pk")).values("n")[:1]), 0)


def building_ledger_rows(buildings: QuerySet[Place], year: int) -> QuerySet[Place]:
    """`buildings` with their ledger counts in one query: floor and vacant area, grade, and of the operating
    firms: moved in and registered here (`here_registered`), moved in but registered elsewhere
    (`here_registered_elsewhere`), registered here but not present (`registered_not_present`), and of the firms
    present, those with tax in `year` and those without (`with_tax`, `without_tax`)."""
    active = Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE)
    present = active.filter(building=OuterRef("pk"))
    taxed = TaxRecord.objects.filter(enterprise=OuterRef("pk"), year=year, amount__gt=0)
    return (buildings.select_related("parent", "business_ledger")
            .annotate(
                here_registered=_count(present.filter(registered_building=OuterRef("pk")), "building"),
                here_registered_elsewhere=_count(present.exclude(registered_building=OuterRef("pk")), "building"),
                registered_not_present=_count(active.filter(registered_building=OuterRef("pk")).filter(
                    Q(building__isnull=True) | ~Q(building=OuterRef("pk"))), "registered_building"),
                with_tax=_count(present.filter(Exists(taxed)), "building"),
                without_tax=_count(present.filter(~Exists(taxed)), "building"))
            .order_by("path"))


@dataclass
class LedgerCounts:
    """A building's or a business community's ledger figures."""

    name: str
    code: str
    floor_area_m2: Decimal = Decimal(0)
    vacant_area_m2: Decimal = Decimal(0)
    here_registered: int = 0
    here_registered_elsewhere: int = 0
    registered_not_present: int = 0
    with_tax: int = 0
    without_tax: int = 0
    grade: str = ""
    grade_score: Decimal | None = None
    buildings: int = 0

    @property
    def occupancy(self) -> Decimal | None:
        """1 − vacant / floor area (None without a floor area)."""
        if not self.floor_area_m2:
            return None
        return (1 - self.vacant_area_m2 / self.floor_area_m2).quantize(Decimal("0.0001"))

    @property
    def present(self) -> int:
        return self.here_registered + self.here_registered_elsewhere

    def add(self, other: LedgerCounts) -> None:
        self.floor_area_m2 += other.floor_area_m2
        self.vacant_area_m2 += other.vacant_area_m2
        for key in ("here_registered", "here_registered_elsewhere", "registered_not_present", "with_tax",
                    "without_tax"):
            setattr(self, key, getattr(self, key) + getattr(other, key))
        self.buildings += 1


COUNT_KEYS = ("here_registered", "here_registered_elsewhere", "registered_not_present", "with_tax", "without_tax")


def building_counts(place: Place) -> LedgerCounts:
    """The figures of one annotated building row (see `building_ledger_rows`)."""
    ledger = getattr(place, "business_ledger", None) if _has_ledger(place) else None
    return LedgerCounts(
        name=place.name, code=place.code, floor_area_m2=place.floor_area_m2 or Decimal(0),
        vacant_area_m2=ledger.vacant_area_m2 if ledger else Decimal(0),
        grade=ledger.grade if ledger else "", grade_score=ledger.grade_score if ledger else None, buildings=1,
        **{key: getattr(place, key) for key in COUNT_KEYS})


def _has_ledger(place: Place) -> bool:
    try:
        place.business_ledger  # noqa: B018
    except BuildingLedger.DoesNotExist:
        return False
    return True


@dataclass
class CommunityLedger:
    community: Place
    total: LedgerCounts
    rows: list[tuple[Place, LedgerCounts]] = field(default_factory=list)


def building_ledger(actor: User, year: int, *, community: str = "") -> list[CommunityLedger]:
    """The building ledger as `actor` sees it: per business community its buildings' figures and their sum (one
    query for the whole list)."""
    buildings = buildings_visible(actor)
    if community:
        buildings = buildings.filter(parent__code=community)
    groups: dict[int, CommunityLedger] = {}
    for place in building_ledger_rows(buildings, year):
        group = groups.get(place.parent_id)
        if group is None:
            group = groups[place.parent_id] = CommunityLedger(
                place.parent, LedgerCounts(name=place.parent.name, code=place.parent.code))
        counts = building_counts(place)
        group.rows.append((place, counts))
        group.total.add(counts)
    return list(groups.values())


def enterprises_of_building(actor: User, building: Place) -> QuerySet[Enterprise]:
    """The firms present in or registered at `building` that `actor` sees."""
    return enterprise_list(actor).filter(Q(building=building) | Q(registered_building=building))


def tax_records_of(enterprise: Enterprise) -> QuerySet[TaxRecord]:
    """An enterprise's tax records, newest first."""
    return enterprise.tax_records.order_by("-year", "-month")
