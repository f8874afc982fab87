"""The resolver: an allow and a deny for each role kind, scoping of lists, expiry and anonymity."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from commonground.core.masking import mask_id_number, mask_phone, personal_value
from commonground.core.models import Household, Ownership, Person, Place, RoleKind
from commonground.core.permissions import can, visible_to
from commonground.core.services.accounts import role_assign


def _obj(tree, name):
    if name == "owner_household":
        return Household.objects.get(flat=tree.flat)
    if name == "owner_ownership":
        return Ownership.objects.get(flat=tree.flat)
    if name == "neighbour_ownership":
        return Ownership.objects.get(flat=tree.neighbour_flat)
    return getattr(tree, name)


CASES = [
    # role, allowed (action, object), denied (action, object)
    (RoleKind.DISTRICT_ADMIN, ("place.delete", "far_community"), ("place.view", None)),
    (RoleKind.STREET_STAFF, ("person.view_personal_data", "owner"), ("place.view", "other_street")),
    (RoleKind.COMMUNITY_WORKER, ("household.change", "owner_household"), ("place.view", "neighbour")),
    (RoleKind.GRID_WORKER, ("person.view_personal_data", "owner"), ("place.change", "community")),
    (RoleKind.BUILDING_COMMISSIONER, ("place.view", "corridor"), ("person.view", "owner")),
    (RoleKind.RENEWAL_WORKER, ("ownership.view", "owner_ownership"), ("ownership.change", "owner_ownership")),
    (RoleKind.PROPERTY_MANAGER, ("household.view", "owner_household"), ("person.view_personal_data", "owner")),
    (RoleKind.OWNERS_COMMITTEE_MEMBER, ("ownership.view", "owner_ownership"),
     ("ownership.view", "neighbour_ownership")),
    (RoleKind.RESIDENT, ("place.view", "flat"), ("person.view", "neighbour_owner")),
    (RoleKind.ENTERPRISE_CONTACT, ("place.view", "building"), ("place.view", "estate")),
]


@pytest.mark.parametrize(("role", "allowed", "denied"), CASES, ids=[c[0] for c in CASES])
def test_can__each_role_kind__one_allow_and_one_deny(tree, role_users, role, allowed, denied):
    user = role_users[role]
    assert can(user, allowed[0], _obj(tree, allowed[1])) is True
    if denied[1] is None:  # the district admin is denied only once the role has expired
        user.role_assignments.update(valid_to=datetime.date(2020, 6, 30))
        user = type(user).objects.get(pk=user.pk)
        assert can(user, denied[0], tree.district) is False
    else:
        assert can(user, denied[0], _obj(tree, denied[1])) is False


def test_visible_to__community_worker__own_subtree_only(tree, role_users):
    user = role_users[RoleKind.COMMUNITY_WORKER]
    places = visible_to(user, "place.view", Place.objects.all())
    assert set(places.values_list("pk", flat=True)) == set(Place.objects.within(tree.community).values_list("pk", flat=True))
    assert places.count() == 5
    assert list(visible_to(user, "person.view", Person.objects.all())) == [tree.owner]
    assert visible_to(user, "ownership.view", Ownership.objects.all()).count() == 1


def test_visible_to__street_staff__both_communities_not_other_street(tree, role_users):
    user = role_users[RoleKind.STREET_STAFF]
    people = visible_to(user, "person.view", Person.objects.all())
    assert set(people) == {tree.owner, tree.neighbour_owner}
    assert not visible_to(user, "place.view", Place.objects.filter(pk=tree.far_community.pk)).exists()


def test_visible_to__resident__sees_self_only_among_people(tree, make_user):
    user = make_user(RoleKind.RESIDENT, tree.estate, person=tree.owner)
    assert list(visible_to(user, "person.view", Person.objects.all())) == [tree.owner]
    assert can(user, "person.view_personal_data", tree.owner) is True
    assert can(user, "person.view_personal_data", tree.neighbour_owner) is False


def test_visible_to__anonymous__nothing(tree):
    anonymous = AnonymousUser()
    assert visible_to(anonymous, "place.view", Place.objects.all()).count() == 0
    assert can(anonymous, "place.view", tree.district) is False


def test_visible_to__no_roles__nothing(tree, make_user):
    user = make_user()
    assert visible_to(user, "place.view", Place.objects.all()).count() == 0
    assert can(user, "place.view") is False


def test_visible_to__role_not_yet_valid__nothing(tree, make_user):
    user = make_user()
    role_assign(user=user, role=RoleKind.COMMUNITY_WORKER, scope=tree.community,
                valid_from=datetime.date(2999, 1, 1))
    assert visible_to(user, "place.view", Place.objects.all()).count() == 0


def test_visible_to__two_roles__union_of_scopes(tree, make_user):
    user = make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    role_assign(user=user, role=RoleKind.GRID_WORKER, scope=tree.far_community, valid_from=datetime.date(2020, 1, 1))
    visible = visible_to(user, "place.view", Place.objects.of_kind("community"))
    assert set(visible) == {tree.community, tree.far_community}
    # grid workers may not change places: the second scope does not grant it
    assert can(user, "place.change", tree.far_community) is False
    assert can(user, "place.change", tree.community) is True


def test_visible_to__roles_loaded_once_per_user(tree, role_users, django_assert_num_queries):
    user = role_users[RoleKind.COMMUNITY_WORKER]
    with django_assert_num_queries(2):  # the roles, the list (the clock was read, and cached, by the set-up)
        list(visible_to(user, "place.view", Place.objects.all()))
    with django_assert_num_queries(1):
        list(visible_to(user, "person.view", Person.objects.all()))


def test_superuser__everything(tree, make_user):
    user = make_user()
    user.is_superuser = True
    user.save()
    assert visible_to(user, "place.view", Place.objects.all()).count() == Place.objects.count()
    assert can(user, "anything.at_all", tree.far_community) is True


def test_personal_value__masked_without_permission(tree, role_users):
    grid = role_users[RoleKind.GRID_WORKER]
    manager = role_users[RoleKind.PROPERTY_MANAGER]
    assert personal_value(grid, tree.owner, "id_number") == tree.owner.id_number
    assert personal_value(manager, tree.owner, "id_number") == mask_id_number(tree.owner.id_number)
    assert personal_value(manager, tree.owner, "phone") == "138****0001"


def test_masking__shapes():
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("") == ""


def test_person_repr__never_shows_personal_data(tree):
    assert tree.owner.id_number not in repr(tree.owner)
    assert tree.owner.id_number not in str(tree.owner)


def test_visible_to__placeless_objects__root_scope_holders_only(tree, role_users):
    from commonground.core.models import Setting
    from commonground.core.services.accounts import setting_set

    setting_set(key="example", value=1)
    assert visible_to(role_users[RoleKind.DISTRICT_ADMIN], "setting.view", Setting.objects.all()).count() == 1
    assert visible_to(role_users[RoleKind.STREET_STAFF], "setting.view", Setting.objects.all()).count() == 0


def test_can_on_model__placeless_needs_root_scope(tree, role_users):
    from commonground.core.models import Setting
    from commonground.core.permissions import can_on_model

    assert can_on_model(role_users[RoleKind.DISTRICT_ADMIN], "setting.view", Setting) is True
    assert can_on_model(role_users[RoleKind.COMMUNITY_WORKER], "place.view", Place) is True
    assert can_on_model(role_users[RoleKind.COMMUNITY_WORKER], "place.view", Setting) is False


@pytest.fixture
def explicit_only_permission(monkeypatch):
    """A permission kept out of every wildcard, held by name by property managers only."""
    from commonground.core import rules

    monkeypatch.setitem(rules.ROLE_PERMISSIONS, RoleKind.PROPERTY_MANAGER,
                        rules.ROLE_PERMISSIONS[RoleKind.PROPERTY_MANAGER] | {"secret.read"})
    monkeypatch.setitem(rules.ROLE_PERMISSIONS, RoleKind.STREET_STAFF,
                        rules.ROLE_PERMISSIONS[RoleKind.STREET_STAFF] | {"secret.*"})
    rules.explicit_only({"secret.read"})
    yield "secret.read"
    rules.EXPLICIT_ONLY.discard("secret.read")


def test_can__explicit_only_permission__named_grant_only_not_wildcards(tree, role_users, explicit_only_permission):
    holders = {role for role, user in role_users.items() if can(user, explicit_only_permission, tree.flat)}
    assert holders == {RoleKind.PROPERTY_MANAGER}  # not the district's "*", nor the street's "secret.*"


def test_role_assign__role_with_explicit_only_permission__granted_by_who_holds_the_rest(
        tree, role_users, make_user, explicit_only_permission):
    """Appointing is not exercising: street staff appoint a property manager without reading its secrets."""
    from commonground.core.services.accounts import may_grant

    assert may_grant(role_users[RoleKind.STREET_STAFF], RoleKind.PROPERTY_MANAGER, tree.estate) is True
    assert may_grant(role_users[RoleKind.COMMUNITY_WORKER], RoleKind.STREET_STAFF, tree.estate) is False


def test_password_reset__holder_of_explicit_only_permission__community_may_not_take_the_account(
        tree, role_users, make_user, explicit_only_permission):
    """A password reset acts as the holder: the community, which may not read the secrets, may not reset it."""
    from commonground.core.services.accounts import may_reset_password

    manager = make_user(RoleKind.PROPERTY_MANAGER, tree.estate)
    assert may_reset_password(role_users[RoleKind.COMMUNITY_WORKER], manager) is False
    assert may_reset_password(role_users[RoleKind.COMMUNITY_WORKER], make_user(RoleKind.GRID_WORKER, tree.community))
