"""The visit planner's API under /api/business/: plans (list, one with its planned visits, make one, publish)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import ErrorOut, Id
from commonground.core.models import PlaceKind

from ..planning_schemas import PlanDetailOut, PlanIn, PlanOut, PlanQuery
from ..planning_selectors import access_plan, plan_communities, plans_visible
from ..services.planning import plan_create, plan_publish

router = Router(tags=["business"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _detail(plan):
    plan.planned_visits_list = list(plan.planned_visits.select_related("commissioner", "enterprise")
                                    .order_by("day", "commissioner", "order", "pk"))
    return plan


@router.get("/plans", response=Page[PlanOut])
def plan_list(request: HttpRequest, filters: PlanQuery = Query(...), pages: PageQuery = Query(...)):
    """The visit plans the caller sees (the street's staff, by scope), newest first."""
    plans = plans_visible(request.user).select_related("business_community").order_by("-starts_on", "-pk")
    if filters.business_community:
        plans = plans.filter(business_community__code=filters.business_community)
    return paginate(plans, pages)


@router.get("/plans/{int:plan_id}", response={200: PlanDetailOut, **ERRORS})
def plan_detail(request: HttpRequest, plan_id: Id):
    """A plan with its planned visits (who, which firm, which day, why, locked, recorded)."""
    return _detail(access_plan(request.user, plan_id))


@router.post("/plans", response={201: PlanDetailOut, **ERRORS})
def plan_make(request: HttpRequest, payload: PlanIn):
    """Plan a business community's required visits for a period (a draft; CP-SAT within the setting's time)."""
    community = next((place for place in plan_communities(request.user, "visitplan.manage")
                      if place.code == payload.business_community and place.kind == PlaceKind.BUSINESS_COMMUNITY),
                     None)
    if community is None:
        raise Http404(_("No such business community."))
    plan = plan_create(actor=request.user, business_community=community, starts_on=payload.starts_on,
                       ends_on=payload.ends_on)
    return Status(201, _detail(plan))


@router.post("/plans/{int:plan_id}/publish", response={200: PlanDetailOut, **ERRORS})
def plan_put_in_force(request: HttpRequest, plan_id: Id):
    """Put a draft plan in force (overlapping published plans of the community are replaced)."""
    plan = access_plan(request.user, plan_id, "visitplan.manage")
    return _detail(plan_publish(actor=request.user, plan=plan))

