"""Reads of the three-party offices, the joint-meeting register and the party and association network.

Offices: a user sees the offices within their coordination scope, and an owners' committee member or a property
manager (scoped at an estate) the office of their estate's community — its staff masked unless the resolver lets
them see personal data there. Network counts come grouped by place path prefix: a constant number of queries
whatever the number of places.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Length, Substr
from django.http import Http404

from commonground.cases.models import OPEN_STAGES, Case
from commonground.core import clock
from commonground.core.masking import in_full, shown
from commonground.core.models import Organisation, OrganisationKind, OrganisationMembership, Place, PlaceKind
from commonground.core.models.places import SEGMENT_WIDTH, within_q
from commonground.core.permissions import can, scope_paths
from commonground.deliberation.models import Meeting, MeetingKind, Resolution

from .models import BranchBuilding, OfficePosition
from .services.network import serving_q

VIEW = "coordination.view"
OFFICE = OrganisationKind.THREE_PARTY_OFFICE
PARTY = OrganisationKind.PARTY_ORGANISATION
MASS = OrganisationKind.MASS_ASSOCIATION
COMMUNITY_PATH = 3 * SEGMENT_WIDTH  # district, street, community
# The level below each level of the network's drill-down, and the length of its places' paths.
CHILD_KIND = {PlaceKind.DISTRICT: PlaceKind.STREET, PlaceKind.STREET: PlaceKind.COMMUNITY,
              PlaceKind.COMMUNITY: PlaceKind.ESTATE}
NETWORK_KINDS = (PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.ESTATE)
POSITION_ORDER = {value: n for n, value in enumerate(OfficePosition.values)}


def _office_condition(paths: list[str]) -> Q:
    """Offices within `paths`, and the community office above each path scoped below a community."""
    above = {path[:COMMUNITY_PATH] for path in paths if len(path) > COMMUNITY_PATH}
    return within_q("place__path", paths) | Q(place__path__in=sorted(above))


def three_party_case_q(prefix: str = "") -> Q:
    """Open cases of a category the three-party offices handle."""
    return Q(**{f"{prefix}stage__in": OPEN_STAGES, f"{prefix}category__handler_kind": OFFICE})


def _count(queryset: QuerySet) -> Coalesce:
    """The number of rows of `queryset` (correlated with OuterRef) as a subquery: one statement for a whole list."""
    grouped = queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(grouped, output_field=IntegerField()), 0)


def offices_for(user: Any) -> QuerySet[Organisation]:
    """The three-party offices the user sees, district first, then streets, then communities (by code), each with
    its serving staff (`staff`), its open three-party disputes (`open_disputes`: handled by it, or at its place
    without a handler) and its joint meetings (`joint_meetings`: convened by it or of the joint kind at its place)."""
    offices = Organisation.objects.filter(kind=OFFICE).active_on(clock.today())
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return offices.none()
    paths = scope_paths(user, VIEW)
    if paths is not None:
        offices = offices.filter(_office_condition(paths)) if paths else offices.none()
    disputes = Case.objects.filter(three_party_case_q()).filter(
        Q(handler_id=OuterRef("pk")) | Q(handler__isnull=True, handling_place_id=OuterRef("place_id")))
    meetings = Meeting.objects.exclude(status="cancelled").filter(
        Q(convener_id=OuterRef("pk")) | Q(kind=MeetingKind.JOINT, place_id=OuterRef("place_id")))
    return (offices.select_related("place")
            .annotate(open_disputes=_count(disputes), joint_meetings=_count(meetings), level=Length("place__path"))
            .prefetch_related(Prefetch("memberships", to_attr="staff", queryset=OrganisationMembership.objects.filter(
                serving_q(clock.today())).select_related("person").order_by("term_from", "pk")))
            .order_by("level", "place__path", "pk"))


def access_office(user: Any, pk: int) -> Organisation:
    """The office `pk` if the user sees it, else 404."""
    office = offices_for(user).filter(pk=pk).first()
    if office is None:
        raise Http404
    return office


@dataclass
class StaffLine:
    membership: OrganisationMembership
    name: str
    phone: str
    position: str


def staff_lines(user: Any, office: Organisation) -> list[StaffLine]:
    """The office's serving staff, director first, names and phones as the user may see them."""
    full = in_full(user, office)
    staff = sorted(office.staff, key=lambda m: (POSITION_ORDER.get(m.position, 9), m.term_from or datetime.date.min,
                                                m.pk))
    return [StaffLine(m, shown("name", m.person.name, in_full=full), shown("phone", m.person.phone, in_full=full),
                      OfficePosition(m.position).label if m.position in OfficePosition.values else m.position)
            for m in staff]


def office_disputes(user: Any, office: Organisation) -> QuerySet[Case]:
    """The office's open three-party disputes the user may see (case.view), soonest deadline first."""
    from commonground.core.permissions import visible_to

    rows = Case.objects.filter(three_party_case_q()).filter(
        Q(handler=office) | Q(handler__isnull=True, handling_place_id=office.place_id))
    return visible_to(user, "case.view", rows).select_related("category", "place").order_by("deadline", "pk")


def joint_meetings_for(user: Any, *, office: Organisation | None = None) -> QuerySet[Meeting]:
    """Joint meetings (联席会议) and meetings convened by three-party offices in the user's scope, newest first,
    with their convener, resolutions and the cases those opened; only one office's when `office` is given."""
    rows = Meeting.objects.filter(Q(kind=MeetingKind.JOINT) | Q(convener__kind=OFFICE))
    paths = scope_paths(user, VIEW) if getattr(user, "is_authenticated", False) and user.is_active else []
    if paths is not None:
        rows = rows.filter(within_q("place__path", paths)) if paths else rows.none()
    if office is not None:
        rows = rows.filter(Q(convener=office) | Q(kind=MeetingKind.JOINT, place_id=office.place_id))
    resolutions = Resolution.objects.order_by("position", "pk").prefetch_related(
        Prefetch("cases", queryset=Case.objects.select_related("category").order_by("pk")))
    return (rows.select_related("place", "convener")
            .prefetch_related(Prefetch("resolutions", queryset=resolutions))
            .order_by("-starts_at", "-pk"))


# ---------------------------------------------------------------- the party and association network

@dataclass
class Counts:
    community_party: int = 0
    estate_branches: int = 0
    corridor_branches: int = 0
    party_members: int = 0
    mass_associations: int = 0


@dataclass
class NetworkRow:
    place: Place
    counts: Counts = field(default_factory=Counts)


def network_places(user: Any) -> QuerySet[Place]:
    """Places of the network's levels (district, street, community, estate) the user may open."""
    return Place.objects.filter(_place_condition(user), kind__in=NETWORK_KINDS)


def _place_condition(user: Any) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    paths = scope_paths(user, VIEW)
    return Q() if paths is None else within_q("path", paths)


def network_root(user: Any, code: str = "") -> Place:
    """The place the network page opens at: `code` if the user may open it, else the top of their scope; 404
    when they have none."""
    places = network_places(user)
    if code:
        place = places.filter(code=code).first()
    else:
        place = places.annotate(length=Length("path")).order_by("length", "path").first()
    if place is None:
        raise Http404
    return place


def _bucket(counts: Counts, kind: str, place_kind: str, n: int) -> None:
    if kind == MASS:
        counts.mass_associations += n
    elif place_kind == PlaceKind.COMMUNITY:
        counts.community_party += n
    elif place_kind == PlaceKind.ESTATE:
        counts.estate_branches += n
    elif place_kind == PlaceKind.CORRIDOR:
        counts.corridor_branches += n


def network_counts(place: Place) -> tuple[Counts, list[NetworkRow]]:
    """The network's counts under `place` and per place one level down (streets, communities or estates), in
    three queries: the child places, organisations and party members grouped by path prefix."""
    child_kind = CHILD_KIND.get(place.kind)
    total = Counts()
    rows: dict[str, NetworkRow] = {}
    length = len(place.path) + SEGMENT_WIDTH
    if child_kind:
        for child in Place.objects.filter(parent=place, kind=child_kind).order_by("code", "pk"):
            rows[child.path] = NetworkRow(child)
    today = clock.today()
    organisations = (Organisation.objects.filter(within_q("place__path", [place.path]), kind__in=[PARTY, MASS])
                     .active_on(today).annotate(prefix=Substr("place__path", 1, length))
                     .values_list("prefix", "kind", "place__kind").annotate(n=Count("pk")).order_by())
    for prefix, kind, place_kind, n in organisations:
        _bucket(total, kind, place_kind, n)
        if prefix in rows:
            _bucket(rows[prefix].counts, kind, place_kind, n)
    members = (OrganisationMembership.objects.filter(
        within_q("organisation__place__path", [place.path]), serving_q(today), organisation__kind=PARTY)
        .annotate(prefix=Substr("organisation__place__path", 1, length)).values_list("prefix")
        .annotate(n=Count("pk")).order_by())
    for prefix, n in members:
        total.party_members += n
        if prefix in rows:
            rows[prefix].counts.party_members += n
    return total, list(rows.values())


@dataclass
class MemberLine:
    name: str
    position: str


@dataclass
class BranchLine:
    branch: Organisation
    buildings: list[Place]
    members: list[MemberLine]


def _members(user: Any, organisation: Organisation, full: bool) -> list[MemberLine]:
    return [MemberLine(shown("name", m.person.name, in_full=full), m.position) for m in organisation.serving]


def _serving_prefetch() -> Prefetch:
    return Prefetch("memberships", to_attr="serving", queryset=OrganisationMembership.objects.filter(
        serving_q(clock.today())).select_related("person").order_by("pk"))


def branches_of(estate: Place) -> QuerySet[Organisation]:
    """An estate's corridor party branches with their covered buildings (`covered`) and serving members."""
    return (Organisation.objects.filter(within_q("place__path", [estate.path]), kind=PARTY,
                                        place__kind=PlaceKind.CORRIDOR).active_on(clock.today())
            .select_related("place__parent")
            .prefetch_related(Prefetch("covered_buildings", to_attr="covered",
                                       queryset=BranchBuilding.objects.select_related("building")
                                       .order_by("building__code", "pk")), _serving_prefetch())
            .order_by("place__path", "pk"))


def branches_for(user: Any, estate_code: str = "") -> QuerySet[Organisation]:
    """The corridor party branches in the user's scope (of one estate when `estate_code` is given)."""
    rows = Organisation.objects.filter(kind=PARTY, place__kind=PlaceKind.CORRIDOR).active_on(clock.today())
    paths = scope_paths(user, VIEW) if getattr(user, "is_authenticated", False) and user.is_active else []
    if paths is not None:
        rows = rows.filter(within_q("place__path", paths)) if paths else rows.none()
    if estate_code:
        estate = Place.objects.filter(code=estate_code, kind=PlaceKind.ESTATE).first()
        rows = rows.filter(within_q("place__path", [estate.path])) if estate else rows.none()
    return (rows.select_related("place__parent")
            .prefetch_related(Prefetch("covered_buildings", to_attr="covered",
                                       queryset=BranchBuilding.objects.select_related("building")
                                       .order_by("building__code", "pk")))
            .order_by("place__path", "pk"))


def access_branch(user: Any, pk: int, action: str = VIEW) -> Organisation:
    """A corridor party branch the user sees, else 404; 403 when they see it but may not `action`."""
    branch = branches_for(user).filter(pk=pk).first()
    if branch is None:
        raise Http404
    if action != VIEW and not can(user, action, branch):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return branch


@dataclass
class EstateNetwork:
    estate_branch: Organisation | None
    estate_members: list[MemberLine]
    branches: list[BranchLine]


def estate_network(user: Any, estate: Place) -> EstateNetwork:
    """An estate's party branch and its corridor branches, each with its buildings and members (names as the
    user may see them)."""
    full = in_full(user, estate)
    top = (Organisation.objects.filter(kind=PARTY, place=estate).active_on(clock.today())
           .prefetch_related(_serving_prefetch()).order_by("pk").first())
    branches = [BranchLine(b, [c.building for c in b.covered], _members(user, b, full)) for b in branches_of(estate)]
    return EstateNetwork(top, _members(user, top, full) if top else [], branches)


def associations_of(place: Place) -> QuerySet[Organisation]:
    """The mass associations at `place` itself (a community's, an estate's), with their serving members' count.
    Their activities belong to the programs app (not built yet)."""
    members = OrganisationMembership.objects.filter(serving_q(clock.today()), organisation_id=OuterRef("pk"))
    return (Organisation.objects.filter(kind=MASS, place=place).active_on(clock.today())
            .annotate(member_count=_count(members)).order_by("name", "pk"))


def community_party_of(place: Place) -> Organisation | None:
    return (Organisation.objects.filter(kind=PARTY, place=place).active_on(clock.today()).order_by("pk").first())


def level_of(office: Organisation) -> str:
    return {PlaceKind.DISTRICT: "district", PlaceKind.STREET: "street"}.get(office.place.kind, "community")


def offices_by_level(offices: list[Organisation]) -> dict[str, list[Organisation]]:
    grouped: dict[str, list[Organisation]] = defaultdict(list)
    for office in offices:
        grouped[level_of(office)].append(office)
    return grouped
