"""Distances and the place a map pin falls in, without a GIS stack: the demo's places carry
centroids (and optionally GeoJSON outlines); lookups narrow by a bounding box in SQL first."""

from __future__ import annotations

import math
from decimal import Decimal

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
OUTLINE_SEARCH_RADIUS_M = 600  # centroid to edge of the largest estate or office campus


def place_for_pin(lat: float, lng: float, district: Place) -> Place | None:
    """The most specific place for a pin: an outline containing it, else the nearest centroid.

    Outlined places are few and checked first; centroids are searched in a small box that widens
    only when it holds nothing, so a pin in a dense district reads a few dozen rows, not thousands.
    """
    base = Place.objects.within(district).of_kind(*PIN_KINDS)
    outlined = list(base.filter(outline__isnull=False, **bounding_box(lat, lng, OUTLINE_SEARCH_RADIUS_M))
                    .values_list("pk", "kind", "outline"))
    containing = [(PIN_KINDS.index(kind), pk) for pk, kind, outline in outlined if point_in_outline(lat, lng, outline)]
    if containing:
        return Place.objects.get(pk=min(containing)[1])
    for radius in SEARCH_RADII_M:
        candidates = list(base.filter(**bounding_box(lat, lng, radius)).defer("outline"))
        if candidates:
            return min(candidates, key=lambda p: (distance_m(lat, lng, float(p.latitude), float(p.longitude)),
                                                  PIN_KINDS.index(p.kind)))
    return None
