"""The project pages: the list of projects, a project's overview and its households."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonground.core import clock
from commonground.core.pagination import CappedPaginator
from commonground.core.permissions import can

from ..home import project_tabs
from ..models import WorkGroupKind
from ..rules import stale_visit_days
from ..selectors import (
    HouseholdFilters,
    access_household,
    access_project,
    household_list,
    households_for,
    project_standing,
    projects_for,
)
from ..setup_selectors import manageable_estates

PAGE_SIZE = 50


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    """The projects the user sees, each with where it stands."""
    rows = [(project, project_standing(project)) for project in projects_for(request.user)[:50]]
    return render(request, "renewal/projects.html", {
        "rows": rows, "may_create": manageable_estates(request.user).exists()})


@login_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's overview: phases, thresholds, the agreements' state and the organisation."""
    item = access_project(request.user, pk)
    groups = item.work_groups.select_related("leader").prefetch_related("members", "buildings").order_by(
        "kind", "name")
    return render(request, "renewal/project.html", {
        "project": item, "standing": project_standing(item), "tabs": project_tabs(item.pk, request.path, request.user),
        "field_groups": [g for g in groups if g.kind == WorkGroupKind.FIELD],
        "other_groups": [g for g in groups if g.kind != WorkGroupKind.FIELD],
        "may_manage": can(request.user, "renewal.manage", item),
    })


def filters_from(request: HttpRequest) -> HouseholdFilters:
    def number(name: str) -> int | None:
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() else None

    stale_before = clock.now() - datetime.timedelta(days=stale_visit_days())
    return HouseholdFilters(building=number("building"), group=number("group"),
                            state=request.GET.get("state", ""), q=request.GET.get("q", "").strip()[:50],
                            stale_before=stale_before)


@login_required
def households(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's households the user reaches, filtered by building, group, state or a search."""
    item = access_project(request.user, pk)
    filters = filters_from(request)
    page = CappedPaginator(household_list(request.user, item, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    buildings = (households_for(request.user, item).order_by("building__path")
                 .values_list("building_id", "building__name").distinct())
    return render(request, "renewal/households.html", {
        "project": item, "page": page, "filters": filters, "tabs": project_tabs(item.pk, request.path, request.user),
        "groups": item.work_groups.filter(kind=WorkGroupKind.FIELD).order_by("name"),
        "buildings": buildings,
        "stale_days": stale_visit_days(),
    })


@login_required
def household(request: HttpRequest, pk: int) -> HttpResponse:
    """One household: its flat, owners, area, group and where it stands."""
    item = access_household(request.user, pk)
    return render(request, "renewal/household.html", {
        "household": item, "project": item.project, "owners": item.owners.all(),
        "tabs": project_tabs(item.project_id, request.path, request.user),
    })
