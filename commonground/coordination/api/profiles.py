"""Estate profiles: the estates with their warnings (scoped as the list page), an estate's profile, and recording
a property contract or a committee's filing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from commonground.core.api_pages import Page, PageQuery
from commonground.core.api_types import ErrorOut, Id
from commonground.core.models import Organisation
from commonground.core.pagination import COUNT_CAP
from commonground.core.permissions import can, require

from ..models import CommitteeFiling, PropertyContract
from ..profile_schemas import (
    CommitteeFilingIn,
    CommitteeFilingOut,
    EstateListQuery,
    EstateProfileOut,
    EstateWarningsOut,
    PropertyContractIn,
    PropertyContractOut,
)
from ..profile_selectors import (
    EstateFilters,
    EstateRow,
    access_estate_profile,
    estate_committee,
    estate_profile,
    estates_by_warning,
)
from ..services.profiles import committee_filing_record, property_contract_record

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _row(row: EstateRow) -> dict[str, Any]:
    return {"id": row.pk, "code": row.code, "name": row.name, "street": row.street, "community": row.community,
            "open_cases": row.open_cases, "overdue_cases": row.facts.overdue,
            "committee_term_to": row.facts.term_to, "contract_ends_on": row.facts.contract_ends_on,
            "warnings": [{"kind": w.kind, "severity": w.severity_name, "label": w.label} for w in row.warnings]}


def _contract(contract: PropertyContract) -> dict[str, Any]:
    return {"id": contract.pk, "estate_id": contract.estate_id, "company": contract.company.name,
            "starts_on": contract.starts_on, "ends_on": contract.ends_on, "fee_per_m2": contract.fee_per_m2,
            "service_level": contract.service_level}


def _filing(filing: CommitteeFiling) -> dict[str, Any]:
    return {"id": filing.pk, "committee_id": filing.committee_id, "estate_id": filing.estate_id,
            "term_from": filing.term_from, "term_to": filing.term_to, "filed_on": filing.filed_on,
            "members": filing.members}


@router.get("/estates", response={200: Page[EstateWarningsOut], **ERRORS})
def estate_warning_list(request: HttpRequest, filters: EstateListQuery = Query(...),
                        pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The estates the caller sees, most urgent first, with their warnings."""
    require(request.user, "coordination.view")
    found = estates_by_warning(request.user, None, EstateFilters.from_mapping(filters.dict()))
    start = (pages.page - 1) * pages.page_size
    return {"count": min(len(found.rows), COUNT_CAP), "capped": len(found.rows) > COUNT_CAP,
            "items": [_row(row) for row in found.rows[start:start + pages.page_size]]}


@router.get("/estates/{int:estate_id}", response={200: EstateProfileOut, **ERRORS})
def estate_profile_detail(request: HttpRequest, estate_id: Id) -> dict[str, Any]:
    """An estate's profile: its warnings, owners' committee (member names masked where the caller may not see
    them), filing, contract, open disputes and grids."""
    data = estate_profile(access_estate_profile(request.user, estate_id), request.user)
    committee = data["owners_committee"]
    return {"estate": _row(data["row"]), "owners_committee": committee.name if committee else None,
            "committee_members": [{"name": m.name, "position": m.position} for m in data["members"]],
            "filing": _filing(data["filing"]) if data["filing"] else None,
            "contract": _contract(data["contract"]) if data["contract"] else None,
            "open_disputes": data["row"].disputes, "grids": [g.name for g in data["grids"]]}


@router.post("/estates/{int:estate_id}/contracts", response={201: PropertyContractOut, **ERRORS})
def property_contract_create(request: HttpRequest, estate_id: Id, payload: PropertyContractIn) -> Status:
    """Record a property service contract of the estate (coordination.manage there)."""
    estate = access_estate_profile(request.user, estate_id)
    if not can(request.user, "coordination.manage", estate):
        raise PermissionDenied
    company = Organisation.objects.filter(pk=payload.company_id).first()
    if company is None:
        raise ValidationError({"company_id": _("No such property company.")})
    contract = property_contract_record(actor=request.user, estate=estate, company=company,
                                        starts_on=payload.starts_on, ends_on=payload.ends_on,
                                        fee_per_m2=payload.fee_per_m2, service_level=payload.service_level,
                                        note=payload.note)
    return Status(201, _contract(contract))


@router.post("/estates/{int:estate_id}/filings", response={201: CommitteeFilingOut, **ERRORS})
def committee_filing_create(request: HttpRequest, estate_id: Id, payload: CommitteeFilingIn) -> Status:
    """Record the filing of the estate's owners' committee in force (coordination.manage there)."""
    estate = access_estate_profile(request.user, estate_id)
    if not can(request.user, "coordination.manage", estate):
        raise PermissionDenied
    committee = estate_committee(estate)
    if committee is None:
        raise ValidationError({"term_from": _("The estate has no owners' committee to file.")})
    filing = committee_filing_record(actor=request.user, committee=committee, term_from=payload.term_from,
                                     term_to=payload.term_to, filed_on=payload.filed_on, members=payload.members)
    return Status(201, _filing(filing))
