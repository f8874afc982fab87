"""The ledgers part's API under /api/business/: the enterprise ledger (list, detail by credit code, create,
update), the building ledger with its counts (and setting a building's facts), tax records (list, set). Every
answer goes through the same selectors and services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from commonground.core import clock
from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import Code, ErrorOut
from commonground.core.permissions import can

from ..ledgers_schemas import (
    CreditCode,
    EnterpriseChangeIn,
    EnterpriseCreateIn,
    EnterpriseDetailOut,
    EnterpriseOut,
    EnterpriseQuery,
    LedgerBuildingIn,
    LedgerBuildingOut,
    LedgerBuildingQuery,
    TaxRecordIn,
    TaxRecordOut,
)
from ..ledgers_selectors import (
    EnterpriseFilters,
    access_building,
    access_enterprise,
    building_counts,
    building_ledger_rows,
    buildings_visible,
    contact_shown,
    enterprise_list,
    tax_records_of,
)
from ..services.ledgers import building_ledger_set, enterprise_create, enterprise_update, tax_record_set

router = Router(tags=["business"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _buildings_of(request: HttpRequest, changes: dict[str, Any]) -> dict[str, Any]:
    """The building codes of a payload as places the caller sees (an unknown one is a 400 on its field)."""
    for key in ("building", "registered_building"):
        if key in changes and changes[key] is not None:
            place = buildings_visible(request.user).filter(code=changes[key]).first()
            if place is None:
                raise ValidationError({key: _("No building of a business community you see has this code.")})
            changes[key] = place
    return changes


@router.get("/enterprises", response=Page[EnterpriseOut])
def enterprise_index(request: HttpRequest, filters: EnterpriseQuery = Query(...),
                     pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The enterprise ledger the caller sees (staff by scope, a commissioner their buildings' firms, a contact
    their own firm), by business community, building, status, tier, industry or name/credit code."""
    return paginate(enterprise_list(request.user, EnterpriseFilters.from_mapping(filters.dict())), pages)


@router.get("/enterprises/{credit_code}", response={200: EnterpriseDetailOut, **ERRORS})
def enterprise_detail(request: HttpRequest, credit_code: CreditCode):
    """An enterprise by its credit code, with its contact people (masked unless the caller may see them)."""
    enterprise = access_enterprise(request.user, credit_code)
    in_full = can(request.user, "enterprise.view_personal_data", enterprise)
    enterprise.contacts_shown = [
        {"name": name, "phone": phone, "title": contact.title, "is_primary": contact.is_primary}
        for contact in enterprise.contacts.all() for name, phone in [contact_shown(contact, in_full)]]
    return enterprise


@router.post("/enterprises", response={200: EnterpriseOut, **ERRORS})
def enterprise_new(request: HttpRequest, payload: EnterpriseCreateIn):
    """Enter an enterprise in the ledger (its credit code valid and new)."""
    fields = _buildings_of(request, payload.dict(exclude_unset=True))
    code, name, day = fields.pop("credit_code"), fields.pop("name"), fields.pop("registered_on")
    return enterprise_create(actor=request.user, credit_code=code, name=name, registered_on=day, **fields)


@router.patch("/enterprises/{credit_code}", response={200: EnterpriseOut, **ERRORS})
def enterprise_change(request: HttpRequest, credit_code: CreditCode, payload: EnterpriseChangeIn):
    """Change an enterprise's ledger facts (only the fields given)."""
    enterprise = access_enterprise(request.user, credit_code, "enterprise.manage")
    changes = _buildings_of(request, payload.dict(exclude_unset=True))
    return enterprise_update(actor=request.user, enterprise=enterprise, **changes)


@router.get("/enterprises/{credit_code}/tax-records", response={200: list[TaxRecordOut], **ERRORS})
def tax_record_index(request: HttpRequest, credit_code: CreditCode):
    """An enterprise's tax by year and month (month 0: a whole year), newest first."""
    enterprise = access_enterprise(request.user, credit_code, "taxrecord.view")
    return list(tax_records_of(enterprise))


@router.put("/enterprises/{credit_code}/tax-records", response={200: TaxRecordOut, **ERRORS})
def tax_record_put(request: HttpRequest, credit_code: CreditCode, payload: TaxRecordIn):
    """Record or correct an enterprise's tax for a month (or a whole year, month 0)."""
    enterprise = access_enterprise(request.user, credit_code, "taxrecord.manage")
    return tax_record_set(actor=request.user, enterprise=enterprise, year=payload.year, month=payload.month,
                          amount=payload.amount)


def _building_out(place: Any) -> dict[str, Any]:
    counts = building_counts(place)
    return {"code": place.code, "name": place.name, "community": place.parent.code,
            "community_name": place.parent.name, "floor_area_m2": counts.floor_area_m2,
            "vacant_area_m2": counts.vacant_area_m2, "occupancy": counts.occupancy, "grade": counts.grade,
            "grade_score": counts.grade_score, "here_registered": counts.here_registered,
            "here_registered_elsewhere": counts.here_registered_elsewhere,
            "registered_not_present": counts.registered_not_present, "with_tax": counts.with_tax,
            "without_tax": counts.without_tax}


@router.get("/ledger-buildings", response=Page[LedgerBuildingOut])
def ledger_building_index(request: HttpRequest, filters: LedgerBuildingQuery = Query(...),
                          pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The buildings the caller sees with their ledger counts (tax counted in `year`, this year by default)."""
    buildings = buildings_visible(request.user)
    if filters.community:
        buildings = buildings.filter(parent__code=filters.community)
    page = paginate(building_ledger_rows(buildings, filters.year or clock.today().year), pages)
    return {**page, "items": [_building_out(place) for place in page["items"]]}


@router.put("/ledger-buildings/{code}", response={200: LedgerBuildingOut, **ERRORS})
def ledger_building_put(request: HttpRequest, code: Code, payload: LedgerBuildingIn):
    """Set a building's vacant area and grading indicators (the grade follows)."""
    building = access_building(request.user, code, "buildingledger.manage")
    building_ledger_set(actor=request.user, building=building, vacant_area_m2=payload.vacant_area_m2,
                        indicators={key: str(value) for key, value in payload.indicators.items()}
                        if payload.indicators is not None else None)
    row = building_ledger_rows(buildings_visible(request.user).filter(pk=building.pk), clock.today().year).get()
    return _building_out(row)
