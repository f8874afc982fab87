"""Setting up a campaign through the API: a project on an estate, its phases and thresholds, its work groups, a
field group's buildings and the members (who may "renewal.manage" the project; the groups are listed to whoever
sees it)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from commonground.core.api_types import ErrorOut, Id
from commonground.core.models import Place, PlaceKind

from ..models import Project
from ..schemas import ProjectOut
from ..schemas_setup import BuildingsIn, ProjectIn, ProjectPatch, WorkGroupIn, WorkGroupOut
from ..selectors import access_project
from ..services.organisation import (
    work_group_buildings_set,
    work_group_create,
    work_group_member_add,
    work_group_member_remove,
)
from ..services.projects import project_create, project_update
from ..setup_selectors import access_work_group, candidates, manageable_estates
from . import projects

router = Router()
# POST /projects and PATCH /projects/{id} share their paths with the project reads: ninja serves one path from one
# router (another router's same path answers 405), so these two join the projects router.
projects_router = projects.router
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def buildings_of(project, codes: list[str]) -> list[Place]:
    found = {place.code: place for place in Place.objects.filter(
        code__in=codes, kind=PlaceKind.BUILDING, path__startswith=project.estate_path)}
    missing = sorted(set(codes) - set(found))
    if missing:
        raise ValidationError({"buildings": _("Not a building of this estate: %(names)s") % {
            "names": "、".join(missing)}})
    return list(found.values())


def candidate(project, user_id: int, field: str):
    user = candidates(project).filter(pk=user_id).first()
    if user is None:
        raise ValidationError({field: _("Choose someone who holds a role in the estate's community.")})
    return user


@projects_router.post("/projects", response={201: ProjectOut, **ERRORS})
def project_new(request: HttpRequest, payload: ProjectIn):
    """Open a project on an estate the caller may manage; its households come from the ownership register."""
    estate = manageable_estates(request.user).filter(code=payload.estate).first()
    if estate is None:
        raise Http404(_("No such estate."))
    project = project_create(actor=request.user, estate=estate, **payload.dict(exclude={"estate"}))
    return Status(201, Project.objects.select_related("estate").get(pk=project.pk))  # as stored (0.8500)


@projects_router.patch("/projects/{int:project_id}", response={200: ProjectOut, **ERRORS})
def project_change(request: HttpRequest, project_id: Id, payload: ProjectPatch):
    """Change the name, thresholds or phase dates; the signing threshold for effect is fixed once the agreements
    have taken effect or lapsed."""
    project = access_project(request.user, project_id, "renewal.manage")
    fields = payload.dict(exclude_unset=True)
    for name in ("name", "effect_threshold", "consent_threshold"):
        if name in fields and fields[name] is None:
            raise ValidationError({name: _("This field cannot be empty.")})
    project = project_update(actor=request.user, project=project, **fields)
    return Project.objects.select_related("estate").get(pk=project.pk)


def groups_of(project):
    return project.work_groups.select_related("leader").prefetch_related("members", "buildings").order_by(
        "kind", "name")


@router.get("/projects/{int:project_id}/work-groups", response={200: list[WorkGroupOut], **ERRORS})
def work_group_list(request: HttpRequest, project_id: Id):
    """The project's groups with their leader, members and buildings."""
    return list(groups_of(access_project(request.user, project_id)))


@router.post("/projects/{int:project_id}/work-groups", response={201: WorkGroupOut, **ERRORS})
def work_group_new(request: HttpRequest, project_id: Id, payload: WorkGroupIn):
    project = access_project(request.user, project_id, "renewal.manage")
    leader = candidate(project, payload.leader, "leader") if payload.leader else None
    group = work_group_create(actor=request.user, project=project, name=payload.name, kind=payload.kind,
                              leader=leader, buildings=buildings_of(project, payload.buildings))
    return Status(201, groups_of(project).get(pk=group.pk))


@router.put("/work-groups/{int:group_id}/buildings", response={200: WorkGroupOut, **ERRORS})
def work_group_buildings(request: HttpRequest, group_id: Id, payload: BuildingsIn):
    """The buildings a field group owns (the list replaces the former one)."""
    group = access_work_group(request.user, group_id, "renewal.manage")
    work_group_buildings_set(actor=request.user, group=group, buildings=buildings_of(group.project,
                                                                                     payload.buildings))
    return groups_of(group.project).get(pk=group.pk)


@router.post("/work-groups/{int:group_id}/members/{int:user_id}", response={200: WorkGroupOut, **ERRORS})
def work_group_member_new(request: HttpRequest, group_id: Id, user_id: Id):
    group = access_work_group(request.user, group_id, "renewal.manage")
    work_group_member_add(actor=request.user, group=group, user=candidate(group.project, user_id, "user"))
    return groups_of(group.project).get(pk=group.pk)


@router.delete("/work-groups/{int:group_id}/members/{int:user_id}", response={200: WorkGroupOut, **ERRORS})
def work_group_member_gone(request: HttpRequest, group_id: Id, user_id: Id):
    group = access_work_group(request.user, group_id, "renewal.manage")
    user = group.members.filter(pk=user_id).first()
    if user is None:
        raise Http404(_("No such member of this group."))
    work_group_member_remove(actor=request.user, group=group, user=user)
    return groups_of(group.project).get(pk=group.pk)
