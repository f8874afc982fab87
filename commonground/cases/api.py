"""Cases API under /api/cases: the caller's queue, one case with its log, reporting (idempotent with an
`Idempotency-Key` header), the stage transitions, and the categories. Handlers are thin: reads go
through selectors, writes through the services; ValidationError → 400, PermissionDenied → 403, a case
the caller may not view → 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import Code
from commonground.core.models import Organisation, Place
from commonground.core.permissions import require

from .models import Case
from .schemas import ActionIn, CaseDetailOut, CaseIn, CaseOut, CategoryOut, QueueQuery
from .selectors import (
    QueueFilters,
    access_case,
    active_categories,
    case_queue,
    case_reloaded,
)
from .services.intake import Contact, case_report_once, category_to_report
from .services.workflow import (
    case_accept,
    case_dispatch,
    case_escalate,
    case_feedback,
    case_merge,
    case_note,
    case_rate,
    case_reject,
    case_verify,
)

router = Router(tags=["cases"])
CaseAction = Literal["accept", "reject", "dispatch", "note", "feedback", "verify", "rate", "escalate", "merge"]


@router.get("/cases", response=Page[CaseOut])
def case_list(request: HttpRequest, filters: QueueQuery = Query(...), pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The caller's queue: cases they may view (open ones unless `stage` says "all", "closed" or a
    stage), by category, place (code, with everything under it), overdue, a search `q` (number, text, place) and
    `mine` (what waits at the caller's own level); `sort`: "deadline" (cases not yet dispatched first, newest
    first, then the soonest deadline) or "newest"."""
    return paginate(case_queue(request.user, QueueFilters(**filters.dict())), pages)


@router.get("/cases/{number}", response=CaseDetailOut)
def case_detail(request: HttpRequest, number: Code):
    return _visible(request, number, with_events=True)


@router.post("/cases", response={200: CaseDetailOut, 201: CaseDetailOut})
def case_create(request: HttpRequest, payload: CaseIn):
    """Report a case. With an `Idempotency-Key` header, a retry returns the first case with 200."""
    key = request.headers.get("Idempotency-Key", "").strip()[:100]
    category = category_to_report(payload.category)
    if category is None:
        raise ValidationError({"category": _("There is no such category.")})
    place = None
    if payload.place:
        place = Place.objects.filter(code=payload.place).first()
        if place is None:
            raise ValidationError({"place": _("There is no place with this code.")})
    contact = Contact(**payload.contact.dict()) if payload.contact else None
    reported = case_report_once(
        client=f"user:{request.user.pk}", key=key, actor=request.user, category=category,
        description=payload.description, place=place, latitude=payload.latitude, longitude=payload.longitude,
        address=payload.address, answers=payload.answers, channel=payload.channel, contact=contact,
        media_urls=payload.media_urls,
    )
    if reported.created:  # the case as written, with its category, place, log and media: nothing to read again
        return Status(201, reported.case)
    return Status(200, case_reloaded(reported.case))


def _visible(request: HttpRequest, number: str, *, with_events: bool = False) -> Case:
    return access_case(request.user, number, with_events=with_events)


def _handler(payload: ActionIn) -> Organisation | None:
    if payload.handler is None:
        return None
    handler = Organisation.objects.filter(pk=payload.handler).select_related("place").first()
    if handler is None:
        raise ValidationError({"handler": _("There is no such organisation.")})
    return handler


def _merge(request: HttpRequest, case: Case, payload: ActionIn) -> Case:
    if not payload.into:
        raise ValidationError({"into": _("Name the case to merge into.")})
    return case_merge(duplicate=case, into=_visible(request, payload.into), actor=request.user)


ACTIONS: dict[str, Callable[[HttpRequest, Case, ActionIn], Case]] = {
    "accept": lambda r, c, p: case_accept(case=c, actor=r.user, note=p.note),
    "reject": lambda r, c, p: case_reject(case=c, actor=r.user, reason=p.reason or p.note),
    "dispatch": lambda r, c, p: case_dispatch(case=c, actor=r.user, level=p.level, handler=_handler(p), note=p.note),
    "note": lambda r, c, p: case_note(case=c, actor=r.user, note=p.note),
    "feedback": lambda r, c, p: case_feedback(case=c, actor=r.user, note=p.note),
    "verify": lambda r, c, p: case_verify(case=c, actor=r.user, approved=p.approved, note=p.note),
    "rate": lambda r, c, p: case_rate(case=c, actor=r.user, rating=p.rating or 0, comment=p.comment),
    "escalate": lambda r, c, p: case_escalate(case=c, actor=r.user, reason=p.reason or p.note),
    "merge": _merge,
}


@router.post("/cases/{number}/{action}", response=CaseDetailOut)
def case_action(request: HttpRequest, number: Code, action: CaseAction, payload: ActionIn | None = None):
    """One transition: accept, reject (reason), dispatch (level, handler), note, feedback, verify
    (approved, note), rate (rating, comment), escalate (reason), merge (into: the main case's number)."""
    if action not in ACTIONS:
        raise Http404(_("No such action."))
    case = _visible(request, number)
    return case_reloaded(ACTIONS[action](request, case, payload or ActionIn()))


@router.get("/categories", response=list[CategoryOut])
def category_list(request: HttpRequest):
    """Active categories with their questions; `may_report`: open to the caller's kind of reporter."""
    require(request.user, "category.view")
    return list(active_categories())
