"""Pages of the visit planner (聚宝盆): the plans of a business community with the form that makes one, and a plan
as a calendar (commissioner × working day) with the solver's report, each visit's reasons, and the manager's
actions (move, lock, re-plan, publish)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core import clock
from commonground.core.forms import apply_service_errors
from commonground.core.permissions import can

from ..models import Commissioner, VisitPlanStatus
from ..planning_forms import MoveForm, PlanForm
from ..planning_selectors import access_plan, access_planned_visit, plan_communities, plan_grid, plans_of
from ..planning_texts import reason_text, report_lines
from ..services.planning import (
    plan_create,
    plan_publish,
    plan_replan,
    planned_visit_lock,
    planned_visit_move,
    planned_visit_unlock,
)


def _messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    """A business community's plans, newest first, and the form that makes a plan for a week or a month."""
    communities = plan_communities(request.user)
    if not communities:
        raise PermissionDenied
    chosen = request.GET.get("community") or request.POST.get("community") or ""
    community = next((c for c in communities if str(c.pk) == chosen), communities[0])
    may_manage = can(request.user, "visitplan.manage", community)
    form = PlanForm(request.POST or None, initial={"period": "month", "starts_on": clock.today()})
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if form.is_valid():
            starts_on, ends_on = form.period_days()
            try:
                plan = plan_create(actor=request.user, business_community=community, starts_on=starts_on,
                                   ends_on=ends_on)
            except ValidationError as error:
                apply_service_errors(form, error, field_of={"ends_on": "starts_on"})
            else:
                return redirect("business:plan", pk=plan.pk)
    return render(request, "business/planner_plans.html", {
        "communities": communities, "community": community, "plans": list(plans_of(request.user, community)[:60]),
        "form": form, "may_manage": may_manage}, status=400 if form.is_bound and form.errors else 200)


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan as a calendar: commissioners × working days, each day's firms grouped by building."""
    item = access_plan(request.user, pk)
    grid = plan_grid(item)
    report = item.solver_report or {}
    for row in grid.rows:
        for cell in row.cells:
            for _building, visits in cell.groups:
                for visit in visits:
                    visit.reason_texts = [reason_text(r) for r in visit.reasons]
    return render(request, "business/planner_plan.html", {
        "plan": item, "grid": grid, "report": report, "report_lines": report_lines(report),
        "may_manage": can(request.user, "visitplan.manage", item) and item.status != VisitPlanStatus.SUPERSEDED,
        "commissioners": [row.commissioner for row in grid.rows], "statuses": VisitPlanStatus})


@login_required
@require_POST
def plan_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_plan(request.user, pk, "visitplan.manage")
    try:
        plan_publish(actor=request.user, plan=item)
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, _("The plan is in force; commissioners see it on their day's page."))
    return redirect("business:plan", pk=item.pk)


@login_required
@require_POST
def plan_replan_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_plan(request.user, pk, "visitplan.manage")
    try:
        new = plan_replan(actor=request.user, plan=item)
    except ValidationError as error:
        messages.error(request, _messages_of(error))
        return redirect("business:plan", pk=item.pk)
    messages.success(request, _("Re-planned: locked and recorded visits were kept where they were."))
    return redirect("business:plan", pk=new.pk)


@login_required
@require_POST
def planned_visit_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    planned = access_planned_visit(request.user, pk)
    commissioners = list(Commissioner.objects.filter(business_community_id=planned.plan.business_community_id,
                                                     is_active=True))
    form = MoveForm(request.POST, commissioners=commissioners)
    if form.is_valid():
        commissioner = next(c for c in commissioners if c.pk == form.cleaned_data["commissioner"])
        try:
            planned_visit_move(actor=request.user, planned_visit=planned, day=form.cleaned_data["day"],
                               commissioner=commissioner)
        except ValidationError as error:
            messages.error(request, _messages_of(error))
        else:
            messages.success(request, _("The visit was moved and locked."))
    else:
        messages.error(request, _("Choose a day and a commissioner to move the visit to."))
    return redirect("business:plan", pk=planned.plan_id)


@login_required
@require_POST
def planned_visit_lock_view(request: HttpRequest, pk: int) -> HttpResponse:
    planned = access_planned_visit(request.user, pk)
    try:
        if request.POST.get("locked") == "0":
            planned_visit_unlock(actor=request.user, planned_visit=planned)
        else:
            planned_visit_lock(actor=request.user, planned_visit=planned)
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    return redirect("business:plan", pk=planned.plan_id)


urlpatterns = [
    path("plans/", plans, name="plans"),
    path("plans/<int:pk>/", plan, name="plan"),
    path("plans/<int:pk>/publish/", plan_publish_view, name="plan-publish"),
    path("plans/<int:pk>/replan/", plan_replan_view, name="plan-replan"),
    path("plans/visits/<int:pk>/move/", planned_visit_move_view, name="planned-visit-move"),
    path("plans/visits/<int:pk>/lock/", planned_visit_lock_view, name="planned-visit-lock"),
]
