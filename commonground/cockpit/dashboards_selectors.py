"""Reads of the dashboards and the map: which places a viewer may open a cockpit for, and the map's layers.

A cockpit is for a place of one of SCOPE_KINDS that the viewer reaches with `cockpit.view`; any other code answers
404 (`access_cockpit_place`), so a code tells a stranger nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import Coalesce, Round
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.cases.models import OPEN_STAGES
from commonground.cases.selectors import visible_cases
from commonground.core.models import Place, PlaceKind
from commonground.core.models.places import within_q
from commonground.core.permissions import active_roles, visible_to
from commonground.core.place_cache import top_place
from commonground.core.rules import role_permits

from .models import OPEN_STATES, Alert, Sensor

VIEW = "cockpit.view"
SCOPE_KINDS = (PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.BUSINESS_COMMUNITY, PlaceKind.COMMUNITY,
               PlaceKind.ESTATE)
PICKER_LIMIT = 300  # places offered in the picker (the district's streets and communities come first, by path)


def cockpit_places(user: Any) -> QuerySet[Place]:
    """The places `user` may open a cockpit for."""
    return visible_to(user, VIEW, Place.objects.filter(kind__in=SCOPE_KINDS))


@dataclass(frozen=True)
class PickerOption:
    code: str
    name: str
    kind_label: str


class Picker(list):
    """The picker's options in tree order, with `codes`, the set of their codes."""

    def __init__(self, options: list[PickerOption]) -> None:
        super().__init__(options)
        self.codes = {option.code for option in options}


def picker_places(user: Any) -> Picker:
    """The places of the picker: the viewer's own and everything of a scope kind under them down to communities
    (estates are opened from their community's map and lists), in tree order. Labels from one lookup: a model's
    get_kind_display per option cost more than the rest of the dashboard."""
    labels = dict(PlaceKind.choices)
    rows = cockpit_places(user).exclude(kind=PlaceKind.ESTATE).order_by("path").values_list("code", "name", "kind")
    return Picker([PickerOption(code, name, str(labels[kind])) for code, name, kind in rows[:PICKER_LIMIT]])


def default_place(user: Any) -> Place | None:
    """The viewer's own scope: the widest place of their roles that grant `cockpit.view` (the district for a
    superuser); None without one."""
    if getattr(user, "is_superuser", False):
        return top_place()
    places = [role.scope for role in active_roles(user) if role_permits(role.role, VIEW)]
    places.sort(key=lambda place: (len(place.path), place.path))
    return places[0] if places else None


def access_cockpit_place(user: Any, code: str) -> Place:
    """The place of code `code` for the viewer's cockpit; Http404 unless they reach it."""
    if not code.isprintable() or len(code) > 64:
        raise Http404(_("No such place."))
    try:
        return cockpit_places(user).get(code=code)
    except Place.DoesNotExist:
        raise Http404(_("No such place.")) from None


# ---- The map's layers: GeoJSON features under a place, each with the URL of its record's page -------------------

LAYER_LABELS = {
    "areas": gettext_lazy("Estate and building outlines"),
    "offices": gettext_lazy("Office buildings"),
    "cases": gettext_lazy("Open cases"),
    "density": gettext_lazy("Open cases per square (density)"),
    "warnings": gettext_lazy("Open early warnings"),
    "sensors": gettext_lazy("Sensors and counters"),
}
AREA_KINDS = (PlaceKind.ESTATE, PlaceKind.BUILDING)
CAP = {"areas": 3000, "offices": 500, "cases": 500, "density": 2000, "warnings": 500, "sensors": 1000}
DENSITY_DECIMALS = 3  # a square of 0.001° (about 100 m × 100 m here)


def _point(lat: Any, lng: Any) -> dict[str, Any] | None:
    if lat is None or lng is None:
        return None
    return {"type": "Point", "coordinates": [float(lng), float(lat)]}


def _feature(geometry: dict[str, Any] | None, **properties: Any) -> dict[str, Any] | None:
    if not geometry:
        return None
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _place_url(code: str) -> str:
    return reverse("core:place-detail", kwargs={"code": code})


def _warning_url(pk: int) -> str:
    for name, args in (("cockpit:warning", [pk]), ("cockpit:warnings", [])):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:  # the warnings part not built yet
            continue
    return ""


def layer_features(user: Any, layer: str, place: Place) -> tuple[list[dict[str, Any]], bool]:
    """The features of `layer` under `place` that `user` may see, and whether the cap cut them short. Each layer is
    one query on an index range of a path, capped."""
    cap = CAP[layer]
    inside = within_q("path", [place.path])
    if layer == "areas":
        rows = visible_to(user, "place.view", Place.objects.filter(inside, kind__in=AREA_KINDS, outline__isnull=False))
        rows = rows.order_by("path").values("code", "name", "kind", "outline", "households", "floor_area_m2")[:cap + 1]
        features = [_feature(row["outline"], code=row["code"], name=row["name"], kind=row["kind"],
                             households=row["households"], url=_place_url(row["code"])) for row in rows]
    elif layer == "offices":
        rows = visible_to(user, "place.view", Place.objects.filter(inside, kind=PlaceKind.OFFICE_BUILDING))
        rows = rows.order_by("path").values("code", "name", "outline", "latitude", "longitude",
                                            "floor_area_m2")[:cap + 1]
        features = [_feature(row["outline"] or _point(row["latitude"], row["longitude"]), code=row["code"],
                             name=row["name"], kind="office_building",
                             floor_area=None if row["floor_area_m2"] is None else float(row["floor_area_m2"]),
                             url=_place_url(row["code"])) for row in rows]
    elif layer == "cases":
        rows = (_open_cases(user, place).annotate(lat=Coalesce("latitude", "place__latitude"),
                                                   lng=Coalesce("longitude", "place__longitude"))
                .order_by("-is_overdue", "deadline", "pk")
                .values("number", "stage", "is_overdue", "lat", "lng", "category__name")[:cap + 1])
        features = [_feature(_point(row["lat"], row["lng"]), number=row["number"], stage=row["stage"],
                             name=f'{row["number"]} {row["category__name"]}', overdue=row["is_overdue"],
                             url=reverse("cases:detail", kwargs={"number": row["number"]})) for row in rows]
    elif layer == "density":
        rows = (_open_cases(user, place).filter(latitude__isnull=False, longitude__isnull=False)
                .annotate(lat=Round("latitude", DENSITY_DECIMALS), lng=Round("longitude", DENSITY_DECIMALS))
                .values("lat", "lng").annotate(n=Count("pk")).order_by("-n", "lat", "lng")[:cap + 1])
        features = [_feature(_point(row["lat"], row["lng"]), count=row["n"], name=str(row["n"])) for row in rows]
    elif layer == "warnings":
        rows = (visible_to(user, "warning.view", Alert.objects.filter(within_q("place_path", [place.path]),
                                                                       state__in=OPEN_STATES))
                .annotate(lat=Coalesce("sensor__latitude", "place__latitude"),
                          lng=Coalesce("sensor__longitude", "place__longitude"))
                .order_by("-severity", "-began_at", "-pk").values("pk", "title", "severity", "lat", "lng")[:cap + 1])
        features = [_feature(_point(row["lat"], row["lng"]), name=row["title"], severity=row["severity"],
                             url=_warning_url(row["pk"])) for row in rows]
    elif layer == "sensors":
        rows = (visible_to(user, "sensor.view", Sensor.objects.filter(within_q("place_path", [place.path]),
                                                                       is_active=True))
                .annotate(lat=Coalesce("latitude", "place__latitude"), lng=Coalesce("longitude", "place__longitude"))
                .order_by("place_path", "pk").values("code", "name", "kind", "capacity", "lat", "lng",
                                                     "place__code")[:cap + 1])
        features = [_feature(_point(row["lat"], row["lng"]), name=row["name"], code=row["code"], kind=row["kind"],
                             capacity=row["capacity"], url=_place_url(row["place__code"])) for row in rows]
    else:
        raise Http404(_("No such layer."))
    features = [feature for feature in features if feature is not None]
    return features[:cap], len(rows) > cap


def _open_cases(user: Any, place: Place) -> QuerySet:
    return visible_cases(user).filter(within_q("place_path", [place.path]), stage__in=OPEN_STAGES)
