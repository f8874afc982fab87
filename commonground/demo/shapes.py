"""Floors and footprints for the demo's buildings, so the cockpit's 3D view has something to extrude.

An estate's buildings stand in rows around its centre, turned by one angle per estate; a business community's
towers stand in a looser grid around its centre. A footprint is the floor area over the floors, a long slab for
homes and a squarer block for offices. The step moves a building (and the corridors and flats inside it, which
share its point) to its place in the grid, and draws only from its own random source, so nothing else in the
demo changes.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal

from commonground.core.models import Place
from commonground.core.models.places import within_q

from . import names
from . import outlines as geo
from .bulk import LAT_RANGE, LNG_RANGE, centre
from .context import DemoContext
from .district import ZHEGONG_BUILDINGS

HOME_ROW_M = (70.0, 38.0)  # spacing of an estate's slabs: along a row, between rows
TOWER_GRID_M = (95.0, 95.0)
HOME_ASPECT = 4.0  # a slab's length over its depth
TOWER_ASPECT = 1.6
EDGE_M = 0.5  # a footprint keeps this far inside its land, beyond the rounding of its corners
FIT_ATTEMPTS = 8  # a footprint that does not fit its land shrinks to 0.6 of its area, this many times at most


def home_floors(rng: random.Random, year_built: int | None) -> int:
    """Walk-ups before 1995, mid-rise to 2004, then high-rise."""
    year = year_built or 2000
    if year < 1995:
        return rng.randint(5, 7)
    if year < 2005:
        return rng.randint(6, 11)
    return rng.choice((11, 12, 16, 18, 18, 24, 26, 33))


def grid_points(lat: float, lng: float, count: int, spacing_m: tuple[float, float],
                angle: float) -> list[tuple[float, float]]:
    """`count` points in rows around (lat, lng), turned by `angle`."""
    columns = max(1, math.ceil(math.sqrt(count / 2)))
    rows = math.ceil(count / columns)
    cx, cy = geo.project(lat, lng)
    cos, sin = math.cos(angle), math.sin(angle)
    points = []
    for i in range(count):
        x = (i % columns - (columns - 1) / 2) * spacing_m[0]
        y = (i // columns - (rows - 1) / 2) * spacing_m[1]
        points.append(geo.unproject((cx + (x * cos - y * sin) / geo.METRES_PER_DEGREE,
                                     cy + (x * sin + y * cos) / geo.METRES_PER_DEGREE)))
    return points


def _box() -> geo.Polygon:
    """The demo's box (bulk.LAT_RANGE × LNG_RANGE), counter-clockwise."""
    (south, north), (west, east) = LAT_RANGE, LNG_RANGE
    return [geo.project(south, west), geo.project(south, east), geo.project(north, east), geo.project(north, west)]


def _middle(polygon: geo.Polygon) -> geo.Point:
    """The mean of a convex polygon's corners: inside it, and further from its edges than most points."""
    return sum(x for x, _y in polygon) / len(polygon), sum(y for _x, y in polygon) / len(polygon)


def _footprint_corners(centre: geo.Point, area_m2: float, aspect: float, angle: float) -> geo.Polygon:
    depth = math.sqrt(area_m2 / aspect)
    half_x, half_y = depth * aspect / 2, depth / 2
    cos, sin = math.cos(angle), math.sin(angle)
    return [(centre[0] + (x * cos - y * sin) / geo.METRES_PER_DEGREE,
             centre[1] + (x * sin + y * cos) / geo.METRES_PER_DEGREE)
            for x, y in ((-half_x, -half_y), (half_x, -half_y), (half_x, half_y), (-half_x, half_y))]


def _set(building: Place, point: tuple[float, float], floors: int, aspect: float, angle: float,
         ground: geo.Polygon, seed: geo.Point) -> None:
    """The building at `point` pulled towards `seed` until its footprint lies within `ground` (its estate's land
    inside the demo's box); a footprint too large for the land shrinks; none when nothing fits."""
    building.floors = floors
    area = float(building.floor_area_m2) / floors if building.floor_area_m2 else 400.0
    centre = geo.project(*point)
    building.outline = None
    for _attempt in range(FIT_ATTEMPTS):
        half_diagonal = math.sqrt(area / aspect * (aspect ** 2 + 1)) / 2
        centre = geo.pull_inside(ground, seed, geo.project(*point), half_diagonal + 1)
        corners = _footprint_corners(centre, area, aspect, angle)
        if all(geo.inset(ground, corner) >= EDGE_M / geo.METRES_PER_DEGREE for corner in corners):
            building.outline = geo.geojson(corners)
            break
        area *= 0.6
    lat, lng = geo.unproject(centre)
    building.latitude, building.longitude = Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")


def shape_buildings(ctx: DemoContext) -> None:
    """Floors, footprints and row positions for every estate's buildings and every business community's."""
    rng = ctx.rng("building-shapes")
    shaped: list[Place] = []
    zhegong = ctx.estates[names.ZHEGONG].pk
    box = _box()
    for estate in ctx.estates.values():
        buildings = ctx.buildings.get(estate.pk, [])
        angle = rng.uniform(-0.5, 0.5)
        ground = geo.clip_to(geo.from_geojson(estate.outline), box)
        seed = _middle(ground)
        for i, (building, point) in enumerate(zip(buildings, grid_points(*centre(estate), len(buildings),
                                                                            HOME_ROW_M, angle), strict=True)):
            floors = ZHEGONG_BUILDINGS[i][1] if estate.pk == zhegong else home_floors(rng, building.year_built)
            _set(building, point, floors, HOME_ASPECT, angle, ground, seed)
            shaped.append(building)
    by_community: dict[int, list[Place]] = {}
    for building in [*ctx.office_buildings, *ctx.apartment_buildings]:
        by_community.setdefault(building.parent_id, []).append(building)
    for buildings in by_community.values():
        angle = rng.uniform(-0.3, 0.3)
        community = buildings[0].parent  # no outline of its own: the street's land inside the box
        ground = geo.clip_to(geo.from_geojson(community.parent.outline), box)
        seed = geo.project(*centre(community))  # inside the street: the towers gather round their community
        for building, point in zip(buildings, grid_points(*centre(community), len(buildings), TOWER_GRID_M, angle),
                                   strict=True):
            floors = rng.randint(15, 40) if building.kind == "office_building" else rng.randint(12, 28)
            _set(building, point, floors, TOWER_ASPECT, angle, ground, seed)
            shaped.append(building)
    Place.objects.bulk_update(shaped, ["floors", "outline"], batch_size=500)
    for building in shaped:  # its corridors and flats stand at its point
        Place.objects.filter(within_q("path", [building.path])).update(latitude=building.latitude,
                                                                         longitude=building.longitude)
