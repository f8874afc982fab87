"""The dashboards part of the cockpit API: the map's GeoJSON layers (/api/cockpit/layers/<layer>?place=<code>),
the dashboard's figures (/api/cockpit/dashboard?place=<code>) and the vitality index."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Query, Router

from commonground.core.permissions import require

from ..dashboards_selectors import access_cockpit_place, default_place, layer_features
from ..scene_selectors import scene

router = Router()

Layer = Literal["areas", "offices", "cases", "density", "warnings", "sensors"]
Metric = Literal["open_cases", "occupancy", "vitality"]


GEOJSON = {"type": "object", "properties": {"type": {"type": "string"}, "features": {"type": "array"},
                                           "truncated": {"type": "boolean"}, "place": {"type": "string"}}}


@router.get("/layers/{layer}", url_name="cockpit_layer", response={200: Any},
            openapi_extra={"responses": {
                200: {"description": "A GeoJSON FeatureCollection.",
                      "content": {"application/geo+json": {"schema": GEOJSON}}}}})
def layer(request: HttpRequest, layer: Layer, place: str = Query("", max_length=64)) -> JsonResponse:
    """A map layer as a GeoJSON FeatureCollection: the features under `place` (default: the viewer's own scope)
    that the viewer may see, capped (`truncated` says when the cap cut some off). Each feature's `url` opens its
    record."""
    require(request.user, "cockpit.view")
    where = access_cockpit_place(request.user, place) if place else default_place(request.user)
    if where is None:
        raise Http404(_("No place of yours has a cockpit."))
    features, truncated = layer_features(request.user, layer, where)
    response = JsonResponse({"type": "FeatureCollection", "features": features, "truncated": truncated,
                             "place": where.code}, content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=60"
    return response


@router.get("/scene", url_name="cockpit_scene", response={200: Any},
            openapi_extra={"responses": {
                200: {"description": "A GeoJSON FeatureCollection of building footprints.",
                      "content": {"application/geo+json": {"schema": GEOJSON}}}}})
def building_scene(request: HttpRequest, place: str = Query("", max_length=64),
                   metric: Metric = "open_cases") -> JsonResponse:
    """The 3D view's buildings under `place` (default: the viewer's own scope): each footprint with `height_m`
    (floors × a storey's height; null without floors), the `metric`'s `value` (null where it does not apply) and
    the `url` of the building's page; capped (`truncated` says when)."""
    require(request.user, "cockpit.view")
    where = access_cockpit_place(request.user, place) if place else default_place(request.user)
    if where is None:
        raise Http404(_("No place of yours has a cockpit."))
    response = JsonResponse(scene(request.user, where, metric), content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=60"
    return response
