from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from commonground.core.models import Place, PlaceKind
from commonground.core.services.places import place_create, place_move


def test_place_create__path_and_depth_follow_parent(tree):
    assert tree.flat.depth == 6
    assert tree.flat.path.startswith(tree.corridor.path)
    assert len(tree.flat.path) == 7 * 10
    assert [p.code for p in tree.flat.get_ancestors()] == [
        "330105", "330105001", "330105001001", "330105001001-E1", "330105001001-E1-B1", "330105001001-E1-B1-U1",
    ]


def test_within__returns_subtree_only(tree):
    codes = set(Place.objects.within(tree.community).values_list("code", flat=True))
    assert codes == {
        "330105001001", "330105001001-E1", "330105001001-E1-B1", "330105001001-E1-B1-U1", "330105001001-E1-B1-U1-101"
    }
    assert tree.neighbour.code not in codes


def test_within__exclude_self_and_of_kind(tree):
    assert list(Place.objects.within(tree.street, include_self=False).of_kind(PlaceKind.COMMUNITY)) == [
        tree.community, tree.neighbour
    ]


def test_within__does_not_match_sibling_with_longer_id(tree):
    """Path segments are fixed width: place 1's subtree does not contain place 10..19."""
    for _ in range(12):
        place_create(code=f"x{_}", name="x", kind=PlaceKind.STREET, parent=tree.district)
    first_street = Place.objects.get(code="330105001")
    assert set(Place.objects.within(first_street).values_list("pk", flat=True)) == set(
        Place.objects.filter(path__startswith=first_street.path).values_list("pk", flat=True)
    )


def test_place_create__wrong_parent_kind__rejected_and_nothing_saved(tree):
    before = Place.objects.count()
    with pytest.raises(ValidationError) as error:
        place_create(code="bad", name="坏", kind=PlaceKind.FLAT, parent=tree.street)
    assert "parent" in error.value.message_dict
    assert Place.objects.count() == before


def test_place_create__negative_area__rejected(tree):
    with pytest.raises(ValidationError) as error:
        place_create(code="neg", name="负", kind=PlaceKind.ESTATE, parent=tree.community, floor_area_m2=-5)
    assert "floor_area_m2" in error.value.message_dict
    assert not Place.objects.filter(code="neg").exists()


def test_place_create__duplicate_code__rejected(tree):
    with pytest.raises(ValidationError) as error:
        place_create(code=tree.estate.code, name="重复", kind=PlaceKind.ESTATE, parent=tree.community)
    assert "code" in error.value.message_dict


def test_place_move__rewrites_every_path_in_subtree(tree):
    place_move(place=tree.estate, new_parent=tree.far_community)
    for place in Place.objects.within(Place.objects.get(pk=tree.estate.pk)):
        parent = place.parent
        assert place.path == parent.path + str(place.pk).zfill(10)
        assert place.depth == parent.depth + 1
    assert Place.objects.within(tree.community).count() == 1
    assert Place.objects.within(tree.far_community).of_kind(PlaceKind.FLAT).count() == 2


def test_place_move__under_own_descendant__rejected_and_nothing_changed(tree):
    paths = dict(Place.objects.values_list("pk", "path"))
    with pytest.raises(ValidationError):
        place_move(place=tree.community, new_parent=tree.building)
    assert dict(Place.objects.values_list("pk", "path")) == paths


def test_place_move__is_recorded_in_history(tree):
    place_move(place=tree.estate, new_parent=tree.neighbour)
    latest = Place.objects.get(pk=tree.estate.pk).history.first()
    assert latest.parent_id == tree.neighbour.pk
