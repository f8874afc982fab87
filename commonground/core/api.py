"""Core API: places and the district report."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router

from .api_types import Code, Day
from .models import Place
from .permissions import require, visible_to
from .reporting import build_report, default_report_scope
from .schemas import PlaceOut, ReportOut

router = Router(tags=["core"])


@router.get("/places", response=list[PlaceOut])
def place_list(request: HttpRequest, kind: str | None = None, within: str | None = None,
               limit: Annotated[int, Field(ge=1, le=1000)] = 200):
    """Places the caller may see, optionally of one kind and under one place (by code), at most `limit`."""
    places = visible_to(request.user, "place.view", Place.objects.select_related("parent"))
    if kind:
        places = places.of_kind(kind)
    if within:
        places = places.within(get_object_or_404(visible_to(request.user, "place.view", Place.objects), code=within))
    return list(places[:limit])


@router.get("/places/{code}", response=PlaceOut)
def place_detail(request: HttpRequest, code: Code):
    return get_object_or_404(
        visible_to(request.user, "place.view", Place.objects.select_related("parent")), code=code
    )


@router.get("/report", response=ReportOut, by_alias=True)
def report(request: HttpRequest, scope: str | None = None, from_: Day | None = Query(None, alias="from"),
           to: Day | None = None) -> dict[str, Any]:
    """The district report (REPORT.md): for `scope`, or the highest place the caller may report on; the period
    (ISO dates, `from` to `to`) defaults to this year up to today."""
    if scope:
        place = get_object_or_404(visible_to(request.user, "place.view", Place.objects), code=scope)
    else:
        place = default_report_scope(request.user)
        if place is None:
            raise PermissionDenied
    require(request.user, "report.view", place)
    return build_report(scope=place, start=from_, end=to)
