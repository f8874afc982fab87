"""The dashboards pages of the cockpit: a scope's dashboard (/cockpit/ for the viewer's own scope,
/cockpit/<place code>/ for a place in it), the map (/cockpit/map/) and the vitality index (/cockpit/vitality/)."""

from __future__ import annotations

from urllib.parse import urlencode

from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.permissions import require

from .. import panels
from ..dashboards_selectors import LAYER_LABELS, access_cockpit_place, default_place, picker_places
from ..scene_selectors import METRICS, scene, storey_m
from ..vitality_selectors import vitality_page

SCENE_TOP = 10  # buildings in the table beside the 3D view (those with a figure above 0)
FALLBACK_CENTRE = (30.319, 120.142)  # Gongshu district, where a map opens when nothing has coordinates


def _place(request: HttpRequest, code: str | None):
    require(request.user, "cockpit.view")
    if code:
        return access_cockpit_place(request.user, code)
    place = default_place(request.user)
    if place is None:
        raise Http404(_("No place of yours has a cockpit."))
    return place


@login_required
def dashboard(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The figures of every module the viewer may see, for their scope or a place in it."""
    chosen = request.GET.get("place", "")
    place = _place(request, code or chosen or None)
    figures = panels.dashboard(request.user, place)
    charts = {name: figures[name]["chart"] for name in ("cases", "signals") if name in figures}
    return render(request, "cockpit/dashboards_overview.html", {
        "place": place, "places": picker_places(request.user), "panels": figures, "charts": charts,
        "map_url": reverse("cockpit:map") + f"?place={place.code}",
        "vitality_url": reverse("cockpit:vitality") + f"?place={place.code}"})


@login_required
def cockpit_map(request: HttpRequest) -> HttpResponse:
    """The map of the viewer's scope (or a place in it) with its layers, read from /api/cockpit/layers/."""
    place = _place(request, request.GET.get("place") or None)
    data = _map_data(place)
    return render(request, "cockpit/dashboards_map.html", {
        "place": place, "places": picker_places(request.user), "map": data, "layers": LAYER_LABELS.items()})


def _map_data(place) -> dict:
    centre = (float(place.latitude), float(place.longitude)) if place.latitude is not None else FALLBACK_CENTRE
    return {"place": place.code, "centre": centre, "zoom": 14 if place.depth > 1 else 12,
            "basemap": getattr(settings, "CG_BASEMAP_URL", ""),
            "attribution": getattr(settings, "CG_BASEMAP_ATTRIBUTION", ""),
            "layers": reverse("api:cockpit_layer", kwargs={"layer": "LAYER"}),
            "areas": reverse("core:place-areas") + "?" + urlencode({"within": place.code})}


# ECharts GL (claygl) compiles its own compositor's size expressions ("expr(width * dpr)") with new Function when
# a chart starts, so this one page allows eval; scripts still come only from our own static files.
@csp_update({"script-src": ["'unsafe-eval'"]})
@login_required
def building_scene(request: HttpRequest) -> HttpResponse:
    """The 3D view: the buildings of the viewer's scope (or a place in it) extruded by their height and coloured
    by a metric (the same figures as /api/cockpit/scene)."""
    place = _place(request, request.GET.get("place") or None)
    metric = request.GET.get("metric", "")
    metric = metric if metric in METRICS else "open_cases"
    buildings = scene(request.user, place, metric)
    buildings["storey_m"] = storey_m()
    highest = sorted((feature["properties"] for feature in buildings["features"]
                      if feature["properties"]["value"]), key=lambda row: -row["value"])[:SCENE_TOP]
    return render(request, "cockpit/dashboards_scene.html", {
        "place": place, "places": picker_places(request.user), "metric": metric, "storey_m": storey_m(),
        "metrics": [(key, label) for key, (label, _unit) in METRICS.items()], "scene": buildings,
        "highest": highest})


@login_required
def big_screen(request: HttpRequest) -> HttpResponse:
    """The big screen (大屏) of the viewer's scope: key figures and live warnings (refreshed every minute by
    htmx from `big_screen_figures`), the map and the foot-traffic trend, dark, for a command centre's wall."""
    place = _place(request, request.GET.get("place") or None)
    figures = panels.dashboard(request.user, place)
    charts = {"signals": figures["signals"]["chart"]} if "signals" in figures else {}
    return render(request, "cockpit/screen.html", {"place": place, "panels": figures, "charts": charts,
                                                   "map": _map_data(place), "layers": LAYER_LABELS.items(),
                                                   "updated": clock.now()})


@login_required
def big_screen_figures(request: HttpRequest) -> HttpResponse:
    """The big screen's figures and warnings, the fragment htmx polls."""
    place = _place(request, request.GET.get("place") or None)
    return render(request, "cockpit/_screen_figures.html", {"panels": panels.dashboard(request.user, place),
                                                            "updated": clock.now()})


@login_required
def vitality(request: HttpRequest) -> HttpResponse:
    """The vitality index of the business communities and streets the viewer reaches: the formula with each
    part's raw value, score, weight and contribution, the trend and the ranking."""
    place = _place(request, request.GET.get("place") or None)
    return render(request, "cockpit/vitality.html", vitality_page(request.user, place, request.GET.get("unit", "")))

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("map/", cockpit_map, name="map"),
    path("3d/", building_scene, name="scene"),
    path("vitality/", vitality, name="vitality"),
    path("screen/", big_screen, name="big_screen"),
    path("screen/figures/", big_screen_figures, name="big_screen_figures"),
    path("<str:code>/", dashboard, name="dashboard-place"),
]
