"""The places kept in process (core/place_cache.py): read once, dropped by every kind of change."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.core import place_cache
from commonground.core.models import Place, PlaceKind
from commonground.core.services.places import place_move, place_update

from .test_rosters_import import PLACE_HEADERS, run


def queries(call) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, len(captured)


def test_chain__read_once__then_from_the_process(tree):
    first, count = queries(lambda: place_cache.chain(tree.flat))
    again, count_again = queries(lambda: place_cache.chain(tree.flat))

    assert [place.code for place in first] == [place.code for place in again] == [
        "330105", "330105001", "330105001001", "330105001001-E1", "330105001001-E1-B1", "330105001001-E1-B1-U1",
        "330105001001-E1-B1-U1-101"]
    assert first[-1] is tree.flat  # the caller's own object last
    assert (count, count_again) == (1, 0)
    assert queries(place_cache.top_place) == (tree.district, 1)
    assert queries(place_cache.top_place) == (tree.district, 0)


def test_chain__place_moved__the_new_chain_is_read(tree):
    place_cache.chain(tree.flat)

    place_move(place=tree.estate, new_parent=tree.neighbour)
    tree.flat.refresh_from_db()

    assert place_cache.chain(tree.flat)[2] == tree.neighbour


def test_top_place__renamed__the_new_name_is_read(tree):
    assert place_cache.top_place().name == "拱墅区"

    place_update(place=Place.objects.get(pk=tree.district.pk), name="拱墅区（新）")

    assert place_cache.top_place().name == "拱墅区（新）"


def test_chain__places_imported_by_roster__dropped_and_read_again(tree):
    place_cache.chain(tree.flat)
    result = run("places", PLACE_HEADERS, [["N", "新小区", "小区", tree.community.code, "", "", "", "", "", ""]])
    assert result.ok

    with CaptureQueriesContext(connection) as captured:
        place_cache.chain(Place.objects.get(code="N"))
    assert len(captured) == 2  # the new estate, then its chain: nothing was kept through the import


def test_top_place__kept_longer_than_a_minute__read_again(tree, monkeypatch):
    place_cache.top_place()
    Place.objects.filter(pk=tree.district.pk).update(name="改名")  # behind the signals' back, as another process
    assert place_cache.top_place().name == "拱墅区"

    later = place_cache.time.monotonic() + place_cache.CACHE_SECONDS + 1
    monkeypatch.setattr(place_cache.time, "monotonic", lambda: later)

    assert place_cache.top_place().name == "改名"


def test_top_place__no_places__clear_error(db):
    with pytest.raises(ValidationError, match="尚无地点数据"):
        place_cache.top_place()


def test_chain__district_itself__just_the_place(tree):
    assert place_cache.chain(tree.district) == [tree.district]
    assert tree.district.kind == PlaceKind.DISTRICT
