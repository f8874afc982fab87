"""The couriers' home of the test tree: a facility under 竹竿巷社区 (500 m²) with its council, a community worker and a
grid worker there, and a courier (张三, head of the household at 101室, a resident of 竹竿巷小区) with a child."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from commonground.cases.models import Category, Level, ReporterKind
from commonground.core.models import (
    HouseholdMember,
    Organisation,
    OrganisationKind,
    Person,
    Place,
    PlaceKind,
    Relation,
    RoleKind,
    User,
)
from commonground.core.services.people import household_member_save, person_create
from commonground.core.services.places import place_create
from commonground.programs.models import EmploymentDeclaration, EmploymentGroup
from commonground.programs.services.groups import council_create, declaration_create
from tests.conftest import Tree, make_id_number, start_clock_on

from .activity_fixtures import TODAY


@dataclass
class Couriers:
    tree: Tree
    home: Place
    council: Organisation
    worker: User  # community worker of 竹竿巷社区
    grid: User  # grid worker of 竹竿巷社区
    courier: User  # 张三, resident of 竹竿巷小区
    child: Person
    outsider: User  # community worker of the other street's community


def declare(user: User, place: Place, platform: str = "顺丰",
            group: str = EmploymentGroup.COURIER) -> EmploymentDeclaration:
    return declaration_create(actor=user, person=user.person, group=group, platform=platform, place=place)


@pytest.fixture
def couriers(tree, make_user) -> Couriers:
    start_clock_on(TODAY)
    worker = make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    grid = make_user(RoleKind.GRID_WORKER, tree.community)
    outsider = make_user(RoleKind.COMMUNITY_WORKER, tree.far_community)
    home = place_create(code=f"{tree.community.code}-F01", name="竹竿巷小哥之家", kind=PlaceKind.FACILITY,
                        parent=tree.community, floor_area_m2=Decimal("500.00"), address="竹竿巷1号")
    Category.objects.get_or_create(code="courier-council-item", defaults={
        "name": "小哥治家会议事", "sla_hours": 40, "default_level": Level.COMMUNITY,
        "handler_kind": OrganisationKind.COURIERS_COUNCIL, "open_to": [ReporterKind.RESIDENT, ReporterKind.STAFF]})
    council = council_create(actor=worker, home=home, name="竹竿巷小哥治家会",
                             established_on=TODAY - datetime.timedelta(days=100))
    courier = make_user(RoleKind.RESIDENT, tree.estate, person=tree.owner)
    child = person_create(name="张小宝", id_number=make_id_number(birth="20150601", seq=21))
    household = tree.owner.headed_households.get()
    household_member_save(member=HouseholdMember(household=household, person=child, relation=Relation.CHILD))
    return Couriers(tree, home, council, worker, grid, courier, child, outsider)
