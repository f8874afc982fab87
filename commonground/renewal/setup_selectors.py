"""Reads of the campaign's setup: the estates a user may open a project on, the people a work group may take, the
groups and the estate's buildings with the group owning each."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from commonground.core.models import Place, PlaceKind, RoleAssignment, RoleKind, User
from commonground.core.models.places import ancestor_ids
from commonground.core.permissions import access_object, visible_to

from .models import Project, WorkGroup, WorkGroupBuilding
from .selectors import access_project, projects_for

CANDIDATES_CAP = 500


def manageable_estates(actor: User) -> QuerySet[Place]:
    """The estates `actor` may open a renewal project on ("renewal.manage" there)."""
    return visible_to(actor, "renewal.manage", Place.objects.filter(kind=PlaceKind.ESTATE)).order_by("path")


def community_of(project: Project) -> Place:
    """The community the project's estate lies in (the estate itself when none is above it)."""
    above = Place.objects.filter(pk__in=ancestor_ids(project.estate_path), kind=PlaceKind.COMMUNITY).first()
    return above or project.estate


def candidates(project: Project) -> QuerySet[User]:
    """Who a work group of the project may take: active users who hold a role (other than resident) at or under
    the estate's community, by username."""
    path = community_of(project).path
    holders = (RoleAssignment.objects.active().filter(scope__path__startswith=path)
               .exclude(role=RoleKind.RESIDENT).values("user_id"))
    return User.objects.filter(pk__in=holders, is_active=True).order_by("username")


def access_work_group(actor: User, pk: int, action: str = "renewal.view") -> WorkGroup:
    """A group of a project the actor sees: Http404 otherwise; PermissionDenied when `action` is not theirs."""
    groups = WorkGroup.objects.filter(project__in=projects_for(actor)).select_related("project__estate", "leader")
    group = access_object(actor, groups, "renewal.view", view_action="renewal.view",
                          missing=_("No such work group."), pk=pk)
    if action != "renewal.view":
        access_project(actor, group.project_id, action)
    return group


def estate_buildings(project: Project) -> list[tuple[Place, WorkGroup | None]]:
    """The estate's buildings in order, each with the field group that owns it (or None)."""
    owners = {row.building_id: row.group for row in
              WorkGroupBuilding.objects.filter(project=project).select_related("group")}
    buildings = Place.objects.filter(path__startswith=project.estate_path, kind=PlaceKind.BUILDING).order_by("path")
    return [(building, owners.get(building.pk)) for building in buildings]
