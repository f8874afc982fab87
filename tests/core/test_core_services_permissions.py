"""Core's write services ask the resolver like every app's: a user out of scope or without the permission is
refused before anything is written; `actor=None` is the system and may do anything."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from commonground.core.admin import PlaceAdmin
from commonground.core.models import (
    Household,
    HouseholdMember,
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    Ownership,
    Person,
    Place,
    PlaceKind,
    Relation,
    RoleAssignment,
    RoleKind,
    Setting,
    User,
)
from commonground.core.services.accounts import (
    clock_reset,
    clock_set,
    role_assign,
    role_assignment_update,
    setting_set,
)
from commonground.core.services.calendar import calendar_day_set
from commonground.core.services.organisations import (
    organisation_create,
    organisation_member_add,
    organisation_member_remove,
    organisation_member_update,
    organisation_update,
)
from commonground.core.services.people import (
    household_create,
    household_member_remove,
    household_member_save,
    household_update,
    ownership_create,
    ownership_end,
    person_create,
    person_update,
)
from commonground.core.services.places import place_create, place_move, place_update

from ..conftest import VALID_FROM, Tree, database_state, start_clock_on


@dataclass
class Side:
    """One community's chain and the records in it: the worker's own (`mine`) or the neighbour's (`theirs`)."""

    estate: Place
    building: Place
    other_building: Place
    corridor: Place
    flat: Place
    head: Person
    lodger: Person  # registered at the flat, in no household yet
    household: Household
    member: HouseholdMember  # not the head
    ownership: Ownership
    organisation: Organisation
    membership: OrganisationMembership


def side(tree: Tree, community_code: str, head: Person, label: str) -> Side:
    estate = Place.objects.get(code=f"{community_code}-E1")
    flat = Place.objects.get(code=f"{community_code}-E1-B1-U1-101")
    household = Household.objects.get(flat=flat)
    member = household_member_save(member=HouseholdMember(
        household=household, person=person_create(name=f"{label}配偶", registered_place=flat),
        relation=Relation.SPOUSE))
    organisation = organisation_create(name=f"{label}业委会", kind=OrganisationKind.OWNERS_COMMITTEE, place=estate)
    return Side(
        estate=estate, building=Place.objects.get(code=f"{community_code}-E1-B1"),
        other_building=place_create(code=f"{community_code}-E1-B2", name="2幢", kind=PlaceKind.BUILDING,
                                    parent=estate),
        corridor=Place.objects.get(code=f"{community_code}-E1-B1-U1"), flat=flat, head=head,
        lodger=person_create(name=f"{label}租客", registered_place=flat), household=household, member=member,
        ownership=Ownership.objects.get(flat=flat), organisation=organisation,
        membership=organisation_member_add(organisation=organisation, person=head, position="委员"),
    )


@pytest.fixture
def sides(tree) -> dict[str, Side]:
    return {"mine": side(tree, tree.community.code, tree.owner, "甲"),
            "theirs": side(tree, tree.neighbour.code, tree.neighbour_owner, "乙")}


@pytest.fixture
def worker(tree, make_user) -> User:
    """A community worker: manages master data in the first community, not in its neighbour."""
    return make_user(RoleKind.COMMUNITY_WORKER, tree.community)


# Each scoped write, done on one side's records by `actor`.
SCOPED_WRITES: dict[str, Callable[[Side, User | None], object]] = {
    "place_create": lambda s, actor: place_create(
        code=f"{s.corridor.code}-102", name="102室", kind=PlaceKind.FLAT, parent=s.corridor, actor=actor),
    "place_update": lambda s, actor: place_update(place=s.building, name="一幢", actor=actor),
    "place_move": lambda s, actor: place_move(place=s.corridor, new_parent=s.other_building, actor=actor),
    "person_create": lambda s, actor: person_create(name="新人", registered_place=s.flat, actor=actor),
    "person_update": lambda s, actor: person_update(person=s.head, phone="13900000009", actor=actor),
    "household_create": lambda s, actor: household_create(flat=s.flat, head=s.lodger, actor=actor),
    "household_update": lambda s, actor: household_update(
        household=s.household, registered_on=datetime.date(2024, 1, 2), actor=actor),
    "ownership_create": lambda s, actor: ownership_create(
        flat=s.flat, person=s.member.person, exclusive_area_m2=s.ownership.exclusive_area_m2, actor=actor),
    "ownership_end": lambda s, actor: ownership_end(
        ownership=s.ownership, ended_on=datetime.date(2024, 1, 2), actor=actor),
    "household_member_save (add)": lambda s, actor: household_member_save(
        member=HouseholdMember(household=s.household, person=s.lodger, relation=Relation.TENANT), actor=actor),
    "household_member_save (change)": lambda s, actor: household_member_save(
        member=_with(s.member, relation=Relation.OTHER), actor=actor),
    "household_member_remove": lambda s, actor: household_member_remove(member=s.member, actor=actor),
    "organisation_create": lambda s, actor: organisation_create(
        name="物业公司", kind=OrganisationKind.PROPERTY_COMPANY, place=s.estate, actor=actor),
    "organisation_update": lambda s, actor: organisation_update(
        organisation=s.organisation, phone="0571-88888888", actor=actor),
    "organisation_member_add": lambda s, actor: organisation_member_add(
        organisation=s.organisation, person=s.lodger, position="委员", actor=actor),
    "organisation_member_update": lambda s, actor: organisation_member_update(
        membership=s.membership, position="主任", actor=actor),
    "organisation_member_remove": lambda s, actor: organisation_member_remove(membership=s.membership, actor=actor),
}


def _with(obj, **changes):
    for field, value in changes.items():
        setattr(obj, field, value)
    return obj


@pytest.mark.parametrize("write", SCOPED_WRITES)
def test_core_write__out_of_scope__refused_nothing_written(sides, worker, nothing_written, write):
    with nothing_written(), pytest.raises(PermissionDenied):
        SCOPED_WRITES[write](sides["theirs"], worker)


@pytest.mark.parametrize("write", SCOPED_WRITES)
def test_core_write__role_without_the_permission__refused_nothing_written(tree, sides, make_user, nothing_written,
                                                                          write):
    grid_worker = make_user(RoleKind.GRID_WORKER, tree.community)  # sees master data there, changes none
    with nothing_written(), pytest.raises(PermissionDenied):
        SCOPED_WRITES[write](sides["mine"], grid_worker)


@pytest.mark.parametrize("write", SCOPED_WRITES)
def test_core_write__in_scope__written(sides, worker, write):
    before = database_state()
    SCOPED_WRITES[write](sides["mine"], worker)
    assert database_state() != before


@pytest.mark.parametrize("write", SCOPED_WRITES)
def test_core_write__system__written(sides, write):
    before = database_state()
    SCOPED_WRITES[write](sides["theirs"], None)
    assert database_state() != before


# --- where the new object or the moved one would land --------------------------------------------------

def test_place_move__into_neighbour_community__refused_nothing_written(sides, worker, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied):
        place_move(place=sides["mine"].corridor, new_parent=sides["theirs"].other_building, actor=worker)


def test_organisation_member_update__moved_to_own_organisation__refused_nothing_written(sides, worker,
                                                                                      nothing_written):
    """A membership the worker cannot reach stays out of reach even when the instance handed over names their own
    organisation (the stored row is asked too)."""
    membership = _with(sides["theirs"].membership, organisation=sides["mine"].organisation)
    with nothing_written(), pytest.raises(PermissionDenied):
        organisation_member_update(membership=membership, position="主任", actor=worker)


@pytest.mark.parametrize("write", ["place_create", "person_create"])
def test_core_create__top_of_tree__scoped_user_refused_superuser_written(tree, make_user, nothing_written, write):
    """A place without parent, or a person registered nowhere, lies in nobody's scope: only who may act everywhere."""
    def create(actor: User) -> object:
        if write == "place_create":
            return place_create(code="330106", name="上城区", kind=PlaceKind.DISTRICT, actor=actor)
        return person_create(name="无籍人", actor=actor)

    district_admin = make_user(RoleKind.DISTRICT_ADMIN, tree.district)
    with nothing_written(), pytest.raises(PermissionDenied):
        create(district_admin)
    assert create(User.objects.create_superuser("root", password="pw-test-123")).pk


# --- deployment-wide records: settings, the clock, the calendar, roles ---------------------------------

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

DEPLOYMENT_WRITES: dict[str, Callable[[Tree, User | None], object]] = {
    "setting_set (add)": lambda tree, actor: setting_set(key="today", value="2025-06-30", actor=actor),
    "setting_set (change)": lambda tree, actor: setting_set(key="first_year", value=2024, actor=actor),
    "clock_set": lambda tree, actor: clock_set(
        starts_at=datetime.datetime(2024, 5, 1, 9, tzinfo=SHANGHAI), actor=actor),
    "clock_reset": lambda tree, actor: clock_reset(actor=actor),
    "calendar_day_set (add)": lambda tree, actor: calendar_day_set(
        date=datetime.date(2030, 10, 1), is_workday=False, name="国庆节", actor=actor),
    "calendar_day_set (change)": lambda tree, actor: calendar_day_set(
        date=datetime.date(2030, 1, 1), is_workday=True, actor=actor),
    "role_assignment_update": lambda tree, actor: role_assignment_update(
        assignment=RoleAssignment.objects.get(scope=tree.far_community), valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2030, 1, 1), actor=actor),
}


@pytest.fixture
def deployment(tree, make_user) -> Tree:
    """A setting, a running clock, a recorded holiday and a role in the other street, all there to be changed."""
    setting_set(key="first_year", value=2023)
    start_clock_on(datetime.date(2023, 8, 31))
    calendar_day_set(date=datetime.date(2030, 1, 1), is_workday=False, name="元旦")
    make_user(RoleKind.RESIDENT, tree.far_community)
    return tree


@pytest.mark.parametrize("write", DEPLOYMENT_WRITES)
@pytest.mark.parametrize("role,scope", [
    (RoleKind.STREET_STAFF, "street"),  # manages master data and grants roles, but not these
    (RoleKind.DISTRICT_ADMIN, "street"),  # every permission, below the top of the tree
])
def test_deployment_write__not_from_the_top__refused_nothing_written(deployment, make_user, nothing_written,
                                                                    write, role, scope):
    actor = make_user(role, getattr(deployment, scope))
    with nothing_written(), pytest.raises(PermissionDenied):
        DEPLOYMENT_WRITES[write](deployment, actor)


@pytest.mark.parametrize("write", DEPLOYMENT_WRITES)
def test_deployment_write__district_admin__written(deployment, make_user, write):
    actor = make_user(RoleKind.DISTRICT_ADMIN, deployment.district)
    before = database_state()
    DEPLOYMENT_WRITES[write](deployment, actor)
    assert database_state() != before


@pytest.mark.parametrize("write", DEPLOYMENT_WRITES)
def test_deployment_write__system__written(deployment, write):
    before = database_state()
    DEPLOYMENT_WRITES[write](deployment, None)
    assert database_state() != before


# --- the admin hands its user to the services --------------------------------------------------------------

def test_admin_place_add__form_check_bypassed__service_refuses_nothing_written(client, tree, make_user,
                                                                              nothing_written, monkeypatch):
    """A worker who also sees the neighbour community (so the admin offers its estate as a parent) may not add
    there: with the admin's own scope check taken away, the service still refuses."""
    monkeypatch.setattr(PlaceAdmin, "check_scope", lambda *args, **kwargs: None)
    worker = make_user(RoleKind.COMMUNITY_WORKER, tree.community, is_staff=True)
    role_assign(user=worker, role=RoleKind.GRID_WORKER, scope=tree.neighbour, valid_from=VALID_FROM)
    client.force_login(worker)
    data = {"code": "NEW-1", "name": "新楼", "kind": PlaceKind.BUILDING, "parent": tree.neighbour_estate.pk,
            "address": "", "latitude": "", "longitude": "", "outline": "null", "floor_area_m2": "",
            "year_built": "", "households": ""}
    with nothing_written():
        response = client.post(reverse("admin:core_place_add"), data)
    assert response.status_code == 403


def test_admin_setting_change__service_asked_with_the_user(client, tree, make_user, monkeypatch):
    seen = []
    monkeypatch.setattr("commonground.core.admin.setting_set",
                        lambda **kwargs: seen.append(kwargs["actor"]) or setting_set(**kwargs))
    admin_user = make_user(RoleKind.DISTRICT_ADMIN, tree.district, is_staff=True)
    client.force_login(admin_user)
    response = client.post(reverse("admin:core_setting_add"), {"key": "today", "value": '"2025-06-30"'})
    assert response.status_code == 302
    assert seen == [admin_user]
    assert Setting.objects.get(key="today").value == "2025-06-30"
