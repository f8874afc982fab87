"""The people and household lists: search by name, initials, phone tail, number or flat; filters; scope (a
worker of the neighbouring community finds nobody of this one, whatever they type); masking by role; queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.core.masking import mask_id_number
from commonground.core.models import Household, OrganisationKind, PlaceKind, Relation, RoleKind
from commonground.core.services.organisations import organisation_create, organisation_member_add
from commonground.core.services.people import household_create, household_member_save, person_create
from commonground.core.services.places import place_create
from tests.conftest import make_id_number

PEOPLE = reverse("core:person-list")
HOUSEHOLDS = reverse("core:household-list")
# Every way to find 张三 of 竹竿巷小区 1幢1单元101室 (phone 13800000001).
WAYS_TO_FIND_OWNER = ("张三", "张", "zs", "ZS", "zhang", "0001", "13800000001", "1380000", "1幢101", "1-1-101",
                      "1幢1单元101室", "竹竿巷小区1幢101", "101")


def names(response) -> list[str]:
    return [row.person.name for row in response.context["rows"]]


def count(response) -> int:
    return response.context["page"].paginator.count


@pytest.fixture
def worker(client, tree, make_user):
    user = make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    client.force_login(user)
    return user


def test_person_list__anonymous__redirected_to_login(client, tree):
    response = client.get(PEOPLE)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("role", [RoleKind.RESIDENT, RoleKind.ENTERPRISE_CONTACT, RoleKind.PROPERTY_MANAGER])
def test_person_list__role_without_person_view__403(client, tree, make_user, role):
    client.force_login(make_user(role, tree.estate, person=tree.owner))
    assert client.get(PEOPLE).status_code == 403


@pytest.mark.parametrize("query", WAYS_TO_FIND_OWNER)
def test_person_list__community_worker_searches__finds_the_owner(client, tree, worker, query):
    response = client.get(PEOPLE, {"q": query})
    assert response.status_code == 200
    assert names(response) == ["张三"]


@pytest.mark.parametrize("query", ("", *WAYS_TO_FIND_OWNER, make_id_number(seq=11)))
def test_person_list__neighbours_worker__finds_nobody_of_this_community(client, tree, make_user, query):
    client.force_login(make_user(RoleKind.COMMUNITY_WORKER, tree.neighbour))
    response = client.get(PEOPLE, {"q": query}, headers={"HX-Request": "true"})  # the results, not the search box
    html = response.content.decode()
    assert set(names(response)) <= {"李四"}
    assert count(response) == len(names(response))  # the count tells nothing either
    assert "张三" not in html and "13800000001" not in html and tree.owner.id_number not in html


def test_person_list__neighbours_worker__counts_only_their_own(client, tree, make_user):
    client.force_login(make_user(RoleKind.COMMUNITY_WORKER, tree.neighbour))
    for query in WAYS_TO_FIND_OWNER:
        assert "张三" not in names(client.get(PEOPLE, {"q": query}))
    response = client.get(PEOPLE)
    assert (count(response), names(response)) == (1, ["李四"])
    response = client.get(PEOPLE, {"place": tree.community.code})  # a place outside their area: ignored
    assert (count(response), names(response)) == (1, ["李四"])


def test_person_list__id_number__found_only_where_seen_in_full(client, tree, make_user):
    client.force_login(make_user(RoleKind.GRID_WORKER, tree.community))
    assert names(client.get(PEOPLE, {"q": tree.owner.id_number})) == ["张三"]
    client.force_login(make_user(RoleKind.OWNERS_COMMITTEE_MEMBER, tree.estate))
    assert names(client.get(PEOPLE, {"q": tree.owner.id_number})) == []  # would confirm a masked number
    assert names(client.get(PEOPLE, {"q": "13800000001"})) == []
    assert names(client.get(PEOPLE, {"q": "0001"})) == ["张三"]  # the tail the mask shows anyway


@pytest.mark.parametrize(("role", "scope", "full"), [
    (RoleKind.COMMUNITY_WORKER, "community", True),
    (RoleKind.GRID_WORKER, "community", True),
    (RoleKind.STREET_STAFF, "street", True),
    (RoleKind.OWNERS_COMMITTEE_MEMBER, "estate", False),
])
def test_person_list__masking_by_role(client, tree, make_user, role, scope, full):
    client.force_login(make_user(role, getattr(tree, scope)))
    response = client.get(PEOPLE, {"q": "zs"})
    html = response.content.decode()
    (row,) = response.context["rows"]
    if full:
        assert (row.phone, row.id_number) == ("13800000001", tree.owner.id_number)
        assert 'href="tel:13800000001"' in html
    else:
        assert (row.phone, row.id_number) == ("138****0001", mask_id_number(tree.owner.id_number))
        assert "13800000001" not in html and tree.owner.id_number not in html and "tel:" not in html


def test_person_list__cards_show_homes_titles_and_tags(client, tree, worker):
    party = organisation_create(name="竹竿巷社区党委", kind=OrganisationKind.PARTY_ORGANISATION, place=tree.community)
    organisation_member_add(organisation=party, person=tree.owner, position="党员")
    (row,) = client.get(PEOPLE, {"q": "zs"}).context["rows"]
    assert [(label, relation) for _household, label, relation in row.homes] == [("竹竿巷小区 1幢 101室", "户主")]
    assert (row.owned, row.party) == (["竹竿巷小区 1幢 101室"], True)


def test_person_list__filters(client, tree, worker):
    tenant = person_create(name="王五", phone="", registered_place=tree.community)
    household = Household.objects.get(flat=tree.flat)
    household_member_save(member=household.memberships.model(household=household, person=tenant,
                                                              relation=Relation.TENANT))
    loner = person_create(name="赵六", phone="13900000006", registered_place=tree.estate)
    party = organisation_create(name="竹竿巷社区党委", kind=OrganisationKind.PARTY_ORGANISATION, place=tree.community)
    organisation_member_add(organisation=party, person=loner)

    def found(**params) -> list[str]:
        return sorted(names(client.get(PEOPLE, params)))

    assert found() == ["张三", "王五", "赵六"]
    assert found(tag="owner") == ["张三"]
    assert found(tag="head") == ["张三"]
    assert found(tag="tenant") == ["王五"]
    assert found(tag="party") == ["赵六"]
    assert found(tag="no_household") == ["赵六"]
    assert found(phone="yes") == ["张三", "赵六"]
    assert found(phone="no") == ["王五"]
    assert found(place=tree.estate.code) == ["张三", "王五", "赵六"]
    assert found(place=tree.building.code) == ["张三", "王五"]
    assert found(tag="nonsense", phone="maybe") == ["张三", "王五", "赵六"]


def test_person_list__htmx__results_only(client, tree, worker):
    response = client.get(PEOPLE, {"q": "zs"}, headers={"HX-Request": "true"})
    assert [t.name for t in response.templates][0] == "core/people/_person_results.html"


def test_person_list__query_count__same_for_1_and_12_people(client, tree, worker, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as captured:
        client.get(PEOPLE)
    for i in range(11):
        flat = place_create(code=f"Q-{i}", name=f"{201 + i}室", kind=PlaceKind.FLAT, parent=tree.corridor)
        head = person_create(name=f"钱{i}", phone=f"1390000{i:04d}", id_number=make_id_number(seq=100 + i))
        household_create(flat=flat, head=head, registered_on=datetime.date(2020, 1, 1))
    with django_assert_max_num_queries(len(captured)):
        response = client.get(PEOPLE)
    assert count(response) == 12
    assert len(captured) <= 14


def test_household_list__searches(client, tree, worker):
    for query in ("1幢101", "1-1-101", "竹竿巷", "张三", "zs", "0001", "101室"):
        response = client.get(HOUSEHOLDS, {"q": query})
        assert [row.household.flat for row in response.context["rows"]] == [tree.flat], query
    (row,) = client.get(HOUSEHOLDS).context["rows"]
    assert (row.flat, [m.person.name for m in row.members], row.owners) == ("竹竿巷小区 1幢 101室", ["张三"], ["张三"])


def test_household_list__neighbours_worker__finds_nothing_of_this_community(client, tree, make_user):
    client.force_login(make_user(RoleKind.COMMUNITY_WORKER, tree.neighbour))
    for query in ("1幢101", "竹竿巷", "张三", "zs", "0001"):
        response = client.get(HOUSEHOLDS, {"q": query}, headers={"HX-Request": "true"})
        assert tree.flat not in [row.household.flat for row in response.context["rows"]], query
        assert "张三" not in response.content.decode()
    assert count(client.get(HOUSEHOLDS)) == 1


def test_household_list__property_manager__sees_households_without_person_links(client, tree, make_user):
    client.force_login(make_user(RoleKind.PROPERTY_MANAGER, tree.estate))
    response = client.get(HOUSEHOLDS)
    assert count(response) == 1
    assert reverse("core:person-detail", args=[tree.owner.pk]) not in response.content.decode()
    assert response.context["rows"][0].owners == []  # no ownership.view


def test_household_list__query_count__same_for_1_and_12(client, tree, worker, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as captured:
        client.get(HOUSEHOLDS)
    for i in range(11):
        flat = place_create(code=f"Q-{i}", name=f"{201 + i}室", kind=PlaceKind.FLAT, parent=tree.corridor)
        household_create(flat=flat, head=person_create(name=f"钱{i}"))
    with django_assert_max_num_queries(len(captured)):
        response = client.get(HOUSEHOLDS)
    assert count(response) == 12
    assert len(captured) <= 13


def test_nav__community_worker__residents_entry_and_home_card_lead_to_the_list(client, tree, worker):
    html = client.get(reverse("home")).content.decode()
    assert f'href="{PEOPLE}"' in html
