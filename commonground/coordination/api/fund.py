"""The fund API: funds with their figures, projects (filtered by fund, stage, estate) and the steps that call the
same services as the pages (create, submit, review, disburse)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile

from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import ErrorOut, Id
from commonground.deliberation.models import Resolution, Vote

from ..fund_schemas import (
    FundDetailOut,
    FundDisbursementIn,
    FundDisbursementOut,
    FundOut,
    FundProjectDetailOut,
    FundProjectIn,
    FundProjectOut,
    FundProjectQuery,
    FundReviewIn,
)
from ..fund_selectors import (
    ProjectFilters,
    access_fund,
    access_fund_project,
    apply_estates,
    fund_figures,
    fund_project_list,
    funds_for,
)
from ..services.fund import (
    disbursement_record,
    fund_project_create,
    fund_project_review,
    fund_project_submit,
)

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.get("/funds", response=Page[FundOut])
def fund_list(request: HttpRequest, pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The micro-governance funds the caller sees."""
    return paginate(funds_for(request.user), pages)


@router.get("/funds/{int:fund_id}", response={200: FundDetailOut, **ERRORS})
def fund_detail(request: HttpRequest, fund_id: Id):
    """A fund with its money (total, committed, disbursed, left) and all its projects by stage."""
    fund = access_fund(request.user, fund_id)
    fund.by_stage = [vars(row) for row in fund_figures(fund).by_stage]
    return fund


@router.get("/fund-projects", response=Page[FundProjectOut])
def fund_project_index(request: HttpRequest, filters: FundProjectQuery = Query(...),
                       pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The fund projects the caller sees, newest first, by fund, stage or estate."""
    return paginate(fund_project_list(request.user, ProjectFilters(
        fund=filters.fund, stage=filters.stage, estate=filters.estate)), pages)


@router.get("/fund-projects/{int:project_id}", response={200: FundProjectDetailOut, **ERRORS})
def fund_project_detail(request: HttpRequest, project_id: Id):
    project = access_fund_project(request.user, project_id)
    project.budget_lines_list = list(project.budget_lines.all())
    return project


@router.post("/fund-projects", response={200: FundProjectOut, **ERRORS})
def fund_project_new(request: HttpRequest, payload: FundProjectIn):
    """A draft project of an estate on a fund, with its budget lines (the amounts are computed)."""
    fund = access_fund(request.user, payload.fund)
    estate = get_object_or_404(apply_estates(request.user, fund), pk=payload.estate)
    resolution = get_object_or_404(Resolution, pk=payload.resolution) if payload.resolution else None
    vote = get_object_or_404(Vote, pk=payload.vote) if payload.vote else None
    return fund_project_create(actor=request.user, fund=fund, estate=estate, title=payload.title,
                               description=payload.description, resolution=resolution, vote=vote,
                               lines=[line.dict() for line in payload.lines])


@router.post("/fund-projects/{int:project_id}/submit", response={200: FundProjectOut, **ERRORS})
def fund_project_send(request: HttpRequest, project_id: Id):
    return fund_project_submit(actor=request.user, project=access_fund_project(request.user, project_id))


@router.post("/fund-projects/{int:project_id}/review", response={200: FundProjectOut, **ERRORS})
def fund_project_decide(request: HttpRequest, project_id: Id, payload: FundReviewIn):
    """The review the project waits for (community, street or fund office); the fund office's approval commits
    the money, or answers 400 with what the fund has left."""
    project = access_fund_project(request.user, project_id)
    return fund_project_review(actor=request.user, project=project, decision=payload.decision,
                               comment=payload.comment, amount=payload.amount)


@router.post("/fund-projects/{int:project_id}/disbursements", response={200: FundDisbursementOut, **ERRORS})
def fund_project_pay(request: HttpRequest, project_id: Id, payload: Form[FundDisbursementIn],
                     receipt: File[UploadedFile]):
    """A payment against a receipt (multipart form: amount, paid_on, note, receipt)."""
    project = access_fund_project(request.user, project_id)
    return disbursement_record(actor=request.user, project=project, amount=payload.amount, paid_on=payload.paid_on,
                               receipt=receipt, note=payload.note)
