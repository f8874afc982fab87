"""Distances and the place a map pin falls in, without a GIS stack: the demo's places carry
centroids (and optionally GeoJSON outlines); lookups narrow by a bounding box in SQL first."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from commonground.core.models import Place, PlaceKind

EARTH_RADIUS_M = 6_371_000
METRES_PER_DEGREE_LAT = 111_320
# Kinds a pin is attached to, most specific first.
PIN_KINDS = [PlaceKind.BUILDING, PlaceKind.OFFICE_BUILDING, PlaceKind.ESTATE, PlaceKind.BUSINESS_COMMUNITY,
             PlaceKind.FACILITY, PlaceKind.COMMUNITY, PlaceKind.STREET]
PIN_SEARCH_RADIUS_M = 1500


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


def inside_district(lat: float, lng: float, district: Place) -> bool:
    """Within the district's outline, or, without one, near one of its places (within the search radius)."""
    if district.outline:
        return point_in_outline(lat, lng, district.outline)
    return Place.objects.within(district).filter(**bounding_box(lat, lng, PIN_SEARCH_RADIUS_M)).exists()


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

    Areas that tile their parent (streets, communities, estates) are found by walking down the tree, one query
    a level, whatever their size; small outlines whose parents have none, in a box around the pin.
    """
    found: tuple[int, int] | None = None  # (depth, pk)
    parent_pk = district.pk
    while True:
        children = Place.objects.filter(parent_id=parent_pk, kind__in=PIN_KINDS, outline__isnull=False)
        hit = next(((depth, pk) for pk, depth, outline in children.values_list("pk", "depth", "outline")
                    if point_in_outline(lat, lng, outline)), None)
        if hit is None:
            break
        found, parent_pk = hit, hit[1]
    loose = Place.objects.within(district).of_kind(*PIN_KINDS).filter(
        outline__isnull=False, **bounding_box(lat, lng, OUTLINE_SEARCH_RADIUS_M))
    for pk, depth, outline in loose.values_list("pk", "depth", "outline"):
        if (found is None or depth > found[0]) and point_in_outline(lat, lng, outline):
            found = (depth, pk)
    return Place.objects.get(pk=found[1]) if found else None


def pin_place(lat: float, lng: float, district: Place) -> PinPlace | None:
    """The most specific place for a pin: within the smallest outlined area around it, the nearest building (or
    other place) if one is close, else the area; without an outline around it, the nearest centroid.

    Outlines are few and checked first; centroids are searched in a small box that widens only when it holds
    nothing, so a pin in a dense district reads a few dozen rows, not thousands.
    """
    area = containing_area(lat, lng, district)
    if area is not None:
        inner = Place.objects.within(area).of_kind(*PIN_KINDS).filter(depth__gt=area.depth)
        nearest = _nearest(lat, lng, inner, (NEAR_RADIUS_M,))
        return PinPlace(nearest, inside=False) if nearest else PinPlace(area, inside=True)
    nearest = _nearest(lat, lng, Place.objects.within(district).of_kind(*PIN_KINDS), SEARCH_RADII_M)
    return PinPlace(nearest, inside=False) if nearest else None


def _nearest(lat: float, lng: float, places, radii: tuple[int, ...]) -> Place | None:
    for radius in radii:
        candidates = list(places.filter(**bounding_box(lat, lng, radius)).select_related("parent").defer(
            "outline", "parent__outline"))
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
    name = place_name(place.name, place.kind, place.parent.name if place.parent_id else None)
    if not found.inside:
        name = _("near %(place)s") % {"place": name}
    wider = AREA_ABOVE.get(place.kind, AREA_ABOVE[None])
    area = place.get_ancestors().filter(kind__in=wider).order_by("-depth").values_list("name", flat=True).first()
    return {"place": name, "area": area or "", "label": f"{name} · {area}" if area else name}
