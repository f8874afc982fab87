"""Outlines for the demo's streets, communities and estates, without a GIS stack.

Each area is the Voronoi cell of its centre among its siblings', clipped to its parent's outline, so siblings
tile their parent and every level nests in the one above. The district's outline is convex, and every clip is
by a half-plane, so every cell is convex: containment and clipping stay a few lines each. Geometry is planar on
a local projection (longitude scaled by the cosine of the latitude), which is exact enough at a district's size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Point = tuple[float, float]  # projected (x, y)
Polygon = list[Point]  # convex, counter-clockwise, not closed

REFERENCE_LATITUDE = 30.32
X_SCALE = math.cos(math.radians(REFERENCE_LATITUDE))
METRES_PER_DEGREE = 111_320
DECIMALS = 6  # about 0.1 m, as the places' centroids
MERGE = 1e-5  # corners this close (about a metre) are one corner
KEEP = 0.8  # a pulled point keeps at most this share of the seed's own distance from the edge
STEPS = 20  # a pulled point moves towards the seed in twentieths

# The district as drawn for the demo: convex, around the box the demo's places lie in (bulk.LAT_RANGE/LNG_RANGE).
DISTRICT_OUTLINE_LNG_LAT: list[tuple[float, float]] = [
    (120.098, 30.266), (120.150, 30.262), (120.205, 30.268), (120.212, 30.320), (120.203, 30.368),
    (120.150, 30.372), (120.100, 30.366), (120.090, 30.310),
]


def project(lat: float, lng: float) -> Point:
    return lng * X_SCALE, lat


def unproject(point: Point) -> tuple[float, float]:
    """(lat, lng) of a projected point."""
    return point[1], point[0] / X_SCALE


def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def clip(polygon: Polygon, a: Point, b: Point) -> Polygon:
    """The part of `polygon` nearer to `a` than to `b` (Sutherland–Hodgman against their bisector)."""
    nx, ny = b[0] - a[0], b[1] - a[1]
    offset = (nx * (a[0] + b[0]) + ny * (a[1] + b[1])) / 2

    def side(p: Point) -> float:  # <= 0: on a's side
        return nx * p[0] + ny * p[1] - offset

    result: Polygon = []
    for i, current in enumerate(polygon):
        previous = polygon[i - 1]
        s_prev, s_cur = side(previous), side(current)
        if (s_prev <= 0) != (s_cur <= 0):
            t = s_prev / (s_prev - s_cur)
            result.append((previous[0] + t * (current[0] - previous[0]), previous[1] + t * (current[1] - previous[1])))
        if s_cur <= 0:
            result.append(current)
    return result


def clip_to(polygon: Polygon, convex: Polygon) -> Polygon:
    """`polygon` ∩ `convex`: clipped by the half-plane of each of the convex polygon's edges."""
    for i, start in enumerate(convex):
        end = convex[(i + 1) % len(convex)]
        # The inner side of the edge is the side of a point mirrored across it; a bisector of the two does it.
        nx, ny = end[1] - start[1], start[0] - end[0]  # outward normal of a counter-clockwise edge
        inner, outer = (start[0] - nx, start[1] - ny), (start[0] + nx, start[1] + ny)
        polygon = clip(polygon, inner, outer)
        if not polygon:
            break
    return polygon


def cells(seeds: Sequence[Point], parent: Polygon) -> list[Polygon]:
    """The Voronoi cell of each seed within `parent` (seeds must be distinct)."""
    result = []
    for i, seed in enumerate(seeds):
        cell = list(parent)
        for j, other in enumerate(seeds):
            if i != j:
                cell = clip(cell, seed, other)
        result.append(cell)
    return result


def octagon(centre: Point, radius_m: float) -> Polygon:
    r = radius_m / METRES_PER_DEGREE
    angles = [math.pi / 8 + k * math.pi / 4 for k in range(8)]
    return [(centre[0] + r * math.cos(a), centre[1] + r * math.sin(a)) for a in angles]


def contains(polygon: Polygon, point: Point) -> bool:
    """Inside or on the edge of a convex counter-clockwise polygon."""
    return len(polygon) >= 3 and all(_cross(polygon[i - 1], polygon[i], point) >= 0 for i in range(len(polygon)))


def inset(polygon: Polygon, point: Point) -> float:
    """How far `point` lies inside a convex counter-clockwise polygon (negative: outside), in projected degrees."""
    depth = math.inf
    for i, start in enumerate(polygon):
        end = polygon[(i + 1) % len(polygon)]
        length = math.hypot(end[0] - start[0], end[1] - start[1])
        if length:
            depth = min(depth, _cross(start, end, point) / length)
    return depth


def pull_inside(polygon: Polygon, seed: Point, point: Point, margin_m: float = 0.0) -> Point:
    """`point`, or, when it lies outside `polygon` or closer than `margin_m` to its edge, moved towards `seed`
    (which is inside) until it is that far in, or as far in as the seed allows."""
    margin = min(margin_m / METRES_PER_DEGREE, KEEP * inset(polygon, seed))
    for step in range(STEPS + 1):
        t = 1 - step / STEPS
        moved = seed[0] + t * (point[0] - seed[0]), seed[1] + t * (point[1] - seed[1])
        if inset(polygon, moved) >= margin:
            return moved
    return seed


def geojson(polygon: Polygon) -> dict:
    """A GeoJSON Polygon in (lng, lat), closed, rounded as the centroids are."""
    ring: list[list[float]] = []
    for lat, lng in map(unproject, polygon):
        corner = [round(lng, DECIMALS), round(lat, DECIMALS)]
        if not ring or max(abs(corner[0] - ring[-1][0]), abs(corner[1] - ring[-1][1])) > MERGE:
            ring.append(corner)
    if len(ring) > 3 and max(abs(ring[0][0] - ring[-1][0]), abs(ring[0][1] - ring[-1][1])) <= MERGE:
        ring.pop()
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def from_geojson(outline: dict) -> Polygon:
    ring = outline["coordinates"][0][:-1]
    return [project(lat, lng) for lng, lat in ring]


def district_polygon() -> Polygon:
    return [project(lat, lng) for lng, lat in DISTRICT_OUTLINE_LNG_LAT]
