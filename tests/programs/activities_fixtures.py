"""The activities part's people: a courier (a resident with a new-employment declaration) with a child of 9 in
their household, a neighbour with a child of their own, and a summer camp for children of 6 to 12."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from commonground.core.models import Person, PlaceKind, Relation, RoleKind, User
from commonground.core.services.people import household_create, person_create
from commonground.core.services.places import place_create
from commonground.programs.models import Activity, Audience, EmploymentDeclaration, EmploymentGroup
from commonground.programs.services.activities import activity_create, activity_publish, session_add
from tests.conftest import make_id_number

from .activity_fixtures import TODAY, Programme, at


@dataclass
class Family:
    courier: User
    courier_person: Person
    child: Person  # 9 on the camp's first day
    teenager: Person  # 19: an adult of the household
    neighbour: User  # another household of the estate, with a child of their own
    neighbour_child: Person


def summer_camp(programme: Programme, *, capacity: int = 30, audience: str = Audience.CHILDREN,
                publish: bool = True, days: int = 3) -> Activity:
    """A day camp for ages 6 to 12, three days from 20 days ahead."""
    camp = activity_create(actor=programme.worker, place=programme.tree.community, organiser=programme.organiser,
                           title="暑期托管夏令营", kind="camp", capacity=capacity, audience=audience,
                           min_age=6, max_age=12, signup_opens_at=at(TODAY - datetime.timedelta(days=1)),
                           signup_closes_at=at(TODAY + datetime.timedelta(days=15)),
                           description="快递小哥子女暑期托管")
    for n in range(days):
        day = TODAY + datetime.timedelta(days=20 + n)
        session_add(actor=programme.worker, activity=camp, starts_at=at(day, 8), ends_at=at(day, 17),
                    venue="社区党群服务中心")
    return activity_publish(actor=programme.worker, activity=camp) if publish else camp


@pytest.fixture
def family(programme: Programme, make_user) -> Family:
    tree = programme.tree
    flat = place_create(code=f"{tree.corridor.code}-102", name="102室", kind=PlaceKind.FLAT, parent=tree.corridor)
    other_flat = place_create(code=f"{tree.corridor.code}-201", name="201室", kind=PlaceKind.FLAT,
                              parent=tree.corridor)
    courier = person_create(name="王快递", id_number=make_id_number(birth="19880303", seq=21), phone="13900000021")
    child = person_create(name="王小宝", id_number=make_id_number(birth="20150101", seq=22))
    teenager = person_create(name="王大宝", id_number=make_id_number(birth="20050101", seq=23))
    household_create(flat=flat, head=courier, members=[(child, Relation.CHILD), (teenager, Relation.CHILD)])
    neighbour = person_create(name="赵邻居", id_number=make_id_number(birth="19850505", seq=24), phone="13900000024")
    neighbour_child = person_create(name="赵小妹", id_number=make_id_number(birth="20160606", seq=25))
    household_create(flat=other_flat, head=neighbour, members=[(neighbour_child, Relation.CHILD)])
    # The groups part's declaration service is not on this branch yet: the declaration is written directly.
    EmploymentDeclaration.objects.create(person=courier, group=EmploymentGroup.COURIER, platform="顺丰",
                                         place=tree.estate, place_path=tree.estate.path,
                                         declared_at=at(TODAY - datetime.timedelta(days=30)))
    return Family(make_user(RoleKind.RESIDENT, tree.estate, person=courier), courier, child, teenager,
                  make_user(RoleKind.RESIDENT, tree.estate, person=neighbour), neighbour_child)
