"""The campaign's organisation: work groups, their members and the buildings a field group owns. A member's
reach is a role: at the group's buildings for a field group, at the estate for the others (the office, the
leading, mass-work and policy groups), so the resolver decides what each member sees."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import Place, PlaceKind, RoleAssignment, RoleKind, User
from commonground.core.permissions import forget_roles
from commonground.core.services import permit
from commonground.core.services.accounts import role_assign

from ..models import Household, Project, WorkGroup, WorkGroupBuilding, WorkGroupKind


@transaction.atomic
def work_group_create(*, actor: User | None, project: Project, name: str, kind: str = WorkGroupKind.FIELD,
                      leader: User | None = None, buildings: list[Place] = ()) -> WorkGroup:
    """A group of the campaign; a field group takes `buildings` (each building belongs to one group).
    `actor` may "renewal.manage" the project."""
    permit(actor, "renewal.manage", project)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the group a name.")})
    if WorkGroup.objects.filter(project=project, name=name).exists():
        raise ValidationError({"name": _("This project already has a group of that name.")})
    group = WorkGroup.objects.create(project=project, name=name, kind=kind, leader=leader)
    if buildings:
        work_group_buildings_set(actor=actor, group=group, buildings=buildings)
    if leader is not None:
        work_group_member_add(actor=actor, group=group, user=leader)
    return group


@transaction.atomic
def work_group_buildings_set(*, actor: User | None, group: WorkGroup, buildings: list[Place]) -> WorkGroup:
    """The buildings `group` owns (a field group only), and its households with them."""
    project = group.project
    permit(actor, "renewal.manage", project)
    if group.kind != WorkGroupKind.FIELD:
        raise ValidationError({"buildings": _("Only a field work group owns buildings.")})
    ids = {building.pk for building in buildings}
    foreign = [b.name for b in buildings if b.kind != PlaceKind.BUILDING or not b.path.startswith(project.estate_path)]
    if foreign:
        raise ValidationError({"buildings": _("Not a building of this estate: %(names)s") % {
            "names": "、".join(foreign)}})
    taken = (WorkGroupBuilding.objects.filter(project=project, building_id__in=ids).exclude(group=group)
             .select_related("building", "group"))
    if taken:
        raise ValidationError({"buildings": _("Already owned by another group: %(names)s") % {
            "names": "、".join(f"{row.building.name}（{row.group.name}）" for row in taken)}})
    dropped = list(Place.objects.filter(pk__in=WorkGroupBuilding.objects.filter(group=group)
                                        .exclude(building_id__in=ids).values("building_id")))
    WorkGroupBuilding.objects.filter(group=group).exclude(building_id__in=ids).delete()
    kept = set(WorkGroupBuilding.objects.filter(group=group).values_list("building_id", flat=True))
    WorkGroupBuilding.objects.bulk_create([WorkGroupBuilding(project=project, group=group, building_id=pk)
                                           for pk in sorted(ids - kept)])
    Household.objects.filter(project=project, group=group).exclude(building_id__in=ids).update(group=None)
    Household.objects.filter(project=project, building_id__in=ids).update(group=group)
    for member in group.members.all():
        withdraw_reach(member, dropped)  # a building given to another group: this group's members lose it
        grant_reach(group, member)
    return group


@transaction.atomic
def work_group_member_add(*, actor: User | None, group: WorkGroup, user: User) -> WorkGroup:
    """Make `user` a member of `group`, with a renewal role where the group works."""
    permit(actor, "renewal.manage", group.project)
    group.members.add(user)
    grant_reach(group, user)
    return group


@transaction.atomic
def work_group_member_remove(*, actor: User | None, group: WorkGroup, user: User) -> WorkGroup:
    """Take `user` out of `group`; their renewal roles at a field group's buildings that no other group of theirs
    reaches end (yesterday, or are taken back if given today)."""
    permit(actor, "renewal.manage", group.project)
    group.members.remove(user)
    if group.kind == WorkGroupKind.FIELD:  # a role at the estate is the office's own, granted in the admin
        withdraw_reach(user, reach(group))
    return group


def reach(group: WorkGroup) -> list[Place]:
    """Where a member of `group` works: the buildings of a field group, the estate for the others."""
    if group.kind == WorkGroupKind.FIELD:
        return list(group.buildings.all())
    return [group.project.estate]


def withdraw_reach(user: User, places: list[Place]) -> None:
    """End `user`'s renewal roles at `places` that none of their other groups still reaches (a role given today
    is taken back as if never given)."""
    still = {place.pk for other in user.renewal_work_groups.all() for place in reach(other)}
    yesterday = clock.today() - datetime.timedelta(days=1)
    for place in places:
        if place.pk in still:
            continue
        roles = RoleAssignment.objects.active().filter(user=user, role=RoleKind.RENEWAL_WORKER, scope=place)
        roles.filter(valid_from__lte=yesterday).update(valid_to=yesterday)
        for role in roles.filter(valid_from__gt=yesterday):
            role.delete()
    forget_roles(user)


def grant_reach(group: WorkGroup, user: User) -> None:
    """A renewal role for `user` at every place of the group's reach that no renewal role of theirs covers yet
    (the office's leader of a field group keeps their one role at the estate)."""
    today = clock.today()
    held = list(RoleAssignment.objects.active().filter(user=user, role=RoleKind.RENEWAL_WORKER)
                .values_list("scope__path", flat=True))
    for place in reach(group):
        if not any(place.path.startswith(path) for path in held):
            role_assign(user=user, role=RoleKind.RENEWAL_WORKER, scope=place, valid_from=today)
