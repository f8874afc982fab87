"""The demo's area outlines: Voronoi cells of the centres, clipped to the parent, nested, deterministic."""

from __future__ import annotations

import random

import pytest

from commonground.cases.geo import point_in_outline
from commonground.core.models import Place, PlaceKind
from commonground.demo import outlines as geo
from commonground.demo.bulk import LAT_RANGE, LNG_RANGE
from commonground.demo.district import outline_siblings

ROUNDING = 2e-6  # degrees: two steps of the outlines' 6-decimal rounding
OUTLINED = (PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.ESTATE)


def area(polygon: geo.Polygon) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(polygon, polygon[1:] + polygon[:1], strict=True)) / 2


def inside(polygon: geo.Polygon, point: geo.Point) -> bool:
    """On the inner side of every edge of a convex polygon, give or take the 6-decimal rounding."""
    for start, end in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        length = ((end[0] - start[0]) ** 2 + (end[1] - start[1]) ** 2) ** 0.5
        cross = (end[0] - start[0]) * (point[1] - start[1]) - (end[1] - start[1]) * (point[0] - start[0])
        if length and cross / length < -ROUNDING:
            return False
    return True


def covers(parent: geo.Polygon, child: geo.Polygon) -> bool:
    return all(inside(parent, vertex) for vertex in child)


def valid(outline: dict) -> bool:
    """A closed GeoJSON ring of at least three distinct corners, counter-clockwise and convex."""
    ring = outline["coordinates"][0]
    polygon = geo.from_geojson(outline)
    return (outline["type"] == "Polygon" and ring[0] == ring[-1] and len(set(map(tuple, ring))) >= 3
            and area(polygon) > 0 and covers(polygon, polygon))


# The routine


def test_district_outline__convex_around_the_demo_box():
    district = geo.district_polygon()
    corners = [geo.project(lat, lng) for lat in LAT_RANGE for lng in LNG_RANGE]
    assert valid(geo.geojson(district))
    assert all(geo.contains(district, corner) for corner in corners)


def test_cells__tile_the_parent__each_holds_its_seed():
    rng = random.Random(1)
    parent = geo.district_polygon()
    seeds = [geo.pull_inside(parent, geo.project(30.32, 120.15), geo.project(rng.uniform(30.25, 30.38),
                                                                               rng.uniform(120.08, 120.22)))
             for _ in range(25)]
    cells = geo.cells(seeds, parent)
    assert all(geo.contains(cell, seed) for cell, seed in zip(cells, seeds, strict=True))
    assert sum(area(cell) for cell in cells) == pytest.approx(area(parent), rel=1e-9)


def test_pull_inside__point_outside__moved_inside_towards_the_seed():
    square = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
    assert geo.pull_inside(square, (0.5, 0.5), (0.6, 0.5)) == (0.6, 0.5)
    moved = geo.pull_inside(square, (0.5, 0.5), (3.5, 0.5))
    assert geo.contains(square, moved) and geo.inset(square, moved) >= 0
    margin = 0.1 * geo.METRES_PER_DEGREE
    assert geo.inset(square, geo.pull_inside(square, (0.5, 0.5), (0.97, 0.5), margin)) == pytest.approx(0.1, abs=0.03)
    assert geo.pull_inside(square, (0.5, 0.5), (0.6, 0.5), margin) == (0.6, 0.5)


def test_clip_to__octagon_inside_a_large_cell__the_octagon():
    centre = geo.project(30.3, 120.15)
    octagon = geo.octagon(centre, 100)
    assert area(geo.clip_to(geo.district_polygon(), octagon)) == pytest.approx(area(octagon))
    assert geo.clip_to(octagon, [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]) == []


# The demo's places (the district tests/demo/conftest.py builds once for the package)


@pytest.fixture
def areas(demo_built):
    return {p.pk: p for p in Place.objects.exclude(kind__in=[PlaceKind.CORRIDOR, PlaceKind.FLAT])}


@pytest.mark.slow
def test_demo_outlines__every_street_community_and_estate__a_valid_polygon(areas):
    outlined = [p for p in areas.values() if p.kind in OUTLINED]
    assert {p.kind for p in outlined} == set(OUTLINED)
    assert all(p.outline and valid(p.outline) for p in outlined)


@pytest.mark.slow
def test_demo_outlines__children_inside_their_parents__centres_too(areas):
    for place in areas.values():
        parent = areas.get(place.parent_id)
        if parent is None or not parent.outline:
            continue
        shape = geo.from_geojson(parent.outline)
        if place.outline:
            assert covers(shape, geo.from_geojson(place.outline)), (place.code, parent.code)
        assert point_in_outline(float(place.latitude), float(place.longitude), parent.outline), place.code
        if place.kind in OUTLINED:
            assert point_in_outline(float(place.latitude), float(place.longitude), place.outline), place.code


@pytest.mark.slow
def test_demo_outlines__a_function_of_the_seeded_centres(areas):
    """The outlines follow from the centres alone (which come from the seed), so a rebuild draws the same."""
    streets = sorted((p for p in areas.values() if p.kind == PlaceKind.STREET), key=lambda p: p.pk)
    stored = [p.outline for p in streets]
    outline_siblings(streets)
    assert [p.outline for p in streets] == stored
    communities = sorted((p for p in areas.values() if p.parent_id == streets[0].pk and p.kind == PlaceKind.COMMUNITY),
                         key=lambda p: p.pk)
    stored = [p.outline for p in communities]
    outline_siblings(communities, streets[0])
    assert [p.outline for p in communities] == stored
