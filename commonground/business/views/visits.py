"""Pages of the visits part: the commissioner's day on a phone (today's plan by building, record a visit with its
demands), the firms of their buildings for an unplanned visit, the visit list with its filters and exports, a
visit's page, another department's visit, and the commissioners of the business communities."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core import clock
from commonground.core.forms import apply_service_errors
from commonground.core.models import Place, PlaceKind, RoleAssignment, RoleKind, User
from commonground.core.pagination import CappedPaginator
from commonground.core.permissions import can, visible_to
from commonground.core.tables import table_response

from ..ledgers_selectors import access_enterprise, enterprises_visible
from ..models import Commissioner, CommissionerAssignment, PlannedVisit, VisitStatus
from ..services.commissioners import (
    commissioner_appoint,
    commissioner_assign,
    commissioner_capacity_set,
    commissioner_deactivate,
    commissioner_unassign,
)
from ..services.visits import serving_commissioner, visit_cancel, visit_record, visit_record_other
from ..visits_forms import (
    AppointForm,
    AssignForm,
    CapacityForm,
    DemandFormSet,
    OtherVisitForm,
    VisitFilterForm,
    VisitForm,
)
from ..visits_selectors import (
    VisitFilters,
    access_commissioner,
    access_visit,
    business_communities_managed,
    commissioners_visible,
    my_day,
    my_enterprises,
    visit_demands,
    visit_search,
)

PAGE_SIZE = 50
BUILDING_KINDS = (PlaceKind.OFFICE_BUILDING, PlaceKind.BUILDING)


def _commissioner_or_404(user: User) -> Commissioner:
    commissioner = serving_commissioner(user) if can(user, "commissioner.work") else None
    if commissioner is None:
        raise Http404(_("This page is a building commissioner's."))
    return commissioner


def _day(value: str | None) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value) if value else clock.today()
    except ValueError:
        day = clock.today()
    return day if datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31) else clock.today()


@login_required
def my_day_page(request: HttpRequest) -> HttpResponse:
    """The commissioner's phone page: the day's planned visits by building, each with a button to record it."""
    _commissioner_or_404(request.user)
    day = _day(request.GET.get("day"))
    plan = my_day(request.user, day)
    return render(request, "business/visits_my_day.html", {
        "plan": plan, "day": day, "is_today": day == clock.today(),
        "yesterday": day - datetime.timedelta(days=1), "tomorrow": day + datetime.timedelta(days=1)})


@login_required
def my_firms(request: HttpRequest) -> HttpResponse:
    """The firms of the commissioner's buildings, to record an unplanned visit."""
    _commissioner_or_404(request.user)
    query = (request.GET.get("q") or "").strip()[:100]
    page = CappedPaginator(my_enterprises(request.user, query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "business/visits_my_firms.html", {"page": page, "q": query})


@login_required
def record(request: HttpRequest, credit_code: str) -> HttpResponse:
    """The record form of a visit: topics, feedback, and zero or more demands (each becomes a case)."""
    _commissioner_or_404(request.user)
    enterprise = access_enterprise(request.user, credit_code, "visit.record")
    planned = None
    planned_pk = request.GET.get("planned") or request.POST.get("planned")
    if planned_pk and str(planned_pk).isdigit() and len(str(planned_pk)) < 12:
        planned = visible_to(request.user, "visitplan.view", PlannedVisit.objects.all()).filter(
            pk=int(planned_pk), enterprise=enterprise).first()
    form = VisitForm(request.POST or None, initial={"visited_on": planned.day if planned and
                                                    planned.day <= clock.today() else clock.today()})
    demands = DemandFormSet(request.POST or None, prefix="demand")
    if request.method == "POST" and form.is_valid() and demands.is_valid():
        rows = demands.demands()
        try:
            visit = visit_record(actor=request.user, enterprise=enterprise, topics=form.cleaned_data["topics"],
                                 visited_on=form.cleaned_data["visited_on"],
                                 feedback=form.cleaned_data["feedback"],
                                 demands=[{k: v for k, v in row.items() if k != "form"} for row in rows],
                                 planned_visit=planned)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                if field.startswith("demands."):
                    index, _dot, name = field[len("demands."):].partition(".")
                    target = rows[int(index)]["form"] if index.isdigit() and int(index) < len(rows) else None
                    if target is not None:
                        name = {"category_code": "category_code", "description": "description"}.get(
                            name, "amount" if name.startswith("answers") else None)
                        for problem in problems:
                            target.add_error(name, problem)
                        continue
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("The visit is recorded."))
            return redirect("business:visit", visit.pk)
    return render(request, "business/visits_record.html", {
        "enterprise": enterprise, "planned": planned, "form": form, "demands": demands})


def _filters(request: HttpRequest) -> tuple[VisitFilterForm, VisitFilters]:
    user = request.user
    communities = list(visible_to(user, "visit.view", Place.objects.filter(kind=PlaceKind.BUSINESS_COMMUNITY))
                       .order_by("path"))
    commissioner = serving_commissioner(user)
    if commissioner is not None and commissioner.business_community not in communities:
        communities.append(commissioner.business_community)
    picked = request.GET.get("community")
    picked_community = next((c for c in communities if str(c.pk) == picked), None)
    buildings = (Place.objects.filter(parent=picked_community, kind__in=BUILDING_KINDS).order_by("name")
                 if picked_community else Place.objects.none())
    commissioners = commissioners_visible(user).filter(
        business_community__in=[picked_community] if picked_community else communities)[:200] \
        if can(user, "commissioner.view") or commissioner else []
    form = VisitFilterForm(request.GET or None, communities=communities, buildings=buildings,
                           commissioners=commissioners)
    data = form.cleaned_data if form.is_valid() else {}
    return form, VisitFilters(community=data.get("community"), building=data.get("building"),
                              commissioner=data.get("commissioner"), department=data.get("department") or "",
                              status=data.get("status") or "", date_from=data.get("date_from"),
                              date_to=data.get("date_to"))


@login_required
def visits(request: HttpRequest) -> HttpResponse:
    """The visits the user sees, filtered, a page at a time; exports of the same rows."""
    form, filters = _filters(request)
    page = CappedPaginator(visit_search(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "business/visits_list.html", {
        "form": form, "page": page, "may_record_other": can(request.user, "visit.manage"),
        "is_commissioner": serving_commissioner(request.user) is not None})


@login_required
def visits_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, filters = _filters(request)
    rows = visit_search(request.user, filters)
    headers = [_("Day of the visit"), _("Enterprise name"), _("Unified social credit code of the enterprise"),
               _("Visiting department"), _("Who visits"), _("Visit status"), _("Topics discussed"),
               _("The enterprise's feedback"), _("Demands raised")]
    table = ([v.visited_on, v.enterprise.name, v.enterprise.credit_code, v.get_department_display(),
              v.visitor_name, v.get_status_display(), v.topics, v.feedback, v.demand_count]
             for v in rows.iterator(chunk_size=2000))
    return table_response(fmt, headers, table, filename="visits", title=_("Enterprise visits"))


@login_required
def visit_page(request: HttpRequest, pk: int) -> HttpResponse:
    visit = access_visit(request.user, pk)
    return render(request, "business/visits_detail.html", {
        "visit": visit, "demands": visit_demands(visit),
        "may_cancel": visit.status == VisitStatus.PLANNED and can(request.user, "visit.manage", visit)})


@login_required
@require_POST
def visit_cancel_page(request: HttpRequest, pk: int) -> HttpResponse:
    visit = access_visit(request.user, pk, "visit.manage")
    try:
        visit_cancel(actor=request.user, visit=visit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The planned visit is cancelled."))
    return redirect("business:visit", visit.pk)


@login_required
def visit_other(request: HttpRequest) -> HttpResponse:
    """Staff record another department's visit (done, or planned for a later day)."""
    if not can(request.user, "visit.manage"):
        raise Http404(_("No such page."))
    form = OtherVisitForm(request.POST or None, initial={"credit_code": request.GET.get("enterprise", "")[:18]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = enterprises_visible(request.user, "visit.manage").filter(
            credit_code=data["credit_code"].strip().upper()).first()
        if enterprise is None:
            form.add_error("credit_code", _("No enterprise with this code in your area."))
        else:
            try:
                visit = visit_record_other(actor=request.user, enterprise=enterprise,
                                           department=data["department"], visited_on=data["visited_on"],
                                           visitor_name=data["visitor_name"], topics=data["topics"],
                                           feedback=data["feedback"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The visit is recorded."))
                return redirect("business:visit", visit.pk)
    return render(request, "business/visits_other.html", {"form": form})


def _appoint_form(request: HttpRequest) -> AppointForm | None:
    communities = business_communities_managed(request.user)
    if not communities.exists():
        return None
    holders = RoleAssignment.objects.active().filter(
        role=RoleKind.BUILDING_COMMISSIONER, scope__kind=PlaceKind.BUSINESS_COMMUNITY,
        scope__in=communities).values("user")
    users = User.objects.filter(pk__in=holders, business_commissioner__isnull=True).order_by("username")
    return AppointForm(request.POST or None, users=users, communities=communities)


@login_required
def commissioners(request: HttpRequest) -> HttpResponse:
    """The commissioners of the business communities the user sees, with their buildings; staff appoint here."""
    if not can(request.user, "commissioner.view"):
        raise Http404(_("No such page."))
    form = _appoint_form(request)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                commissioner = commissioner_appoint(
                    actor=request.user, user=data["user"], business_community=data["business_community"],
                    display_name=data["display_name"], daily_capacity=data["daily_capacity"],
                    phone=data["phone"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The commissioner is appointed."))
                return redirect("business:commissioner", commissioner.pk)
    page = CappedPaginator(commissioners_visible(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "business/visits_commissioners.html", {"page": page, "form": form})


@login_required
def commissioner_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A commissioner: their buildings (assign, end an assignment), capacity, and stop serving."""
    commissioner = access_commissioner(request.user, pk)
    may_manage = can(request.user, "commissioner.manage", commissioner)
    taken = CommissionerAssignment.objects.filter(commissioner=commissioner).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=clock.today())).values("building")
    buildings = Place.objects.filter(parent=commissioner.business_community_id, kind__in=BUILDING_KINDS).exclude(
        pk__in=taken).order_by("name")
    assign_form = AssignForm(None, buildings=buildings)
    capacity_form = CapacityForm(initial={"daily_capacity": commissioner.daily_capacity})
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "assign":
                assign_form = AssignForm(request.POST, buildings=buildings)
                if assign_form.is_valid():
                    commissioner_assign(actor=request.user, commissioner=commissioner,
                                        building=assign_form.cleaned_data["building"],
                                        valid_from=assign_form.cleaned_data["valid_from"])
                    messages.success(request, _("The building is assigned."))
                    return redirect("business:commissioner", commissioner.pk)
            elif action == "unassign":
                assignment = CommissionerAssignment.objects.filter(
                    commissioner=commissioner, pk=request.POST.get("assignment") or 0).first()
                if assignment is None:
                    raise Http404
                commissioner_unassign(actor=request.user, assignment=assignment)
                messages.success(request, _("The assignment ends today."))
                return redirect("business:commissioner", commissioner.pk)
            elif action == "capacity":
                capacity_form = CapacityForm(request.POST)
                if capacity_form.is_valid():
                    commissioner_capacity_set(actor=request.user, commissioner=commissioner,
                                              daily_capacity=capacity_form.cleaned_data["daily_capacity"])
                    messages.success(request, _("The daily capacity is saved."))
                    return redirect("business:commissioner", commissioner.pk)
            elif action == "deactivate":
                commissioner_deactivate(actor=request.user, commissioner=commissioner)
                messages.success(request, _("The commissioner no longer serves."))
                return redirect("business:commissioner", commissioner.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    assignments = commissioner.assignments.select_related("building").order_by("-valid_from", "building__name")
    return render(request, "business/visits_commissioner.html", {
        "commissioner": commissioner, "assignments": assignments, "may_manage": may_manage,
        "assign_form": assign_form, "capacity_form": capacity_form, "today": clock.today()})


urlpatterns: list[URLPattern] = [
    path("my-day/", my_day_page, name="my_day"),
    path("my-day/firms/", my_firms, name="my_firms"),
    path("visits/", visits, name="visits"),
    path("visits/export.<str:fmt>", visits_export, name="visits_export"),
    path("visits/other/", visit_other, name="visit_other"),
    path("visits/record/<str:credit_code>/", record, name="visit_record"),
    path("visits/<int:pk>/", visit_page, name="visit"),
    path("visits/<int:pk>/cancel/", visit_cancel_page, name="visit_cancel"),
    path("commissioners/", commissioners, name="commissioners"),
    path("commissioners/<int:pk>/", commissioner_page, name="commissioner"),
]
