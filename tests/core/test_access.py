"""access_place, access_person, access_household: a stranger gets a 404 (keys leak nothing), someone who
sees the row but may not do the action a 403, everyone else the row with what the pages show."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from commonground.core.models import Household, RoleKind
from commonground.core.selectors import access_household, access_person, access_place


@pytest.fixture
def grid(tree, make_user):
    return make_user(RoleKind.GRID_WORKER, tree.community)


@pytest.fixture
def neighbour_worker(tree, make_user):
    return make_user(RoleKind.COMMUNITY_WORKER, tree.neighbour)


def test_access_place__stranger__404(tree, neighbour_worker):
    with pytest.raises(Http404):
        access_place(neighbour_worker, tree.estate.code)
    with pytest.raises(Http404):
        access_place(neighbour_worker, tree.estate.code, "report.view")


def test_access_place__unknown_code__404(tree, grid):
    with pytest.raises(Http404):
        access_place(grid, "no-such-place")


def test_access_place__seen_but_not_permitted__403(tree, grid):
    assert access_place(grid, tree.estate.code) == tree.estate
    with pytest.raises(PermissionDenied):
        access_place(grid, tree.estate.code, "report.view")


def test_access_place__permitted__place_with_parent(tree, make_user, django_assert_num_queries):
    worker = make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    place = access_place(worker, tree.estate.code, "report.view")
    with django_assert_num_queries(0):
        assert place.parent.code == tree.community.code


def test_access_person__stranger__404(tree, neighbour_worker):
    with pytest.raises(Http404):
        access_person(neighbour_worker, tree.owner.pk)


def test_access_person__seen_but_not_permitted__403(tree, make_user):
    committee = make_user(RoleKind.OWNERS_COMMITTEE_MEMBER, tree.estate)
    assert access_person(committee, tree.owner.pk) == tree.owner
    with pytest.raises(PermissionDenied):
        access_person(committee, tree.owner.pk, "person.view_personal_data")


def test_access_person__themselves__their_own_record(tree, make_user):
    resident = make_user(RoleKind.RESIDENT, tree.estate, person=tree.owner)
    assert access_person(resident, tree.owner.pk, "person.view_personal_data") == tree.owner
    with pytest.raises(Http404):
        access_person(resident, tree.neighbour_owner.pk)


def test_access_household__stranger__404(tree, neighbour_worker):
    household = Household.objects.get(flat=tree.flat)
    with pytest.raises(Http404):
        access_household(neighbour_worker, household.pk)


def test_access_household__seen_but_not_permitted__403(tree, grid):
    household = Household.objects.get(flat=tree.flat)
    assert access_household(grid, household.pk) == household
    with pytest.raises(PermissionDenied):
        access_household(grid, household.pk, "household.change")


def test_access_household__permitted__with_flat_and_head(tree, make_user, django_assert_num_queries):
    worker = make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    household = access_household(worker, Household.objects.get(flat=tree.flat).pk, "household.change")
    with django_assert_num_queries(0):
        assert (household.flat.code, household.head.name) == (tree.flat.code, "张三")
