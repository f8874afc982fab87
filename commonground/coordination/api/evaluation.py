"""Evaluation rounds and their results (aggregates only), and a household's answer."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import ErrorOut, Id

from ..evaluation_schemas import (
    EvaluationAnswersIn,
    EvaluationResponseOut,
    EvaluationResultOut,
    EvaluationRoundOut,
)
from ..evaluation_selectors import (
    Row,
    access_estate,
    access_round,
    estate_round_sums,
    household_to_answer,
    round_results,
    rounds_for,
)
from ..services.evaluation import response_submit

router = Router()
ERRORS = {403: ErrorOut, 404: ErrorOut}


def _out(row: Row) -> dict[str, Any]:
    s = row.sums
    return {"id": row.pk, "name": row.name, "company": row.company, "rank": row.rank, "households": s.households,
            "responses": s.responses, "response_rate": s.response_rate, "aspects": s.aspects, "score": s.score,
            "cases": s.cases, "closed_on_time_rate": s.on_time_rate, "mean_rating": s.rating,
            "cases_score": s.case_score, "combined_score": s.combined}


def _page(items: list[dict[str, Any]], pages: PageQuery) -> dict[str, Any]:
    start = (pages.page - 1) * pages.page_size
    return {"count": len(items), "capped": False, "items": items[start:start + pages.page_size]}


@router.get("/evaluation-rounds", response=Page[EvaluationRoundOut])
def evaluation_round_list(request: HttpRequest, pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The evaluation rounds the caller sees, newest first."""
    return paginate(rounds_for(request.user).order_by("-year", "-quarter", "pk"), pages)


@router.get("/evaluation-rounds/{int:round_id}", response={200: EvaluationRoundOut, **ERRORS})
def evaluation_round_detail(request: HttpRequest, round_id: Id):
    return access_round(request.user, round_id)


@router.get("/evaluation-rounds/{int:round_id}/estates", response={200: Page[EvaluationResultOut], **ERRORS})
def evaluation_estate_results(request: HttpRequest, round_id: Id, pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The round's estates the caller sees, ranked (rank among all the round's scored estates)."""
    round = access_round(request.user, round_id)
    return _page([_out(row) for row in round_results(request.user, round).estates], pages)


@router.get("/evaluation-rounds/{int:round_id}/companies", response={200: Page[EvaluationResultOut], **ERRORS})
def evaluation_company_results(request: HttpRequest, round_id: Id, pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The property companies serving the estates the caller sees, ranked."""
    round = access_round(request.user, round_id)
    return _page([_out(row) for row in round_results(request.user, round).companies], pages)


@router.get("/evaluation-rounds/{int:round_id}/estates/{int:estate_id}", response={200: EvaluationResultOut, **ERRORS})
def evaluation_estate_result(request: HttpRequest, round_id: Id, estate_id: Id):
    round = access_round(request.user, round_id)
    estate = access_estate(request.user, estate_id)
    if not estate.path.startswith(round.place_path):
        raise Http404(_("No such estate."))
    return _out(Row(pk=estate.pk, name=estate.name, sums=estate_round_sums(round, estate)))


@router.post("/evaluation-rounds/{int:round_id}/responses", response={201: EvaluationResponseOut, **ERRORS})
def evaluation_response_create(request: HttpRequest, round_id: Id, payload: EvaluationAnswersIn) -> Status:
    """The caller's household's one answer to an open round (scores 1–5 by question key)."""
    found = household_to_answer(request.user, round_id)
    if found is None:
        raise Http404(_("There is nothing for your household to answer in this round."))
    round, household = found
    response = response_submit(actor=request.user, round=round, household=household, answers=payload.answers)
    return Status(201, {"id": response.pk, "round_id": round.pk, "submitted_at": response.submitted_at})
