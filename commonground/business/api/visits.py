"""The visits part's API under /api/business/: visits (list, one, record, another department's), the
commissioner's day, and the commissioners."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from commonground.core import clock
from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import ErrorOut, Id
from commonground.core.permissions import can, visible_to

from ..ledgers_selectors import access_enterprise, enterprises_visible
from ..models import PlannedVisit
from ..services.visits import serving_commissioner, visit_record, visit_record_other
from ..visits_schemas import (
    CommissionerOut,
    MyDayOut,
    MyDayQuery,
    VisitDetailOut,
    VisitIn,
    VisitOtherIn,
    VisitOut,
    VisitQuery,
)
from ..visits_selectors import (
    VisitFilters,
    access_visit,
    commissioners_visible,
    my_day,
    visit_demands,
    visit_search,
)

router = Router(tags=["business"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _detail(visit) -> Any:
    visit.demands_list = visit_demands(visit)
    return visit


@router.get("/visits", response=Page[VisitOut])
def visit_list(request: HttpRequest, filters: VisitQuery = Query(...), pages: PageQuery = Query(...)):
    """The visits the caller sees (staff by scope, a commissioner their buildings', a firm its own), newest
    first, filtered."""
    return paginate(visit_search(request.user, VisitFilters(**filters.dict())), pages)


@router.get("/visits/{int:visit_id}", response={200: VisitDetailOut, **ERRORS})
def visit_detail(request: HttpRequest, visit_id: Id):
    return _detail(access_visit(request.user, visit_id))


@router.post("/visits", response={201: VisitDetailOut, **ERRORS})
def visit_new(request: HttpRequest, payload: VisitIn):
    """A commissioner records their visit; each demand becomes a case (its number in the answer)."""
    enterprise = access_enterprise(request.user, payload.enterprise, "visit.record")
    planned = None
    if payload.planned_visit:
        planned = visible_to(request.user, "visitplan.view", PlannedVisit.objects.all()).filter(
            pk=payload.planned_visit).first()
        if planned is None:
            raise Http404(_("No such planned visit."))
    visit = visit_record(actor=request.user, enterprise=enterprise, visited_on=payload.visited_on,
                         topics=payload.topics, feedback=payload.feedback,
                         demands=[d.dict() for d in payload.demands], planned_visit=planned)
    return Status(201, _detail(access_visit(request.user, visit.pk)))


@router.post("/visits/other", response={201: VisitOut, **ERRORS})
def visit_other_new(request: HttpRequest, payload: VisitOtherIn):
    """Staff record another department's visit (a later day: planned)."""
    enterprise = enterprises_visible(request.user, "visit.manage").filter(
        credit_code=payload.enterprise.strip().upper()).first()
    if enterprise is None:
        raise Http404(_("No such enterprise."))
    return Status(201, visit_record_other(actor=request.user, enterprise=enterprise, department=payload.department,
                                   visited_on=payload.visited_on, visitor_name=payload.visitor_name,
                                   topics=payload.topics, feedback=payload.feedback))


@router.get("/my-day", response={200: MyDayOut, **ERRORS})
def my_day_api(request: HttpRequest, query: MyDayQuery = Query(...)):
    """The caller's (a commissioner's) planned visits of a day, by building in the plan's order."""
    commissioner = serving_commissioner(request.user) if can(request.user, "commissioner.work") else None
    if commissioner is None:
        raise Http404(_("This page is a building commissioner's."))
    plan = my_day(request.user, query.day or clock.today())
    return {"day": plan.day, "commissioner": commissioner.pk, "buildings": [
        {"building": group.building.pk if group.building else None,
         "building_name": group.building.name if group.building else "",
         "visits": [{"planned_visit": item.planned.pk, "enterprise": item.enterprise.credit_code,
                     "enterprise_name": item.enterprise.name, "floor": item.enterprise.floor,
                     "room": item.enterprise.room, "contact_name": item.contact_name,
                     "contact_phone": item.contact_phone, "reasons": item.reasons, "recorded": item.recorded,
                     "visit": item.planned.visit_id} for item in group.items]} for group in plan.buildings]}


@router.get("/commissioners", response=Page[CommissionerOut])
def commissioner_list(request: HttpRequest, pages: PageQuery = Query(...)):
    """The commissioners the caller sees, with their buildings in force today."""
    page = paginate(commissioners_visible(request.user), pages)
    for commissioner in page["items"]:
        commissioner.buildings = [a.building.code for a in commissioner.current_assignments]
    return page
