"""The offices and party network API: offices with their staff (masked as the caller may see them), network
counts of a place, corridor branches with their buildings; setting a branch's buildings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import ErrorOut, Id
from commonground.core.models import Place, PlaceKind

from ..network_schemas import (
    NetworkBranchBuildingsIn,
    NetworkBranchOut,
    NetworkBranchQuery,
    NetworkOfficeOut,
    NetworkOut,
    NetworkQuery,
)
from ..network_selectors import (
    access_branch,
    branches_for,
    level_of,
    network_counts,
    network_root,
    offices_for,
    staff_lines,
)
from ..services.network import branch_buildings_set

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _office(user: Any, office: Any) -> dict[str, Any]:
    return {"id": office.pk, "name": office.name, "level": level_of(office), "place": office.place.code,
            "place_name": office.place.name, "open_disputes": office.open_disputes,
            "joint_meetings": office.joint_meetings,
            "staff": [{"position": line.membership.position, "name": line.name} for line in staff_lines(user, office)]}


@router.get("/offices", response=Page[NetworkOfficeOut])
def office_list(request: HttpRequest, pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The three-party offices the caller sees, district first, with their serving staff."""
    page = paginate(offices_for(request.user), pages)
    page["items"] = [_office(request.user, office) for office in page["items"]]
    return page


def _counts(counts: Any) -> dict[str, int]:
    return vars(counts)


@router.get("/network", response={200: NetworkOut, **ERRORS})
def network_detail(request: HttpRequest, query: NetworkQuery = Query(...)) -> dict[str, Any]:
    """The party and association network's counts under a place (default: the top of the caller's scope) and per
    place one level down."""
    place = network_root(request.user, query.place or "")
    total, rows = network_counts(place)
    return {"place": place.code, "place_name": place.name, "place_kind": place.kind, "total": _counts(total),
            "rows": [{"place": row.place.code, "place_name": row.place.name, "counts": _counts(row.counts)}
                     for row in rows]}


def _branch(branch: Any) -> dict[str, Any]:
    return {"id": branch.pk, "name": branch.name, "corridor": branch.place.code,
            "buildings": [{"code": c.building.code, "name": c.building.name} for c in branch.covered]}


@router.get("/branches", response=Page[NetworkBranchOut])
def branch_list(request: HttpRequest, query: NetworkBranchQuery = Query(...),
                pages: PageQuery = Query(...)) -> dict[str, Any]:
    """Corridor party branches the caller sees (of one estate with `estate`), with the buildings they cover."""
    page = paginate(branches_for(request.user, query.estate or ""), pages)
    page["items"] = [_branch(branch) for branch in page["items"]]
    return page


@router.post("/branches/{int:branch_id}/buildings", response={200: NetworkBranchOut, **ERRORS})
def branch_buildings_post(request: HttpRequest, branch_id: Id, body: NetworkBranchBuildingsIn):
    """Set the buildings a corridor party branch covers (buildings of its own estate, by code)."""
    branch = access_branch(request.user, branch_id, "coordination.manage")
    codes = set(body.buildings)
    buildings = list(Place.objects.filter(code__in=codes, kind=PlaceKind.BUILDING))
    if len(buildings) != len(codes):
        raise ValidationError({"buildings": _("No building has one of these codes.")})
    branch_buildings_set(actor=request.user, branch=branch, buildings=buildings)
    return _branch(branches_for(request.user).get(pk=branch.pk))
