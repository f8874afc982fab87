"""Distances and the place a map pin falls in, without a GIS stack: the demo's places carry
centroids (and optionally GeoJSON outlines). The places a pin may fall in are kept in process (`pin_index`, dropped
with the place cache), so a report's pin costs no query: boxes around the pin pick the candidates, as the SQL
bounding boxes did."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from django.db.models import Q
from django.utils.translation import gettext as _

from commonground.core import place_cache
from commonground.core.models import Place, PlaceKind

EARTH_RADIUS_M = 6_371_000
METRES_PER_DEGREE_LAT = 111_320
# Kinds a pin is attached to, most specific first.
PIN_KINDS = [PlaceKind.BUILDING, PlaceKind.OFFICE_BUILDING, PlaceKind.ESTATE, PlaceKind.BUSINESS_COMMUNITY,
             PlaceKind.FACILITY, PlaceKind.COMMUNITY, PlaceKind.STREET]
PIN_SEARCH_RADIUS_M = 1500
GRID_DEGREES = 0.01  # cells of the kept index, about a kilometre: the widest search box spans a few
OUTLINE_MARGIN = 1e-9  # degrees an outline's box is widened by, beyond any rounding in the ray casting
T = TypeVar("T")


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bounding_box(lat: float, lng: float, radius_m: float) -> dict[str, Decimal]:
    dlat = radius_m / METRES_PER_DEGREE_LAT
    dlng = radius_m / (METRES_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.01))
    return {
        "latitude__gte": Decimal(f"{lat - dlat:.6f}"), "latitude__lte": Decimal(f"{lat + dlat:.6f}"),
        "longitude__gte": Decimal(f"{lng - dlng:.6f}"), "longitude__lte": Decimal(f"{lng + dlng:.6f}"),
    }


def point_in_outline(lat: float, lng: float, outline: dict) -> bool:
    """Ray casting over a GeoJSON Polygon or MultiPolygon (outer rings; holes ignored)."""
    geometry = outline.get("geometry", outline)
    polygons = geometry.get("coordinates", [])
    if geometry.get("type") == "Polygon":
        polygons = [polygons]
    for polygon in polygons:
        ring = polygon[0] if polygon else []
        inside = False
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > lat) != (y2 > lat) and lng < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
                inside = not inside
        if inside:
            return True
    return False


def outline_box(outline: dict) -> tuple[float, float, float, float] | None:
    """South, west, north and east of an outline's outer rings, widened by OUTLINE_MARGIN (a point outside it is
    outside the outline); None when the outline has no points to tell."""
    try:
        geometry = outline.get("geometry", outline)
        polygons = geometry.get("coordinates", [])
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        points = [(float(x), float(y)) for polygon in polygons for x, y in (polygon[0] if polygon else [])]
    except (AttributeError, TypeError, ValueError, IndexError):
        return None  # a malformed outline: point_in_outline decides alone, as it always did
    if not points:
        return None
    return (min(y for _x, y in points) - OUTLINE_MARGIN, min(x for x, _y in points) - OUTLINE_MARGIN,
            max(y for _x, y in points) + OUTLINE_MARGIN, max(x for x, _y in points) + OUTLINE_MARGIN)


def _cell(value: Decimal | float) -> int:
    return math.floor(float(value) / GRID_DEGREES)


class Grid(Generic[T]):
    """Items by the cell of their point, so "what lies in this box" reads a few cells. Boxes are bounding_box's,
    bounds included, compared as the database compares them."""

    def __init__(self, items: Iterable[T], point: Callable[[T], tuple[Decimal, Decimal]]) -> None:
        self.point = point
        self.cells: dict[tuple[int, int], list[T]] = defaultdict(list)
        for item in items:
            lat, lng = point(item)
            self.cells[_cell(lat), _cell(lng)].append(item)

    def within(self, box: dict[str, Decimal]) -> list[T]:
        south, north = box["latitude__gte"], box["latitude__lte"]
        west, east = box["longitude__gte"], box["longitude__lte"]
        return [item for row in range(_cell(south), _cell(north) + 1) for column in range(_cell(west), _cell(east) + 1)
                for item in self.cells.get((row, column), ())
                if south <= self.point(item)[0] <= north and west <= self.point(item)[1] <= east]


class PinIndex:
    """A district's places of the pin kinds that have an outline or a centroid, as the lookups read them: outlined
    ones by parent (the walk down the tree), those with a centroid in a grid, and every list in path order, the
    order the queries gave, so ties go the same way."""

    def __init__(self, places: list[Place]) -> None:
        self.order = {place.pk: n for n, place in enumerate(places)}
        self.boxes = {place.pk: outline_box(place.outline) for place in places if place.outline is not None}
        self.children: dict[int | None, list[Place]] = defaultdict(list)
        for place in places:
            if place.outline is not None:
                self.children[place.parent_id].append(place)
        self.grid = Grid([p for p in places if p.latitude is not None and p.longitude is not None],
                         lambda p: (p.latitude, p.longitude))

    def contains(self, place: Place, lat: float, lng: float) -> bool:
        """Is the pin inside `place`'s outline? Its box first: most outlines are far from the pin."""
        box = self.boxes.get(place.pk)
        if box is not None and not (box[0] <= lat <= box[2] and box[1] <= lng <= box[3]):
            return False
        return point_in_outline(lat, lng, place.outline)

    def near(self, lat: float, lng: float, radius_m: float) -> list[Place]:
        """The places whose centroid lies in the box of `radius_m` around the pin, in path order."""
        return sorted(self.grid.within(bounding_box(lat, lng, radius_m)), key=lambda p: self.order[p.pk])


def pin_index(district: Place) -> PinIndex:
    """The district's pin places, read once and kept with the place cache (one query after each change)."""
    return place_cache.kept(f"cases.pins:{district.pk}", lambda: PinIndex(list(
        Place.objects.within(district).of_kind(*PIN_KINDS)
        .filter(Q(outline__isnull=False) | Q(latitude__isnull=False, longitude__isnull=False)).order_by("path"))))


def _centroids(district: Place) -> Grid[tuple[Decimal, Decimal]]:
    """Where the district's places (of every kind) stand, each spot once, kept with the place cache."""
    return place_cache.kept(f"cases.centroids:{district.pk}", lambda: Grid(
        Place.objects.within(district).filter(latitude__isnull=False, longitude__isnull=False)
        .order_by().values_list("latitude", "longitude").distinct(), lambda point: point))


def inside_district(lat: float, lng: float, district: Place) -> bool:
    """Within the district's outline, or, without one, near one of its places (within the search radius)."""
    if district.outline:
        return point_in_outline(lat, lng, district.outline)
    return bool(_centroids(district).within(bounding_box(lat, lng, PIN_SEARCH_RADIUS_M)))


SEARCH_RADII_M = (150, 500, PIN_SEARCH_RADIUS_M)  # widen only when nothing is near
NEAR_RADIUS_M = SEARCH_RADII_M[0]  # inside an outlined area, a building this close names the spot
OUTLINE_SEARCH_RADIUS_M = 600  # centroid to edge of the largest estate or office campus
# The area a pin's place is told within: a community (or the street, for a community itself).
AREA_ABOVE: dict[str | None, tuple[str, ...]] = {
    PlaceKind.COMMUNITY: (PlaceKind.STREET,), PlaceKind.BUSINESS_COMMUNITY: (PlaceKind.STREET,),
    PlaceKind.STREET: (), None: (PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY, PlaceKind.STREET),
}


@dataclass(frozen=True)
class PinPlace:
    """Where a pin fell: the place, and whether the pin is inside its outline (else it is the nearest place)."""

    place: Place
    inside: bool


def containing_area(lat: float, lng: float, district: Place) -> Place | None:
    """The smallest outlined place (of the pin kinds) around the pin.

    Areas that tile their parent (streets, communities, estates) are found by walking down the tree, one level at a
    time, whatever their size; small outlines whose parents have none, in a box around the pin.
    """
    index = pin_index(district)
    found: Place | None = None
    parent_pk = district.pk
    while True:
        hit = next((child for child in index.children.get(parent_pk, ()) if index.contains(child, lat, lng)), None)
        if hit is None:
            break
        found, parent_pk = hit, hit.pk
    for place in index.near(lat, lng, OUTLINE_SEARCH_RADIUS_M):
        if (place.outline is not None and (found is None or place.depth > found.depth)
                and index.contains(place, lat, lng)):
            found = place
    return found


def pin_place(lat: float, lng: float, district: Place) -> PinPlace | None:
    """The most specific place for a pin: within the smallest outlined area around it, the nearest building (or
    other place) if one is close, else the area; without an outline around it, the nearest centroid.

    Outlines are few and checked first; centroids are searched in a small box that widens only when it holds
    nothing. The places come from the kept index and are shared: read them, never change them.
    """
    index = pin_index(district)
    area = containing_area(lat, lng, district)
    if area is not None:
        nearest = _nearest(lat, lng, index, (NEAR_RADIUS_M,),
                           lambda p: p.depth > area.depth and p.is_within(area))
        return PinPlace(nearest, inside=False) if nearest else PinPlace(area, inside=True)
    nearest = _nearest(lat, lng, index, SEARCH_RADII_M, lambda p: True)
    return PinPlace(nearest, inside=False) if nearest else None


def _nearest(lat: float, lng: float, index: PinIndex, radii: tuple[int, ...],
             wanted: Callable[[Place], bool]) -> Place | None:
    for radius in radii:
        candidates = [place for place in index.near(lat, lng, radius) if wanted(place)]
        if candidates:
            return min(candidates, key=lambda p: (distance_m(lat, lng, float(p.latitude), float(p.longitude)),
                                                  PIN_KINDS.index(p.kind)))
    return None


def place_for_pin(lat: float, lng: float, district: Place) -> Place | None:
    """The place a case reported with this pin belongs to (see pin_place)."""
    found = pin_place(lat, lng, district)
    return found.place if found else None


def place_name(name: str, kind: str, parent: str | None) -> str:
    """A place as a reader knows it: a building with its estate ("浙工新村 3幢"), as "3幢" could be anywhere."""
    return f"{parent} {name}" if kind == PlaceKind.BUILDING and parent else name


def pin_label(found: PinPlace) -> dict[str, str]:
    """The pin's place in words for the reporter: "浙工新村 3幢 附近 · 河东社区". Place names only, which are
    public (no case, no person)."""
    place = found.place
    above = place_cache.chain(place)[:-1]  # root first
    name = place_name(place.name, place.kind, above[-1].name if place.parent_id else None)
    if not found.inside:
        name = _("near %(place)s") % {"place": name}
    wider = AREA_ABOVE.get(place.kind, AREA_ABOVE[None])
    area = next((ancestor.name for ancestor in reversed(above) if ancestor.kind in wider), None)
    return {"place": name, "area": area or "", "label": f"{name} · {area}" if area else name}
