"""The job postings API: the board and a posting, interest (express, withdraw, one's own), job fairs with their
figures, and for staff and enterprise contacts: create, change, publish, close, put in a fair, counts by posting.
The same services and selectors as the pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import ErrorOut, Id

from ..jobs_schemas import (
    JobCountsQuery,
    JobFairDetailOut,
    JobFairIn,
    JobFairOut,
    JobInterestIn,
    JobInterestOut,
    JobPostingCountOut,
    JobPostingIn,
    JobPostingOut,
    JobPostingPatch,
    JobPostingQuery,
)
from ..jobs_selectors import (
    BoardFilters,
    access_fair,
    access_posting,
    fair_figures,
    fair_postings,
    fairs_for,
    managed_postings,
    my_interest,
    my_interests,
    posting_board,
    posting_places,
)
from ..services.jobs import (
    interest_express,
    interest_withdraw,
    posting_attach_to_fair,
    posting_close,
    posting_create,
    posting_publish,
    posting_update,
)

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.get("/postings", response=Page[JobPostingOut])
def posting_list(request: HttpRequest, filters: JobPostingQuery = Query(...),
                 pages: PageQuery = Query(...)) -> dict[str, Any]:
    """Open postings, newest first, by fair, audience, place (posted within it) or words."""
    return paginate(posting_board(request.user, BoardFilters(fair=filters.fair, audience=filters.audience,
                                                             place=filters.place, text=filters.q)), pages)


@router.get("/postings/counts", response=Page[JobPostingCountOut])
def posting_counts(request: HttpRequest, filters: JobCountsQuery = Query(...),
                   pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The organiser's counts by posting: the postings the caller manages with the people interested in each."""
    return paginate(managed_postings(request.user, fair=filters.fair, status=filters.status), pages)


@router.get("/postings/{int:posting_id}", response={200: JobPostingOut, **ERRORS})
def posting_detail(request: HttpRequest, posting_id: Id):
    return access_posting(request.user, posting_id)


@router.post("/postings", response={200: JobPostingOut, **ERRORS})
def posting_new(request: HttpRequest, payload: JobPostingIn):
    """A draft posting at a place where the caller posts (optionally in a job fair)."""
    place = get_object_or_404(posting_places(request.user), pk=payload.place)
    fair = access_fair(request.user, payload.fair) if payload.fair else None
    fields = payload.dict(exclude={"place", "fair"})
    return posting_create(actor=request.user, place=place, fair=fair, **fields)


@router.patch("/postings/{int:posting_id}", response={200: JobPostingOut, **ERRORS})
def posting_change(request: HttpRequest, posting_id: Id, payload: JobPostingPatch):
    posting = access_posting(request.user, posting_id, "posting.manage")
    return posting_update(actor=request.user, posting=posting, **payload.dict(exclude_unset=True))


@router.post("/postings/{int:posting_id}/publish", response={200: JobPostingOut, **ERRORS})
def posting_put_up(request: HttpRequest, posting_id: Id):
    return posting_publish(actor=request.user, posting=access_posting(request.user, posting_id, "posting.manage"))


@router.post("/postings/{int:posting_id}/close", response={200: JobPostingOut, **ERRORS})
def posting_take_down(request: HttpRequest, posting_id: Id):
    return posting_close(actor=request.user, posting=access_posting(request.user, posting_id, "posting.manage"))


@router.post("/postings/{int:posting_id}/fair", response={200: JobPostingOut, **ERRORS})
def posting_fair(request: HttpRequest, posting_id: Id, payload: JobFairIn):
    """Put the posting in a job fair (or out of it, with no fair)."""
    posting = access_posting(request.user, posting_id, "posting.manage")
    fair = access_fair(request.user, payload.fair) if payload.fair else None
    return posting_attach_to_fair(actor=request.user, posting=posting, fair=fair)


@router.post("/postings/{int:posting_id}/interest", response={200: JobInterestOut, **ERRORS})
def interest_new(request: HttpRequest, posting_id: Id, payload: JobInterestIn):
    """The caller is interested in the posting (once)."""
    posting = access_posting(request.user, posting_id)
    return interest_express(actor=request.user, posting=posting, note=payload.note,
                            phone_consent=payload.phone_consent)


@router.delete("/postings/{int:posting_id}/interest", response={200: JobInterestOut, **ERRORS})
def interest_remove(request: HttpRequest, posting_id: Id):
    """Withdraw the caller's interest in the posting."""
    interest = my_interest(request.user, access_posting(request.user, posting_id))
    if interest is None:
        raise Http404
    return interest_withdraw(actor=request.user, interest=interest)


@router.get("/my-job-interests", response=Page[JobInterestOut])
def interests_mine(request: HttpRequest, pages: PageQuery = Query(...)) -> dict[str, Any]:
    return paginate(my_interests(request.user), pages)


@router.get("/job-fairs", response=Page[JobFairOut])
def fair_list(request: HttpRequest, pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The job fairs the caller sees, with their positions summed by posting."""
    return paginate(fairs_for(request.user), pages)


@router.get("/job-fairs/{int:fair_id}", response={200: JobFairDetailOut, **ERRORS})
def fair_detail(request: HttpRequest, fair_id: Id):
    """A job fair with its figures and its postings (the ones the caller sees) with the interests in each."""
    fair = access_fair(request.user, fair_id)
    figures = fair_figures(fair)
    fair.employers, fair.interests = figures.employers, figures.interests
    fair.positions_total, fair.postings_total = figures.positions, figures.postings
    fair.posting_list = list(fair_postings(request.user, fair)[:500])
    return fair
