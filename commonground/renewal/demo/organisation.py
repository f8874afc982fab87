"""浙工新村's project and the campaign's organisation."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ..models import WorkGroupKind
from ..services.organisation import work_group_create, work_group_member_add
from ..services.projects import project_create
from .world import FIELD_GROUPS, MEMBERS_PER_GROUP, MOBILISED_ON, SIGNING_FROM, SIGNING_UNTIL, World, local

OTHER_GROUPS = [("领导小组", WorkGroupKind.LEADING), ("指挥部办公室", WorkGroupKind.OFFICE),
                ("群众工作组", WorkGroupKind.MASS_WORK), ("政策组", WorkGroupKind.POLICY)]


def build_project(world: World) -> None:
    office = world.users["renewal"]
    opened = local(datetime.date(2023, 2, 20), 9)
    world.project = world.call(
        opened, project_create, actor=office, estate=world.estate, name="浙工新村危旧房有机更新",
        consent_threshold=Decimal("0.90"), effect_threshold=Decimal("0.90"),
        register_on=datetime.date(2023, 2, 20), mobilised_on=MOBILISED_ON,
        survey_from=datetime.date(2023, 2, 25), survey_until=datetime.date(2023, 3, 5),
        plan_published_on=datetime.date(2023, 3, 20), comment_until=datetime.date(2023, 4, 19),
        assessment_from=MOBILISED_ON, signing_from=SIGNING_FROM, signing_until=SIGNING_UNTIL,
        selection_from=datetime.date(2023, 8, 15))
    for name, kind in OTHER_GROUPS:
        world.groups[name] = world.call(opened, work_group_create, actor=office, project=world.project, name=name,
                                        kind=kind)
    for name, buildings in FIELD_GROUPS.items():
        leader = office if name == "二组" else world.worker(name, 1)
        group = world.call(opened, work_group_create, actor=office, project=world.project, name=name,
                           kind=WorkGroupKind.FIELD, leader=leader,
                           buildings=[world.buildings[b] for b in buildings])
        members = [leader] + [world.worker(name, n) for n in range(2, MEMBERS_PER_GROUP + 1)]
        for member in members[1:]:
            world.call(opened, work_group_member_add, actor=office, group=group, user=member)
        world.groups[name], world.staff[name] = group, members
