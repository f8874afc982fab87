"""Setting up a campaign in the browser: a new project on an estate, its phases and thresholds, and its work groups
(a group, a field group's buildings, its members)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core.forms import apply_service_errors

from ..home import project_tabs
from ..models import AgreementsState, Project, WorkGroupKind
from ..selectors import access_project
from ..services.organisation import (
    work_group_buildings_set,
    work_group_create,
    work_group_member_add,
    work_group_member_remove,
)
from ..services.projects import project_create, project_update
from ..setup_forms import BuildingsForm, MemberForm, ProjectForm, WorkGroupForm
from ..setup_selectors import access_work_group, candidates, estate_buildings, manageable_estates


@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    """A new project on an estate the user may manage; its households come from the ownership register."""
    estates = list(manageable_estates(request.user)[:200])
    if not estates:
        raise Http404(_("No such page."))
    form = ProjectForm(request.POST or None, estates=estates)
    if request.method == "POST" and form.is_valid():
        estate = next(place for place in estates if place.code == form.cleaned_data["estate"])
        try:
            project = project_create(actor=request.user, estate=estate, **form.service_fields())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The project is set up with %(count)d households from the register.") % {
                "count": project.households.count()})
            return redirect("renewal:project", pk=project.pk)
    return render(request, "renewal/project_form.html", {"form": form, "project": None},
                  status=400 if form.errors else 200)


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's name, thresholds and phase dates."""
    project = access_project(request.user, pk, "renewal.manage")
    fixed = project.agreements_state != AgreementsState.PENDING
    form = ProjectForm(request.POST or None, initial=ProjectForm.initial_of(project), effect_fixed=fixed)
    if request.method == "POST" and form.is_valid():
        try:
            project_update(actor=request.user, project=project, **form.service_fields())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The project's phases and thresholds are saved."))
            return redirect("renewal:project", pk=project.pk)
    return render(request, "renewal/project_form.html", {
        "form": form, "project": project, "tabs": project_tabs(project.pk, reverse("renewal:project", args=[pk]),
                                                               request.user),
    }, status=400 if form.errors else 200)


def groups_page(request: HttpRequest, project: Project, *, status: int = 200, create: WorkGroupForm | None = None,
                bound: dict[tuple[int, str], Any] | None = None) -> HttpResponse:
    """The work groups page; `bound` holds a refused form per (group, "buildings" | "member")."""
    bound = bound or {}
    people = candidates(project)
    buildings = estate_buildings(project)
    groups = project.work_groups.select_related("leader").prefetch_related("members").order_by("kind", "name")
    rows = []
    for group in groups:
        owned = [str(b.pk) for b, owner in buildings if owner is not None and owner.pk == group.pk]
        rows.append({
            "group": group,
            "members": sorted(group.members.all(), key=lambda user: user.username),
            "buildings_form": bound.get((group.pk, "buildings")) or (
                BuildingsForm(buildings=buildings, initial={"buildings": owned}, prefix=f"g{group.pk}")
                if group.kind == WorkGroupKind.FIELD else None),
            "member_form": bound.get((group.pk, "member")) or MemberForm(
                people=people.exclude(pk__in=[user.pk for user in group.members.all()]), prefix=f"m{group.pk}"),
        })
    return render(request, "renewal/work_groups.html", {
        "project": project, "rows": rows, "buildings": buildings,
        "form": create or WorkGroupForm(people=people),
        "tabs": project_tabs(project.pk, reverse("renewal:project", args=[project.pk]), request.user),
    }, status=status)


@login_required
def work_groups(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's groups with their buildings and members, and a new group."""
    project = access_project(request.user, pk, "renewal.manage")
    if request.method != "POST":
        return groups_page(request, project)
    form = WorkGroupForm(request.POST, people=candidates(project))
    if form.is_valid():
        try:
            group = work_group_create(actor=request.user, project=project, name=form.cleaned_data["name"],
                                      kind=form.cleaned_data["kind"], leader=form.cleaned_data["leader"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Group %(name)s is set up.") % {"name": group.name})
            return redirect("renewal:work-groups", pk=project.pk)
    return groups_page(request, project, status=400, create=form)


@login_required
@require_POST
def group_buildings(request: HttpRequest, pk: int) -> HttpResponse:
    """The buildings a field group owns (and their households with them)."""
    group = access_work_group(request.user, pk, "renewal.manage")
    project = group.project
    buildings = estate_buildings(project)
    form = BuildingsForm(request.POST, buildings=buildings, prefix=f"g{group.pk}")
    if form.is_valid():
        chosen = set(form.cleaned_data["buildings"])
        try:
            work_group_buildings_set(actor=request.user, group=group,
                                     buildings=[b for b, _owner in buildings if str(b.pk) in chosen])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The buildings of %(name)s are saved.") % {"name": group.name})
            return redirect("renewal:work-groups", pk=project.pk)
    return groups_page(request, project, status=400, bound={(group.pk, "buildings"): form})


@login_required
@require_POST
def group_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = access_work_group(request.user, pk, "renewal.manage")
    project = group.project
    form = MemberForm(request.POST, people=candidates(project), prefix=f"m{group.pk}")
    if form.is_valid():
        try:
            work_group_member_add(actor=request.user, group=group, user=form.cleaned_data["user"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(user)s joins %(name)s.") % {"user": form.cleaned_data["user"],
                                                                       "name": group.name})
            return redirect("renewal:work-groups", pk=project.pk)
    return groups_page(request, project, status=400, bound={(group.pk, "member"): form})


@login_required
@require_POST
def group_member_remove(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    group = access_work_group(request.user, pk, "renewal.manage")
    user = get_object_or_404(group.members.all(), pk=user_id)
    work_group_member_remove(actor=request.user, group=group, user=user)
    messages.success(request, _("%(user)s leaves %(name)s.") % {"user": user, "name": group.name})
    return redirect("renewal:work-groups", pk=group.project_id)
