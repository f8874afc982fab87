"""Reads of the 3D view: the buildings under a place with a footprint, each with its height (floors × a storey)
and the chosen metric, as GeoJSON. At most three queries after the viewer's roles, whatever the data's size: the
buildings, then the metric's (open cases: one grouped count per length of the buildings' paths, two in the tree;
vitality: the latest day, then its rows); capped like the map's layers."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy

from commonground.business.ledgers_selectors import occupancy_by_building
from commonground.cases.models import OPEN_STAGES
from commonground.cases.selectors import visible_cases
from commonground.core import clock
from commonground.core.models import Place, PlaceKind
from commonground.core.models.places import SEGMENT_WIDTH, within_q
from commonground.core.permissions import visible_to

from .dashboards_selectors import cockpit_places
from .models import VitalityDay

METRICS = {
    "open_cases": (gettext_lazy("Open cases"), gettext_lazy("cases")),
    "occupancy": (gettext_lazy("Occupancy of office buildings"), "%"),
    "vitality": (gettext_lazy("Commercial vitality index"), gettext_lazy("points")),
}
SCENE_KINDS = (PlaceKind.BUILDING, PlaceKind.OFFICE_BUILDING)
SCENE_CAP = 3000
STREET_PATH_LENGTH = 2 * SEGMENT_WIDTH
COMMUNITY_PATH_LENGTH = 3 * SEGMENT_WIDTH


def storey_m() -> float:
    return float(getattr(settings, "CG_STOREY_HEIGHT_M", 3.0))


def scene(user: Any, place: Place, metric: str) -> dict[str, Any]:
    """The buildings under `place` that `user` may see, with a footprint, as a GeoJSON FeatureCollection whose
    features carry `height_m` (None without floors), `value` of `metric` (None where it does not apply) and the
    `url` of the building's page."""
    rows = list(visible_to(user, "place.view", Place.objects.filter(
        within_q("path", [place.path]), kind__in=SCENE_KINDS, outline__isnull=False))
        .order_by("path").values("code", "name", "kind", "path", "outline", "floors")[:SCENE_CAP + 1])
    truncated = len(rows) > SCENE_CAP
    rows = rows[:SCENE_CAP]
    values = _METRIC_READERS[metric](user, place, rows)
    storey = storey_m()
    features = [{"type": "Feature", "geometry": row["outline"], "properties": {
        "code": row["code"], "name": row["name"], "kind": row["kind"], "floors": row["floors"],
        "height_m": round(row["floors"] * storey, 1) if row["floors"] else None,
        "value": values.get(row["path"]),
        "url": reverse("core:place-detail", kwargs={"code": row["code"]})}} for row in rows]
    label, unit = METRICS[metric]
    return {"type": "FeatureCollection", "features": features, "truncated": truncated, "place": place.code,
            "metric": metric, "label": str(label), "unit": str(unit)}


def _open_cases(user: Any, place: Place, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Open cases at or under each building, one grouped query per length of the buildings' paths."""
    lengths: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        lengths[len(row["path"])].add(row["path"])
    counts: dict[str, int] = {row["path"]: 0 for row in rows}
    open_cases = visible_cases(user).filter(within_q("place_path", [place.path]), stage__in=OPEN_STAGES)
    for length, paths in lengths.items():
        grouped = (open_cases.annotate(building=Substr("place_path", 1, length)).order_by()
                   .values("building").annotate(n=Count("pk")).values_list("building", "n"))
        for path, n in grouped:
            if path in paths:
                counts[path] = n
    return counts


def _occupancy(user: Any, place: Place, rows: list[dict[str, Any]]) -> dict[str, float]:
    """Occupancy (per cent) of the ledger buildings the viewer may see, from the business ledger."""
    return {path: round(float(share) * 100, 1) for path, share in occupancy_by_building(user, place).items()}


def _vitality(user: Any, place: Place, rows: list[dict[str, Any]]) -> dict[str, float]:
    """A building's business community's latest index, or else its street's: of the units the viewer may open a
    cockpit for, as on the vitality page."""
    units = cockpit_places(user).filter(kind__in=(PlaceKind.BUSINESS_COMMUNITY, PlaceKind.STREET)).filter(
        within_q("path", [place.path]) | within_q("path", [place.path[:STREET_PATH_LENGTH]]))
    days = VitalityDay.objects.filter(unit_path__in=units.values("path"), day__lte=clock.today())
    latest = days.aggregate(day=Max("day"))["day"]
    if latest is None:
        return {}
    index: dict[str, Decimal] = dict(days.filter(day=latest).values_list("unit_path", "index"))
    values = {}
    for row in rows:  # a residential community is no vitality unit: its buildings take their street's
        unit = index.get(row["path"][:COMMUNITY_PATH_LENGTH], index.get(row["path"][:STREET_PATH_LENGTH]))
        if unit is not None:
            values[row["path"]] = float(unit)
    return values


_METRIC_READERS = {"open_cases": _open_cases, "occupancy": _occupancy, "vitality": _vitality}
