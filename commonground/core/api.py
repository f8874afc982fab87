"""Core API: places and the district report."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router

from .api_pages import Page, PageQuery, paginate
from .api_types import Code, Day
from .models import Place
from .permissions import require, visible_to
from .reporting import build_report, default_report_scope
from .schemas import PlaceOut, ReportOut
from .selectors import access_place

router = Router(tags=["core"])


@router.get("/places", response=Page[PlaceOut])
def place_list(request: HttpRequest, kind: str | None = None, within: str | None = None,
               pages: PageQuery = Query(...)) -> dict[str, Any]:
    """Places the caller may see in tree order, optionally of one kind and under one place (by code)."""
    places = visible_to(request.user, "place.view", Place.objects.select_related("parent"))
    if kind:
        places = places.of_kind(kind)
    if within:
        places = places.within(access_place(request.user, within))
    return paginate(places, pages)


@router.get("/places/{code}", response=PlaceOut)
def place_detail(request: HttpRequest, code: Code):
    return access_place(request.user, code)


@router.get("/report", response=ReportOut, by_alias=True)
def report(request: HttpRequest, scope: str | None = None, from_: Day | None = Query(None, alias="from"),
           to: Day | None = None) -> dict[str, Any]:
    """The district report (REPORT.md): for `scope`, or the highest place the caller may report on; the period
    (ISO dates, `from` to `to`) defaults to this year up to today."""
    if scope:
        place = access_place(request.user, scope)
    else:
        place = default_report_scope(request.user)
        if place is None:
            raise PermissionDenied
    require(request.user, "report.view", place)
    return build_report(scope=place, start=from_, end=to)
