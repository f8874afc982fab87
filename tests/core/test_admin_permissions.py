from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.core.masking import mask_id_number
from commonground.core.models import (
    Household,
    HouseholdMember,
    Person,
    Place,
    PlaceKind,
    RoleAssignment,
    RoleKind,
    Setting,
    User,
)
from commonground.core.services.people import household_create, person_create
from commonground.core.services.places import place_create

from ..conftest import make_id_number


@pytest.fixture
def worker(tree, make_user) -> User:
    """A community worker who may use the admin."""
    return make_user(RoleKind.COMMUNITY_WORKER, tree.community, is_staff=True)


def changelist(client, model: str, **params):
    return client.get(reverse(f"admin:core_{model}_changelist"), params)


def rows(response) -> list:
    return list(response.context["cl"].result_list)


def place_form(parent: Place | None, **overrides) -> dict:
    data = {"code": "NEW-1", "name": "新楼", "kind": PlaceKind.BUILDING, "parent": parent.pk if parent else "",
            "address": "", "latitude": "", "longitude": "", "outline": "null", "floor_area_m2": "",
            "year_built": "", "households": ""}
    data.update(overrides)
    return data


# --- who may enter, and what is listed ------------------------------------------------------------

def test_admin__role_without_admin_access__nothing_to_see(client, tree, make_user):
    client.force_login(make_user(RoleKind.GRID_WORKER, tree.community, is_staff=True))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["app_list"] == []
    assert changelist(client, "place").status_code == 403
    assert changelist(client, "person").status_code == 403


def test_admin__not_staff__sent_to_admin_login(client, tree, make_user):
    client.force_login(make_user(RoleKind.COMMUNITY_WORKER, tree.community))
    response = changelist(client, "place")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin__community_worker__index_lists_master_data_not_accounts(client, worker):
    client.force_login(worker)
    models = {m["object_name"] for app in client.get(reverse("admin:index")).context["app_list"] for m in app["models"]}
    assert models == {"Place", "Person", "Household", "Ownership", "Organisation", "OrganisationMembership",
                      "RoleAssignment", "Case", "Vote", "Notice", "Meeting", "Representative",
                      "Sensor"}  # the community's counters (cockpit: sensor.view)


def test_admin_place_changelist__community_worker__own_subtree_only(client, tree, worker):
    client.force_login(worker)
    assert {p.code for p in rows(changelist(client, "place"))} == set(
        Place.objects.within(tree.community).values_list("code", flat=True)
    )


def test_admin_person_changelist__community_worker__neighbours_absent_full_id(client, tree, worker):
    client.force_login(worker)
    response = changelist(client, "person")
    assert rows(response) == [tree.owner]
    assert tree.owner.id_number in response.content.decode()


def test_admin_person__mixed_roles__masked_where_personal_data_not_allowed(client, tree, make_user):
    """Owners' committee member at the first estate (person.view only), community worker next door."""
    user = make_user(RoleKind.COMMUNITY_WORKER, tree.neighbour, is_staff=True)
    from commonground.core.services.accounts import role_assign

    role_assign(user=user, role=RoleKind.OWNERS_COMMITTEE_MEMBER, scope=tree.estate, valid_from=datetime.date(2020, 1, 1))
    client.force_login(user)
    response = changelist(client, "person")
    html = response.content.decode()
    assert {p.pk for p in rows(response)} == {tree.owner.pk, tree.neighbour_owner.pk}
    assert mask_id_number(tree.owner.id_number) in html and tree.owner.id_number not in html
    assert tree.neighbour_owner.id_number in html
    change = client.get(reverse("admin:core_person_change", args=[tree.owner.pk]))
    assert change.status_code == 200
    assert tree.owner.id_number not in change.content.decode()
    assert "13800000001" not in change.content.decode()
    # a search by number finds only people whose number the user may see
    assert rows(changelist(client, "person", q=tree.owner.id_number)) == []
    assert rows(changelist(client, "person", q=tree.neighbour_owner.id_number)) == [tree.neighbour_owner]


@pytest.mark.parametrize("model,attr", [("place", "neighbour"), ("person", "neighbour_owner")])
def test_admin_change__outside_scope__not_found(client, tree, worker, model, attr):
    client.force_login(worker)
    response = client.get(reverse(f"admin:core_{model}_change", args=[getattr(tree, attr).pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_admin_household_changelist__neighbours_absent(client, tree, worker):
    client.force_login(worker)
    assert [h.flat for h in rows(changelist(client, "household"))] == [tree.flat]


# --- writes through the services --------------------------------------------------------------

def test_admin_place_add__under_own_estate__created_with_path(client, tree, worker):
    client.force_login(worker)
    response = client.post(reverse("admin:core_place_add"), place_form(tree.estate))
    assert response.status_code == 302
    place = Place.objects.get(code="NEW-1")
    assert place.path.startswith(tree.estate.path) and len(place.path) == len(tree.estate.path) + 10
    assert place.depth == tree.estate.depth + 1
    assert place.history.get().history_user == worker


def test_admin_place_add__under_neighbour__refused_nothing_created(client, tree, worker):
    client.force_login(worker)
    response = client.post(reverse("admin:core_place_add"), place_form(tree.neighbour_estate))
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert not Place.objects.filter(code="NEW-1").exists()


def test_admin_place_add__wrong_kind_under_parent__form_error(client, tree, worker):
    client.force_login(worker)
    response = client.post(reverse("admin:core_place_add"), place_form(tree.estate, kind=PlaceKind.STREET))
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert not Place.objects.filter(code="NEW-1").exists()


def test_admin_place_change__rename_and_move__through_services(client, tree, worker):
    other_estate = place_create(code="E2", name="新小区", kind=PlaceKind.ESTATE, parent=tree.community)
    client.force_login(worker)
    data = place_form(other_estate, code=tree.building.code, name="一幢", kind=PlaceKind.BUILDING)
    response = client.post(reverse("admin:core_place_change", args=[tree.building.pk]), data)
    assert response.status_code == 302
    building = Place.objects.get(pk=tree.building.pk)
    assert (building.name, building.parent_id) == ("一幢", other_estate.pk)
    assert Place.objects.get(pk=tree.flat.pk).path.startswith(other_estate.path)  # the subtree moved with it


def test_admin_place_change__parent_out_of_scope__read_only_and_kept(client, tree, worker):
    client.force_login(worker)
    url = reverse("admin:core_place_change", args=[tree.community.pk])
    form = client.get(url).context["adminform"].form
    assert "parent" not in form.fields  # the street is out of reach: shown, not offered as an empty choice
    data = place_form(None, latitude="30.300000", longitude="120.150000", name="竹竿巷社区（新）")
    del data["parent"], data["code"], data["kind"]
    response = client.post(url, data)
    assert response.status_code == 302
    community = Place.objects.get(pk=tree.community.pk)
    assert (community.name, community.parent_id, community.path) == ("竹竿巷社区（新）", tree.street.pk, tree.community.path)


def test_admin_place_change__move_to_neighbour__refused_nothing_changed(client, tree, worker):
    client.force_login(worker)
    data = place_form(tree.neighbour_estate, code=tree.building.code, name="一幢", kind=PlaceKind.BUILDING)
    response = client.post(reverse("admin:core_place_change", args=[tree.building.pk]), data)
    assert response.status_code == 200
    building = Place.objects.get(pk=tree.building.pk)
    assert (building.name, building.parent_id, building.path) == (tree.building.name, tree.estate.pk, tree.building.path)


def test_admin_person_add__through_person_create_and_stays_visible(client, tree, worker):
    client.force_login(worker)
    id_number = make_id_number(birth="19900215", seq=21)
    response = client.post(reverse("admin:core_person_add"), {"name": " 王五 ", "id_number": id_number,
                                                               "phone": "13800000003",
                                                               "registered_place": tree.community.pk})
    assert response.status_code == 302
    person = Person.objects.get(id_number=id_number)
    assert (person.name, person.name_pinyin, person.birth_date) == ("王五", "wang wu", datetime.date(1990, 2, 15))
    assert client.get(reverse("admin:core_person_change", args=[person.pk])).status_code == 200


def test_admin_person_add__without_place_or_outside_scope__refused(client, tree, worker):
    client.force_login(worker)
    before = Person.objects.count()
    for place in ("", tree.neighbour.pk):
        response = client.post(reverse("admin:core_person_add"), {
            "name": "赵六", "id_number": make_id_number(seq=22), "phone": "", "registered_place": place})
        assert response.status_code == 200
        assert "registered_place" in response.context["adminform"].form.errors
    assert Person.objects.count() == before


def test_admin_household_add__head_recorded_by_service(client, tree, worker):
    flat = place_create(code="F-2", name="102室", kind=PlaceKind.FLAT, parent=tree.corridor)
    client.force_login(worker)
    data = {"flat": flat.pk, "head": tree.owner.pk, "registered_on": "2024-01-02",
            "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}
    response = client.post(reverse("admin:core_household_add"), data)
    assert response.status_code == 302
    household = Household.objects.get(flat=flat)
    assert list(HouseholdMember.objects.filter(household=household).values_list("person", "relation")) == [
        (tree.owner.pk, "head")
    ]


def test_admin_household_add__flat_in_neighbour_community__refused(client, tree, worker):
    client.force_login(worker)
    data = {"flat": tree.neighbour_flat.pk, "head": tree.owner.pk, "registered_on": "",
            "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}
    response = client.post(reverse("admin:core_household_add"), data)
    assert response.status_code == 200
    assert Household.objects.filter(flat=tree.neighbour_flat).count() == 1


def ownership_form(flat: Place, person: Person, area: str) -> dict:
    return {"flat": flat.pk, "person": person.pk, "organisation": "", "exclusive_area_m2": area,
            "acquired_on": "", "ended_on": ""}


def test_admin_ownership_add__area_differs_from_co_owner__form_error(client, tree, worker):
    co_owner = person_create(name="共有人")
    household_create(flat=tree.flat, head=co_owner)  # lives in the community: the worker can pick them
    client.force_login(worker)
    response = client.post(reverse("admin:core_ownership_add"), ownership_form(tree.flat, co_owner, "80.00"))
    assert response.status_code == 200
    assert "exclusive_area_m2" in response.context["adminform"].form.errors
    assert tree.flat.ownerships.count() == 1
    response = client.post(reverse("admin:core_ownership_add"), ownership_form(tree.flat, co_owner, "75.50"))
    assert response.status_code == 302
    assert tree.flat.ownerships.count() == 2


def test_admin_ownership_add__person_with_no_place__cannot_be_picked(client, tree, worker):
    """A person tied to no place yet lies in nobody's scope (see the report: Person has no place of its own)."""
    client.force_login(worker)
    response = client.post(reverse("admin:core_ownership_add"),
                           ownership_form(tree.flat, person_create(name="新人"), "75.50"))
    assert response.status_code == 200
    assert "person" in response.context["adminform"].form.errors
    assert tree.flat.ownerships.count() == 1


# --- autocomplete ---------------------------------------------------------------------------------

def autocomplete(client, term: str) -> list[str]:
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": "core", "model_name": "organisation", "field_name": "place", "term": term,
    })
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_admin_autocomplete__places__scoped(client, tree, worker):
    client.force_login(worker)
    assert autocomplete(client, "竹竿巷") == ["竹竿巷社区", "竹竿巷小区"]
    assert autocomplete(client, "龙游") == []


# --- accounts, settings, history --------------------------------------------------------------------

def test_admin_users__community_worker__forbidden(client, worker):
    client.force_login(worker)
    assert changelist(client, "user").status_code == 403
    assert changelist(client, "setting").status_code == 403


def test_admin_users__district_admin__users_with_roles_in_district(client, tree, make_user):
    admin_user = make_user(RoleKind.DISTRICT_ADMIN, tree.district, is_staff=True)
    other = make_user(RoleKind.RESIDENT, tree.estate)
    User.objects.create_superuser("root", password="pw-test-123")
    client.force_login(admin_user)
    assert {u.username for u in rows(changelist(client, "user"))} == {admin_user.username, other.username}
    assert changelist(client, "setting").status_code == 200


def test_admin_roleassignment__street_staff_cannot_grant_district_admin(client, tree, make_user):
    staff = make_user(RoleKind.STREET_STAFF, tree.street, is_staff=True)
    target = make_user(RoleKind.RESIDENT, tree.estate)
    client.force_login(staff)
    data = {"user": target.pk, "role": RoleKind.DISTRICT_ADMIN, "scope": tree.community.pk,
            "valid_from": "2024-01-01", "valid_to": ""}
    response = client.post(reverse("admin:core_roleassignment_add"), data)
    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    assert RoleAssignment.objects.filter(user=target).count() == 1


def test_admin_setting__district_admin_sets_through_service(client, tree, make_user):
    client.force_login(make_user(RoleKind.DISTRICT_ADMIN, tree.district, is_staff=True))
    response = client.post(reverse("admin:core_setting_add"), {"key": "today", "value": '"2025-06-30"'})
    assert response.status_code == 302
    assert Setting.objects.get(key="today").value == "2025-06-30"


def test_admin_history__own_place_visible_neighbour_forbidden(client, tree, worker):
    client.force_login(worker)
    assert client.get(reverse("admin:core_place_history", args=[tree.community.pk])).status_code == 200
    assert client.get(reverse("admin:core_place_history", args=[tree.neighbour.pk])).status_code == 403


def test_admin_history__revert_post__forbidden_nothing_changed(client, tree, worker):
    record = tree.community.history.get()
    client.force_login(worker)
    url = reverse("admin:core_place_simple_history", args=[tree.community.pk, record.history_id])
    assert client.get(url).status_code == 200
    response = client.post(url, place_form(tree.street, code=tree.community.code, name="改名", kind=PlaceKind.COMMUNITY))
    assert response.status_code == 403
    assert Place.objects.get(pk=tree.community.pk).name == tree.community.name


# --- query counts ----------------------------------------------------------------------------------

@pytest.mark.parametrize("model", ["place", "person"])
def test_admin_changelist__query_count__same_for_2_and_10_rows(client, tree, worker, model,
                                                             django_assert_max_num_queries):
    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            flat = place_create(code=f"Q-{i}", name=f"{i}室", kind=PlaceKind.FLAT, parent=tree.corridor,
                                floor_area_m2=Decimal("40.00"))
            household_create(flat=flat, head=person_create(name=f"住户{i}", phone=f"1380000{i:04d}"))

    client.force_login(worker)
    add(2, 0)
    with CaptureQueriesContext(connection) as captured:
        changelist(client, model)
    add(8, 2)
    with django_assert_max_num_queries(len(captured)):
        response = changelist(client, model)
    assert len(rows(response)) == (15 if model == "place" else 11)
