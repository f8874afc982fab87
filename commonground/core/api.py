"""Core API: places and the district report."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel, ConfigDict

from .api_types import Code, Day
from .models import Place
from .permissions import require, visible_to
from .reporting import build_report, default_report_scope

router = Router(tags=["core"])


class PlaceOut(Schema):
    code: str
    name: str
    kind: str
    parent_code: str | None
    depth: int
    latitude: float | None
    longitude: float | None

    @staticmethod
    def resolve_parent_code(obj: Place) -> str | None:
        return obj.parent.code if obj.parent_id else None


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


class ReportScopeOut(Schema):
    code: str
    name: str


class ReportPeriodOut(Schema):
    start: Day = Field(alias="from")
    to: Day


class ReportOut(BaseModel):
    """The scope, the period, and one object per section the apps register (`organisation`, ...; see
    REPORT.md for their keys)."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, dict[str, Any]]

    scope: ReportScopeOut
    period: ReportPeriodOut


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
