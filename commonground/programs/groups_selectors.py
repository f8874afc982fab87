"""Reads of the new employment groups and the couriers' homes.

Who sees what (decided):
- A couriers' home is a facility where a couriers' council is based. Its page is a noticeboard: every signed-in
  user sees the home's facts (place, address, floor area, zones), its published activities not yet ended, the
  council's items with their progress (number, text, stage; never who reported them), the council's members by
  position with masked names, and the services nearby.
- Declared people (who is a courier of which platform) are personal: a person sees their own declarations; staff
  with `employment.view` see the active ones at places in their scope. Names and phones are in full only where the
  user both manages declarations (`employment.manage`) and may see personal data (`person.view_personal_data`);
  grid workers and everyone else see them masked. Counts by group and platform follow the same scope.
Every function here runs a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Count, Q, QuerySet, Sum, Value, When
from django.db.models import Case as Switch
from django.http import Http404
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.masking import PERSONAL_DATA_PERMISSION, mask_name, shown
from commonground.core.models import (
    HouseholdMember,
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    Place,
    PlaceKind,
)
from commonground.core.models.places import SEGMENT_WIDTH, within_q
from commonground.core.permissions import access_object, active_roles, can, scope_paths, visible_to
from commonground.deliberation.models import Meeting, MeetingKind, MeetingStatus

from .jobs_selectors import postings_for_home
from .models import Activity, ActivityStatus, EmploymentDeclaration, EmploymentGroup, FacilityZone
from .services.groups import COUNCIL_CATEGORY, couriers_homes, current_members

VIEW = "employment.view"
MANAGE = "employment.manage"
COMMUNITY_PATH_LENGTH = 3 * SEGMENT_WIDTH
STREET_PATH_LENGTH = 2 * SEGMENT_WIDTH
UPCOMING_SHOWN = 8
LATEST_ITEMS_SHOWN = 8
POSTINGS_SHOWN = 5
MEETINGS_SHOWN = 4
NEARBY_SHOWN = 12
# Organisations whose offices serve couriers near a home.
SERVICE_KINDS = (OrganisationKind.RESIDENTS_COMMITTEE, OrganisationKind.PARTY_ORGANISATION,
                 OrganisationKind.THREE_PARTY_OFFICE, OrganisationKind.MASS_ASSOCIATION,
                 OrganisationKind.PROPERTY_COMPANY)


# --- declarations -------------------------------------------------------------------------------------------

def full_flag(user: Any, lookup: str = "place_path"):
    """SQL: may `user` see this row's names and phones in full (manages declarations and sees personal data
    there)?"""
    manage, personal = scope_paths(user, MANAGE), scope_paths(user, PERSONAL_DATA_PERMISSION)
    if manage == [] or personal == []:
        return Value(False)
    conditions = [within_q(lookup, paths) for paths in (manage, personal) if paths is not None]
    if not conditions:
        return Value(True)
    condition = conditions[0]
    for other in conditions[1:]:
        condition &= other
    return Switch(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def declarations_for(user: Any, *, group: str = "", platform: str = "") -> QuerySet[EmploymentDeclaration]:
    """The active declarations at places in the user's `employment.view` scope (their own too), with `in_full`."""
    rows = visible_to(user, VIEW, EmploymentDeclaration.objects.filter(revoked_at__isnull=True))
    if group:
        rows = rows.filter(group=group)
    if platform:
        rows = rows.filter(platform=platform)
    return (rows.select_related("person", "place").annotate(in_full=full_flag(user))
            .order_by("place_path", "pk"))


def access_declaration(user: Any, pk: int, action: str = VIEW) -> EmploymentDeclaration:
    """A declaration (active or withdrawn) the user sees: their own, or staff's in scope."""
    rows = visible_to(user, VIEW, EmploymentDeclaration.objects.select_related("person", "place"))
    return access_object(user, rows, action, view_action=VIEW, missing=_("No such declaration."), pk=pk)


def own_declarations(user: Any) -> list[EmploymentDeclaration]:
    """The user's own declarations, the active one first, then the withdrawn ones newest first."""
    if not getattr(user, "person_id", None):
        return []
    rows = EmploymentDeclaration.objects.filter(person_id=user.person_id).select_related("place")
    return sorted(rows, key=lambda d: (d.revoked_at is not None, -d.declared_at.timestamp(), -d.pk))


@dataclass
class DeclarationLine:
    """One row of the staff list and its export, personal data as the user may see it."""

    pk: int
    name: str
    phone: str
    group: str
    platform: str
    place: str
    declared_at: Any


def declaration_lines(rows) -> list[DeclarationLine]:
    return [DeclarationLine(pk=d.pk, name=shown("name", d.person.name, in_full=d.in_full),
                            phone=shown("phone", d.person.phone, in_full=d.in_full),
                            group=d.get_group_display(), platform=d.platform, place=d.place.name,
                            declared_at=d.declared_at) for d in rows]


@dataclass
class Counts:
    total: int = 0
    by_group: list[tuple[str, int]] = field(default_factory=list)
    by_platform: list[tuple[str, int]] = field(default_factory=list)


def declaration_counts(user: Any) -> Counts:
    """Active declarations in the user's scope, by group and by platform (two queries)."""
    rows = visible_to(user, VIEW, EmploymentDeclaration.objects.filter(revoked_at__isnull=True))
    labels = dict(EmploymentGroup.choices)
    groups = {r["group"]: r["n"] for r in rows.order_by().values("group").annotate(n=Count("pk"))}
    platforms = list(rows.order_by().values("platform").annotate(n=Count("pk")).order_by("-n", "platform"))
    return Counts(total=sum(groups.values()),
                  by_group=[(str(labels[g]), groups[g]) for g in EmploymentGroup.values if g in groups],
                  by_platform=[(r["platform"], r["n"]) for r in platforms])


def platforms_in(user: Any) -> list[str]:
    rows = visible_to(user, VIEW, EmploymentDeclaration.objects.filter(revoked_at__isnull=True))
    return list(rows.order_by("platform").values_list("platform", flat=True).distinct())


# --- homes ------------------------------------------------------------------------------------------------

def homes() -> QuerySet[Place]:
    """Every couriers' home (a facility where a couriers' council is based), with its community."""
    return Place.objects.filter(couriers_homes()).select_related("parent").order_by("path")


def access_home(user: Any, pk: int) -> Place:
    """A couriers' home: every signed-in user sees its page (404 for anything else)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404(_("No such couriers' home."))
    try:
        return homes().get(pk=pk)
    except Place.DoesNotExist:
        raise Http404(_("No such couriers' home.")) from None


def user_paths(user: Any) -> list[str]:
    """Where the user belongs: their roles' scopes, their households' flats and their declarations' places."""
    paths = [role.scope.path for role in active_roles(user)]
    person_id = getattr(user, "person_id", None)
    if person_id:
        paths += HouseholdMember.objects.filter(person_id=person_id).values_list("household__flat__path", flat=True)
        paths += EmploymentDeclaration.objects.filter(person_id=person_id, revoked_at__isnull=True).values_list(
            "place_path", flat=True)
    return sorted(set(paths))


def homes_of(user: Any, all_homes: list[Place]) -> list[Place]:
    """The homes of the user's scope: in their community (or under a wider scope they hold)."""
    paths = user_paths(user)
    if getattr(user, "is_superuser", False):
        return all_homes
    return [home for home in all_homes if any(
        home.path.startswith(path) or path.startswith(home.path[:COMMUNITY_PATH_LENGTH]) for path in paths)]


@dataclass
class CouncilItems:
    solved: int = 0
    open_total: int = 0
    open_by_stage: list[tuple[str, int]] = field(default_factory=list)
    latest: list[Any] = field(default_factory=list)


@dataclass
class HomePage:
    home: Place
    community: Place | None
    council: Organisation | None
    zones: list[FacilityZone]
    zones_area: Decimal
    activities: list[Activity]
    items: CouncilItems
    members: list[tuple[str, str]]
    facilities: list[Place]
    organisations: list[Organisation]
    may_manage: bool
    may_view_declared: bool
    postings: list[Any]
    meetings: list[Any]


def council_of(home: Place) -> Organisation | None:
    return (Organisation.objects.of_kind(OrganisationKind.COURIERS_COUNCIL).active_on(clock.today())
            .filter(place=home).order_by("pk").first())


def upcoming_activities(home: Place, limit: int = UPCOMING_SHOWN) -> QuerySet[Activity]:
    """Published activities not yet ended at the home (or under it) and in its community."""
    community_path = home.path[:COMMUNITY_PATH_LENGTH]
    return (Activity.objects.filter(Q(community_path=community_path) | within_q("place_path", [home.path]),
                                    status=ActivityStatus.PUBLISHED, last_ends_at__gt=clock.now())
            .select_related("place", "organiser").order_by("first_starts_at", "pk")[:limit])


def council_items(home: Place, latest: int = LATEST_ITEMS_SHOWN) -> CouncilItems:
    """The council's items: cases of category courier-council-item in the home's community (two queries)."""
    from commonground.cases.models import CLOSED_STAGES, OPEN_STAGES, Case, Stage

    cases = Case.objects.filter(category__code=COUNCIL_CATEGORY, unit_path=home.path[:COMMUNITY_PATH_LENGTH])
    by_stage = {r["stage"]: r["n"] for r in cases.order_by().values("stage").annotate(n=Count("pk"))}
    labels = dict(Stage.choices)
    rows = list(cases.select_related("place").order_by("-created_at", "-pk")[:latest])
    return CouncilItems(
        solved=sum(by_stage.get(s, 0) for s in CLOSED_STAGES),
        open_total=sum(by_stage.get(s, 0) for s in OPEN_STAGES),
        open_by_stage=[(str(labels[s]), by_stage[s]) for s in OPEN_STAGES if by_stage.get(s)],
        latest=rows)


def council_items_page(home: Place) -> QuerySet:
    from commonground.cases.models import Case

    return (Case.objects.filter(category__code=COUNCIL_CATEGORY, unit_path=home.path[:COMMUNITY_PATH_LENGTH])
            .select_related("place").order_by("-created_at", "-pk"))


def member_lines(user: Any, council: Organisation | None) -> list[tuple[str, str]]:
    """(position, name) of the council's current members: names in full for staff who see declared people."""
    if council is None:
        return []
    full = can(user, VIEW, council.place)
    rows = current_members(council).select_related("person").order_by("term_from", "pk")
    return [(m.position, m.person.name if full else mask_name(m.person.name)) for m in rows]


def nearby(home: Place) -> tuple[list[Place], list[Organisation]]:
    """Other facilities of the home's street, and the service organisations of its community, with addresses."""
    community_path = home.path[:COMMUNITY_PATH_LENGTH]
    facilities = list(Place.objects.filter(within_q("path", [home.path[:STREET_PATH_LENGTH]]),
                                           kind=PlaceKind.FACILITY).exclude(pk=home.pk).order_by("path")[:NEARBY_SHOWN])
    organisations = list(Organisation.objects.of_kind(*SERVICE_KINDS).active_on(clock.today())
                         .filter(within_q("place__path", [community_path]))
                         .select_related("place").order_by("place__path", "kind", "name")[:NEARBY_SHOWN])
    return facilities, organisations


def home_page(user: Any, home: Place) -> HomePage:
    council = council_of(home)
    zones = list(home.zones.order_by("pk"))
    facilities, organisations = nearby(home)
    return HomePage(
        home=home, community=home.parent if home.parent and home.parent.kind == PlaceKind.COMMUNITY else None,
        council=council, zones=zones, zones_area=sum((z.area_m2 or Decimal(0) for z in zones), Decimal(0)),
        activities=list(upcoming_activities(home)), items=council_items(home),
        members=member_lines(user, council), facilities=facilities, organisations=organisations,
        may_manage=can(user, MANAGE, home), may_view_declared=can(user, VIEW, home),
        postings=postings_for_home(home, limit=POSTINGS_SHOWN), meetings=couriers_meetings(home))


def couriers_meetings(home: Place, limit: int = MEETINGS_SHOWN) -> list[Meeting]:
    """小哥面对面: the home's couriers' meetings (deliberation's), the next planned first, then the latest held, each
    with its resolutions counted. Titles and dates only: the meetings' pages keep their own access rule."""
    meetings = Meeting.objects.filter(place=home, kind=MeetingKind.COURIERS).exclude(
        status=MeetingStatus.CANCELLED).annotate(resolutions_count=Count("resolutions"))
    now = clock.now()
    upcoming = list(meetings.filter(starts_at__gte=now).order_by("starts_at", "pk")[:1])
    return upcoming + list(meetings.filter(starts_at__lt=now).order_by("-starts_at", "-pk")[:limit - len(upcoming)])


def access_zone(user: Any, pk: int, action: str = MANAGE) -> FacilityZone:
    rows = visible_to(user, action, FacilityZone.objects.select_related("facility"))
    return access_object(user, rows, action, view_action=action, missing=_("No such zone."), pk=pk)


def zones_area(facility: Place) -> Decimal:
    return facility.zones.aggregate(s=Sum("area_m2"))["s"] or Decimal(0)


def council_members_of(council: Organisation) -> QuerySet[OrganisationMembership]:
    return current_members(council).select_related("person").order_by("term_from", "pk")
