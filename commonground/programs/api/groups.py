"""The new employment groups' API: one's own declarations (declare, withdraw), staff's list in scope (masked as the
role requires), the couriers' homes (facts, zones, upcoming activities, council items) and filing a council item.
The same services and selectors as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router

from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import ErrorOut, Id
from commonground.core.masking import shown
from commonground.core.models import Person, Place
from commonground.core.permissions import require, visible_to

from ..groups_schemas import (
    CourierHomeDetailOut,
    CourierHomeOut,
    CourierItemIn,
    CourierItemOut,
    DeclarationIn,
    DeclarationOut,
    DeclarationQuery,
)
from ..groups_selectors import (
    VIEW,
    access_declaration,
    access_home,
    council_of,
    declarations_for,
    home_page,
    homes,
    own_declarations,
)
from ..models import EmploymentDeclaration
from ..services.groups import council_item_file, declaration_create, declaration_revoke

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _declaration(d: EmploymentDeclaration, in_full: bool) -> dict[str, Any]:
    return {"id": d.pk, "person_name": shown("name", d.person.name, in_full=in_full),
            "person_phone": shown("phone", d.person.phone, in_full=in_full), "group": d.group,
            "group_label": str(d.get_group_display()), "platform": d.platform, "place": d.place_id,
            "place_name": d.place.name, "declared_at": d.declared_at, "revoked_at": d.revoked_at,
            "active": d.revoked_at is None}


def _own(request: HttpRequest, d: EmploymentDeclaration) -> bool:
    return d.person_id == getattr(request.user, "person_id", None)


@router.get("/couriers/declarations/mine", response=list[DeclarationOut])
def declaration_mine(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's own declarations (the active one first, then the withdrawn ones)."""
    return [_declaration(d, True) for d in own_declarations(request.user)]


@router.get("/couriers/declarations", response={200: Page[DeclarationOut], **ERRORS})
def declaration_list(request: HttpRequest, filters: DeclarationQuery = Query(...),
                     pages: PageQuery = Query(...)) -> dict[str, Any]:
    """Staff: the active declarations at places in their scope; names and phones masked as their role requires."""
    require(request.user, VIEW)
    page = paginate(declarations_for(request.user, group=filters.group, platform=filters.platform), pages)
    page["items"] = [_declaration(d, d.in_full) for d in page["items"]]
    return page


@router.post("/couriers/declarations", response={200: DeclarationOut, **ERRORS})
def declaration_new(request: HttpRequest, payload: DeclarationIn) -> dict[str, Any]:
    """Declare oneself (no `person`), or, staff at the desk, a resident (`person`) at a place of their scope."""
    place = get_object_or_404(Place, pk=payload.place)
    if payload.person is None or payload.person == getattr(request.user, "person_id", None):
        person = request.user.person if getattr(request.user, "person_id", None) else None
        if person is None:
            raise PermissionDenied(_("Only people with a resident record declare themselves."))
    else:
        person = get_object_or_404(visible_to(request.user, "person.view", Person.objects.all()), pk=payload.person)
    item = declaration_create(actor=request.user, person=person, group=payload.group, platform=payload.platform,
                              place=place)
    return _declaration(item, True)


@router.post("/couriers/declarations/{int:declaration_id}/revoke", response={200: DeclarationOut, **ERRORS})
def declaration_withdraw(request: HttpRequest, declaration_id: Id) -> dict[str, Any]:
    """Withdraw a declaration: one's own, or staff's in scope."""
    item = declaration_revoke(actor=request.user,
                              declaration=access_declaration(request.user, declaration_id, "employment.manage"))
    return _declaration(item, True)


def _home(home: Place) -> dict[str, Any]:
    council = council_of(home)
    return {"id": home.pk, "name": home.name, "address": home.address,
            "community": home.parent.name if home.parent else "", "floor_area_m2": home.floor_area_m2,
            "council": council.name if council else None}


@router.get("/couriers/homes", response=list[CourierHomeOut])
def home_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every couriers' home (a facility where a couriers' council is based)."""
    if not getattr(request.user, "is_authenticated", False):
        return []
    rows = list(homes())
    return [_home(home) for home in rows]


@router.get("/couriers/homes/{int:home_id}", response={200: CourierHomeDetailOut, **ERRORS})
def home_detail(request: HttpRequest, home_id: Id) -> dict[str, Any]:
    """A home's facts, zones, upcoming activities and its council's items with their progress."""
    home = access_home(request.user, home_id)
    page = home_page(request.user, home)
    return {
        "id": home.pk, "name": home.name, "address": home.address,
        "community": page.community.name if page.community else "", "floor_area_m2": home.floor_area_m2,
        "council": page.council.name if page.council else None,
        "zones": [{"id": z.pk, "name": z.name, "purpose": z.purpose, "area_m2": z.area_m2} for z in page.zones],
        "zones_area_m2": page.zones_area,
        "upcoming_activities": [{"id": a.pk, "title": a.title, "kind": a.kind, "place_name": a.place.name,
                                 "first_starts_at": a.first_starts_at, "last_ends_at": a.last_ends_at,
                                 "places_left": a.places_left, "url": f"/programs/activities/{a.pk}/"}
                                for a in page.activities],
        "council_items_solved": page.items.solved, "council_items_open": page.items.open_total,
        "council_items_open_by_stage": [{"stage_label": label, "count": n} for label, n in page.items.open_by_stage],
        "latest_council_items": [_item(case) for case in page.items.latest],
    }


def _item(case) -> dict[str, Any]:
    return {"number": case.number, "description": case.description, "stage": case.stage,
            "stage_label": str(case.get_stage_display()), "reported_at": case.created_at,
            "closed_at": case.closed_at}


@router.post("/couriers/homes/{int:home_id}/council/items", response={200: CourierItemOut, **ERRORS})
def council_item_new(request: HttpRequest, home_id: Id, payload: CourierItemIn) -> dict[str, Any]:
    """File an item of the home's couriers' council (a member, or staff at the home): a case at the home."""
    home = access_home(request.user, home_id)
    council = council_of(home)
    if council is None:
        raise Http404(_("This home has no couriers' council."))
    return _item(council_item_file(actor=request.user, council=council, description=payload.description))
