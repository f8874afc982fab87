from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.core.masking import mask_id_number, mask_phone
from commonground.core.models import Household, OrganisationKind, PlaceKind, RoleKind
from commonground.core.services.organisations import organisation_create, organisation_member_add
from commonground.core.services.people import household_create, ownership_create, person_update
from commonground.core.services.places import place_create


def person_url(person) -> str:
    return reverse("core:person-detail", args=[person.pk])


def household_url(household) -> str:
    return reverse("core:household-detail", args=[household.pk])


def test_person_detail__anonymous__redirected_to_login(client, tree):
    response = client.get(person_url(tree.owner))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_person_detail__grid_worker__full_id_number_and_phone(client, tree, make_user):
    client.force_login(make_user(RoleKind.GRID_WORKER, tree.community))
    response = client.get(person_url(tree.owner))
    assert response.status_code == 200
    assert (response.context["id_number"], response.context["phone"]) == (tree.owner.id_number, "13800000001")
    assert tree.owner.id_number in response.content.decode()


def test_person_detail__owners_committee_member__masked(client, tree, make_user):
    client.force_login(make_user(RoleKind.OWNERS_COMMITTEE_MEMBER, tree.estate))
    response = client.get(person_url(tree.owner))
    html = response.content.decode()
    assert response.context["id_number"] == mask_id_number(tree.owner.id_number)
    assert response.context["phone"] == "138****0001"
    assert tree.owner.id_number not in html
    assert "13800000001" not in html
    assert tree.owner.birth_date.strftime("%Y-%m-%d") not in html  # the birth date would unmask the ID


def test_person_detail__property_manager__404_but_household_phone_masked(client, tree, make_user):
    client.force_login(make_user(RoleKind.PROPERTY_MANAGER, tree.estate))
    assert client.get(person_url(tree.owner)).status_code == 404
    household = Household.objects.get(flat=tree.flat)
    response = client.get(household_url(household))
    assert response.status_code == 200
    assert [row["phone"] for row in response.context["members"]] == [mask_phone("13800000001")]
    assert "13800000001" not in response.content.decode()
    assert person_url(tree.owner) not in response.content.decode()


@pytest.mark.parametrize("role", [RoleKind.COMMUNITY_WORKER, RoleKind.GRID_WORKER, RoleKind.OWNERS_COMMITTEE_MEMBER])
def test_person_detail__neighbours_resident__404(client, tree, make_user, role):
    client.force_login(make_user(role, tree.community))
    assert client.get(person_url(tree.neighbour_owner)).status_code == 404


def test_person_detail__own_record__visible_in_full_without_role(client, tree, make_user):
    client.force_login(make_user(person=tree.owner))
    response = client.get(person_url(tree.owner))
    assert response.status_code == 200
    assert response.context["id_number"] == tree.owner.id_number


def test_person_detail__households_ownerships_memberships(client, tree, make_user):
    committee = organisation_create(name="竹竿巷业委会", kind=OrganisationKind.OWNERS_COMMITTEE, place=tree.estate)
    organisation_member_add(organisation=committee, person=tree.owner, position="主任")
    client.force_login(make_user(RoleKind.COMMUNITY_WORKER, tree.community))
    response = client.get(person_url(tree.owner))
    assert [h.flat for h in response.context["households"]] == [tree.flat]
    assert [(o.flat, o.exclusive_area_m2) for o in response.context["ownerships"]] == [(tree.flat, Decimal("75.50"))]
    assert [(m.organisation.name, m.position) for m in response.context["memberships"]] == [("竹竿巷业委会", "主任")]


def test_person_detail__records_outside_scope__left_out(client, tree, make_user):
    ownership_create(flat=tree.neighbour_flat, person=tree.owner, exclusive_area_m2=Decimal("60.00"))
    client.force_login(make_user(RoleKind.COMMUNITY_WORKER, tree.community))
    response = client.get(person_url(tree.owner))
    assert [o.flat for o in response.context["ownerships"]] == [tree.flat]


def test_person_detail__history__without_personal_data(client, tree, make_user):
    person_update(person=tree.owner, name="张三丰", phone="13900000009")
    client.force_login(make_user(RoleKind.COMMUNITY_WORKER, tree.community))
    response = client.get(person_url(tree.owner))
    history = response.context["history"]
    assert [entry["type"] for entry in history] == ["~", "+"]
    assert [change["name"] for change in history[0]["changes"]] == ["name"]
    assert response.content.decode().count("13900000009") == 2  # the details panel only: the number, its tel: link


def test_person_detail__query_count__same_for_2_and_10_records(client, tree, make_user, django_assert_max_num_queries):
    client.force_login(make_user(RoleKind.COMMUNITY_WORKER, tree.community))

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            flat = place_create(code=f"Q-{i}", name=f"{i}室", kind=PlaceKind.FLAT, parent=tree.corridor)
            household_create(flat=flat, head=tree.owner)
            ownership_create(flat=flat, person=tree.owner, exclusive_area_m2=Decimal("40.00"))
            person_update(person=tree.owner, name=f"张三{i}")

    add(2, 0)
    with CaptureQueriesContext(connection) as captured:
        client.get(person_url(tree.owner))
    add(8, 2)
    with django_assert_max_num_queries(len(captured)):
        response = client.get(person_url(tree.owner))
    assert len(response.context["ownerships"]) == 11
    assert len(captured) <= 14  # 12, plus the header's notification bell and the nav's "is there a renewal campaign here"


def test_household_detail__members_linked_for_community_worker(client, tree, make_user):
    household = Household.objects.get(flat=tree.flat)
    client.force_login(make_user(RoleKind.COMMUNITY_WORKER, tree.community))
    response = client.get(household_url(household))
    assert [(row["member"].person, row["linked"], row["phone"]) for row in response.context["members"]] == [
        (tree.owner, True, "13800000001")
    ]
    assert person_url(tree.owner) in response.content.decode()


def test_household_detail__outside_scope__404(client, tree, make_user):
    household = Household.objects.get(flat=tree.neighbour_flat)
    client.force_login(make_user(RoleKind.GRID_WORKER, tree.community))
    assert client.get(household_url(household)).status_code == 404
    client.force_login(make_user(RoleKind.RESIDENT, tree.estate))  # no household.view at all
    assert client.get(household_url(Household.objects.get(flat=tree.flat))).status_code == 404
