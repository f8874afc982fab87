"""Registering and correcting people and households on the staff pages: each write is one service call; a wrong
ID number, a duplicate, a phone with letters or a flat outside the area is refused at its field and nothing is
written."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from commonground.core.models import Household, HouseholdMember, Person, PlaceKind, Relation, RoleKind
from commonground.core.rules import ROLE_PERMISSIONS, VIEW_MASTER_DATA
from commonground.core.services.people import person_create, person_update
from commonground.core.services.places import place_create
from tests.conftest import make_id_number

CREATE = reverse("core:person-create")
NEW_HOUSEHOLD = reverse("core:household-create")


def edit_url(person) -> str:
    return reverse("core:person-edit", args=[person.pk])


def household_url(household, name: str = "household-detail", *args) -> str:
    return reverse(f"core:{name}", args=[household.pk, *args])


@pytest.fixture
def worker(client, tree, make_user):
    user = make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    client.force_login(user)
    return user


def field_errors(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


def test_person_create__valid__registered_with_gender_and_birth_date(client, tree, worker):
    number = make_id_number(birth="19900215", seq=22)
    response = client.post(CREATE, {"name": " 王小明 ", "id_number": number.lower(), "phone": "13900001234",
                                    "registered_place": tree.estate.code})
    person = Person.objects.get(id_number=number)
    assert response.status_code == 302 and response["Location"] == reverse("core:person-detail", args=[person.pk])
    assert (person.name, person.name_initials, person.phone_tail, person.registered_place) == (
        "王小明", "wxm", "1234", tree.estate)
    assert (person.gender, person.birth_date) == ("F", datetime.date(1990, 2, 15))


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"id_number": make_id_number(seq=30)[:-1] + "0"}, "id_number", "此身份证号码的校验码不正确，请检查是否输入有误。"),
    ({"id_number": "33010519800101"}, "id_number", "居民身份证号码应为18位。"),
    ({"phone": "1380000abcd"}, "phone", "请输入11位手机号码或带区号的固定电话，例如 0571-87654321。"),
    ({"name": ""}, "name", "这个字段是必填项。"),
])
def test_person_create__bad_input__chinese_error_at_the_field_nothing_written(client, tree, worker, nothing_written,
                                                                              data, field, message):
    with nothing_written():
        response = client.post(CREATE, {"name": "王小明", "registered_place": tree.community.code, **data})
    assert response.status_code == 400
    assert field_errors(response, field) == [message]
    assert 'class="form-alert"' in response.content.decode()


def test_person_create__duplicate_id_number__refused(client, tree, worker, nothing_written):
    with nothing_written():
        response = client.post(CREATE, {"name": "张三", "id_number": tree.owner.id_number,
                                        "registered_place": tree.community.code})
    assert response.status_code == 400
    assert field_errors(response, "id_number") == ["该身份证号码已登记，请搜索此人，不要重复登记。"]


def test_person_create__place_outside_the_area__refused(client, tree, worker, nothing_written):
    with nothing_written():
        response = client.post(CREATE, {"name": "王小明", "registered_place": tree.neighbour.code})
    assert response.status_code == 400
    assert field_errors(response, "registered_place")
    assert tree.neighbour.code not in [code for code, _label in response.context["form"].fields[
        "registered_place"].choices]


@pytest.mark.parametrize("role", [RoleKind.GRID_WORKER, RoleKind.OWNERS_COMMITTEE_MEMBER])
def test_person_create__role_that_may_not_add__403(client, tree, make_user, role, nothing_written):
    client.force_login(make_user(role, tree.community))
    with nothing_written():
        assert client.post(CREATE, {"name": "王小明", "registered_place": tree.community.code}).status_code == 403


def test_person_edit__phone_changed__saved_history_without_the_number(client, tree, worker):
    response = client.get(edit_url(tree.owner))
    assert response.context["form"].initial == {"name": "张三", "phone": "13800000001",
                                                "id_number": tree.owner.id_number}
    response = client.post(edit_url(tree.owner), {"name": "张三", "phone": "13912345678",
                                                  "id_number": tree.owner.id_number})
    assert response.status_code == 302
    tree.owner.refresh_from_db()
    assert (tree.owner.phone, tree.owner.phone_tail) == ("13912345678", "5678")
    assert not hasattr(tree.owner.history.latest(), "phone")


def test_person_edit__phone_with_letters__400_nothing_written(client, tree, worker, nothing_written):
    with nothing_written():
        response = client.post(edit_url(tree.owner), {"name": "张三", "phone": "139abc",
                                                      "id_number": tree.owner.id_number})
    assert response.status_code == 400
    assert field_errors(response, "phone") == ["请输入11位手机号码或带区号的固定电话，例如 0571-87654321。"]


def test_person_edit__another_persons_id_number__refused(client, tree, worker, nothing_written):
    other = person_create(name="王五", id_number=make_id_number(seq=40), registered_place=tree.community)
    with nothing_written():
        response = client.post(edit_url(other), {"name": "王五", "phone": "", "id_number": tree.owner.id_number})
    assert response.status_code == 400
    assert field_errors(response, "id_number")


def test_person_edit__new_id_number__gender_and_birth_date_follow(client, tree, worker):
    number = make_id_number(birth="19750606", seq=42)
    client.post(edit_url(tree.owner), {"name": "张三", "phone": "13800000001", "id_number": number})
    tree.owner.refresh_from_db()
    assert (tree.owner.id_number, tree.owner.birth_date, tree.owner.gender) == (number, datetime.date(1975, 6, 6), "F")


def test_person_edit__neighbours_worker__404(client, tree, make_user):
    client.force_login(make_user(RoleKind.COMMUNITY_WORKER, tree.neighbour))
    assert client.get(edit_url(tree.owner)).status_code == 404
    assert client.post(edit_url(tree.owner), {"name": "x"}).status_code == 404


def test_person_edit__grid_worker_sees_but_may_not_change__403(client, tree, make_user, nothing_written):
    client.force_login(make_user(RoleKind.GRID_WORKER, tree.community))
    with nothing_written():
        assert client.post(edit_url(tree.owner), {"name": "x", "phone": ""}).status_code == 403


def test_person_update__may_change_but_not_see_numbers__numbers_refused(tree, make_user, monkeypatch, nothing_written):
    monkeypatch.setitem(ROLE_PERMISSIONS, RoleKind.BUILDING_COMMISSIONER,
                        VIEW_MASTER_DATA | {"person.view", "person.change"})
    clerk = make_user(RoleKind.BUILDING_COMMISSIONER, tree.community)
    with nothing_written(), pytest.raises(PermissionDenied):
        person_update(actor=clerk, person=tree.owner, phone="13912345678")
    person_update(actor=clerk, person=tree.owner, name="张三丰")
    assert Person.objects.get(pk=tree.owner.pk).name_initials == "zsf"


def test_person_edit__masked_changer__form_without_numbers(client, tree, make_user, monkeypatch):
    monkeypatch.setitem(ROLE_PERMISSIONS, RoleKind.BUILDING_COMMISSIONER,
                        VIEW_MASTER_DATA | {"person.view", "person.change"})
    client.force_login(make_user(RoleKind.BUILDING_COMMISSIONER, tree.community))
    response = client.get(edit_url(tree.owner))
    assert list(response.context["form"].fields) == ["name"]
    assert "13800000001" not in response.content.decode()


def test_household_create__flat_by_building_and_room_head_by_id(client, tree, worker):
    head = person_create(name="王五", id_number=make_id_number(seq=50), registered_place=tree.community)
    response = client.get(NEW_HOUSEHOLD, {"head": head.pk})
    assert response.context["form"].initial == {"head": head.id_number}
    response = client.post(NEW_HOUSEHOLD, {"flat": "竹竿巷小区1幢1单元101", "head": head.id_number.lower(),
                                           "registered_on": "2024-03-01"})
    household = Household.objects.get(head=head)
    assert response.status_code == 302 and response["Location"] == household_url(household)
    assert (household.flat, household.registered_on) == (tree.flat, datetime.date(2024, 3, 1))


NO_FLAT = "您的辖区内没有与之相符的房屋。请写明小区、楼幢和房号，或填写房屋编码。"
NO_HEAD = "您的辖区内没有登记这个身份证号码的人员，请先登记此人。"


@pytest.mark.parametrize(("flat", "head", "field", "message"), [
    ("9幢909", None, "flat", NO_FLAT),
    ("330105001002-E1-B1-U1-101", None, "flat", NO_FLAT),  # the neighbour's flat, by its code
    ("101", make_id_number(seq=12), "head", NO_HEAD),  # the neighbour's owner
    ("101", "33010519800101", "head", NO_HEAD),
])
def test_household_create__bad_input__refused_at_the_field(client, tree, worker, nothing_written, flat, head, field,
                                                           message):
    with nothing_written():
        response = client.post(NEW_HOUSEHOLD, {"flat": flat, "head": head or tree.owner.id_number})
    assert response.status_code == 400
    assert field_errors(response, field) == [message]


def test_household_create__several_flats_match__candidates_named(client, tree, worker, nothing_written):
    corridor = place_create(code="X-U2", name="2单元", kind=PlaceKind.CORRIDOR, parent=tree.building)
    place_create(code="X-U2-101", name="101室", kind=PlaceKind.FLAT, parent=corridor)
    with nothing_written():
        response = client.post(NEW_HOUSEHOLD, {"flat": "1幢101", "head": tree.owner.id_number})
    assert response.status_code == 400
    assert field_errors(response, "flat") == ["有多套房屋相符：竹竿巷小区 1幢 101室、竹竿巷小区 1幢 101室。请补充小区、楼幢或单元。"]


def test_household_member_add_and_remove(client, tree, worker):
    household = Household.objects.get(flat=tree.flat)
    spouse = person_create(name="王芳", id_number=make_id_number(seq=60), registered_place=tree.community)
    response = client.post(household_url(household, "household-member-add"),
                           {"person": spouse.id_number, "relation": Relation.SPOUSE})
    assert response.status_code == 302
    member = HouseholdMember.objects.get(household=household, person=spouse)
    assert member.relation == Relation.SPOUSE
    response = client.post(household_url(household, "household-member-remove", member.pk))
    assert response.status_code == 302
    assert not HouseholdMember.objects.filter(pk=member.pk).exists()


def test_household_member_add__already_a_member__400_nothing_written(client, tree, worker, nothing_written):
    household = Household.objects.get(flat=tree.flat)
    with nothing_written():
        response = client.post(household_url(household, "household-member-add"),
                               {"person": tree.owner.id_number, "relation": Relation.CHILD})
    assert response.status_code == 400
    assert response.context["member_form"].errors["person"] == ["张三已是该户成员。"]


def test_household_member_remove__the_head__refused(client, tree, worker, nothing_written):
    household = Household.objects.get(flat=tree.flat)
    head = household.memberships.get(relation=Relation.HEAD)
    with nothing_written():
        response = client.post(household_url(household, "household-member-remove", head.pk))
    assert response.status_code == 302
    assert HouseholdMember.objects.filter(pk=head.pk).exists()


def test_household_pages__neighbours_worker__404(client, tree, make_user, nothing_written):
    household = Household.objects.get(flat=tree.flat)
    client.force_login(make_user(RoleKind.COMMUNITY_WORKER, tree.neighbour))
    with nothing_written():
        assert client.get(household_url(household, "household-edit")).status_code == 404
        assert client.post(household_url(household, "household-member-add"),
                           {"person": tree.owner.id_number, "relation": "child"}).status_code == 404


def test_household_edit__registered_on(client, tree, worker):
    household = Household.objects.get(flat=tree.flat)
    response = client.post(household_url(household, "household-edit"), {"registered_on": "2019-05-04"})
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.registered_on == datetime.date(2019, 5, 4)
