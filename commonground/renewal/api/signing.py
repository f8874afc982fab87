"""Agreements (draw, sign, scan, cancel, read), the project's agreements state, the new flats, the board and the
choice. Owners read their own agreement; every write is the campaign staff's, checked by the services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import ErrorOut, Id

from ..models import Agreement, NewFlat
from ..selectors import access_household, access_project
from ..services.flats import flat_choose, flat_turn_skip, new_flats_import
from ..services.signing import agreement_cancel, agreement_draw, agreement_scan_attach, agreement_sign
from ..signing_schemas import (
    AgreementOut,
    AgreementQuery,
    AgreementsStateOut,
    AgreementSummaryOut,
    BoardOut,
    CancelIn,
    ChooseIn,
    DrawIn,
    NewFlatIn,
    NewFlatOut,
    NewFlatQuery,
    SignIn,
)
from ..signing_selectors import (
    AgreementFilters,
    access_agreement,
    agreement_for,
    agreement_list,
    agreements_standing,
    flat_board,
    new_flats,
    turn_of,
)

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _full(agreement: Agreement) -> Agreement:
    return (Agreement.objects.select_related("household__flat", "rule_set").prefetch_related("signatures__person")
            .get(pk=agreement.pk))


@router.get("/households/{int:household_id}/agreement", response={200: AgreementOut, **ERRORS})
def household_agreement(request: HttpRequest, household_id: Id):
    """The household's standing agreement (an owner: their own)."""
    household = access_household(request.user, household_id)
    agreement = agreement_for(household)
    if agreement is None:
        raise Http404(_("This household has no agreement."))
    return _full(agreement)


@router.post("/households/{int:household_id}/agreement", response={201: AgreementOut, **ERRORS})
def household_agreement_draw(request: HttpRequest, household_id: Id, payload: DrawIn):
    """Draw the household's agreement for an option of its offer under the published rule set."""
    household = access_household(request.user, household_id, "renewal.sign")
    return Status(201, _full(agreement_draw(actor=request.user, household=household, option=payload.option)))


@router.get("/agreements/{int:agreement_id}", response={200: AgreementOut, **ERRORS})
def agreement_detail(request: HttpRequest, agreement_id: Id):
    return _full(access_agreement(request.user, agreement_id))


@router.post("/agreements/{int:agreement_id}/signatures", response={200: AgreementOut, **ERRORS})
def agreement_signature(request: HttpRequest, agreement_id: Id, payload: SignIn):
    """One co-owner's signature (person: the owner's id), with the witness; signed once every owner has."""
    agreement = access_agreement(request.user, agreement_id, "renewal.sign")
    person = agreement.household.owners.filter(pk=payload.person).first()
    if person is None:
        raise ValidationError({"person": _("Only an owner of this flat signs its agreement.")})
    return _full(agreement_sign(actor=request.user, agreement=agreement, person=person, witness=payload.witness))


@router.post("/agreements/{int:agreement_id}/scan", response={200: AgreementOut, **ERRORS})
def agreement_scan(request: HttpRequest, agreement_id: Id, scan: UploadedFile = File(...)):
    """The scan of the signed paper (image or PDF)."""
    agreement = access_agreement(request.user, agreement_id, "renewal.sign")
    return _full(agreement_scan_attach(actor=request.user, agreement=agreement, scan=scan))


@router.post("/agreements/{int:agreement_id}/cancel", response={200: AgreementOut, **ERRORS})
def agreement_cancel_now(request: HttpRequest, agreement_id: Id, payload: CancelIn):
    """Cancel before effect, with the reason; the history is kept."""
    agreement = access_agreement(request.user, agreement_id, "renewal.sign")
    return _full(agreement_cancel(actor=request.user, agreement=agreement, reason=payload.reason))


@router.get("/projects/{int:project_id}/agreements", response={200: Page[AgreementSummaryOut], **ERRORS})
def project_agreements(request: HttpRequest, project_id: Id, filters: AgreementQuery = Query(...),
                       pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The project's agreements the caller sees, in signing order; by status, work group, building or a search."""
    project = access_project(request.user, project_id)
    rows = agreement_list(request.user, project, AgreementFilters(
        status=filters.status, group=filters.group, building=filters.building, q=filters.q.strip()))
    return paginate(rows, pages)


@router.get("/projects/{int:project_id}/agreements/state", response={200: AgreementsStateOut, **ERRORS})
def project_agreements_state(request: HttpRequest, project_id: Id):
    """Pending, effective or lapsed, with signed / needed / households and the deadline."""
    return agreements_standing(access_project(request.user, project_id))


@router.get("/projects/{int:project_id}/new-flats", response={200: Page[NewFlatOut], **ERRORS})
def project_new_flats(request: HttpRequest, project_id: Id, filters: NewFlatQuery = Query(...),
                      pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The new flats (only those left, with left=true), in building, floor and number order."""
    project = access_project(request.user, project_id)
    return paginate(new_flats(project, left_only=filters.left), pages)


@router.post("/projects/{int:project_id}/new-flats", response={201: list[NewFlatOut], **ERRORS})
def project_new_flats_add(request: HttpRequest, project_id: Id, payload: list[NewFlatIn]):
    """Add flats to the inventory; every row checked first, nothing added on any error."""
    project = access_project(request.user, project_id, "renewal.manage")
    rows = [{**row.dict(), "area_m2": str(row.area_m2)} for row in payload]
    return Status(201, new_flats_import(actor=request.user, project=project, rows=rows))


@router.get("/projects/{int:project_id}/new-flats/board", response={200: BoardOut, **ERRORS})
def project_flat_board(request: HttpRequest, project_id: Id):
    """What is left and chosen per building and floor, and whose turn it is (signing number)."""
    project = access_project(request.user, project_id)
    board = flat_board(project)
    turn = turn_of(project)
    return {"left": board.left, "chosen": board.chosen, "buildings": board.buildings,
            "turn": {"household": turn.household_id if turn else None, "sequence": turn.sequence if turn else None}}


@router.post("/new-flats/{int:flat_id}/choose", response={200: NewFlatOut, **ERRORS})
def new_flat_choose(request: HttpRequest, flat_id: Id, payload: ChooseIn):
    """Choose this flat for a household in its turn; 400 with a clear message when another household has just
    taken it."""
    household = access_household(request.user, payload.household, "renewal.select")
    access_project(request.user, household.project_id)
    flat = get_object_or_404(NewFlat, pk=flat_id, project_id=household.project_id)
    return flat_choose(actor=request.user, household=household, flat=flat)


@router.post("/households/{int:household_id}/flat-turn/skip", response={200: AgreementOut, **ERRORS})
def household_turn_skip(request: HttpRequest, household_id: Id):
    """Pass over the household whose turn it is (absent); it may choose later."""
    household = access_household(request.user, household_id, "renewal.select")
    return _full(flat_turn_skip(actor=request.user, household=household))
