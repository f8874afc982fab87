"""A small evaluation for the evaluation tests: the tree's street with two estates, 竹竿巷小区 (4 households,
rated company 甲物业) and 龙游小区 (2 households, 乙物业), a two-question questionnaire (cleaning weight 2,
repairs weight 1) and a 2023 Q2 round over the street, open; users in each position."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from commonground.cases.services.categories import category_seed
from commonground.coordination.models import EvaluationRound, Questionnaire
from commonground.coordination.services.evaluation import (
    QuestionSpec,
    questionnaire_create,
    round_create,
    round_open,
)
from commonground.core.clock import frozen_at
from commonground.core.models import (
    Household,
    Organisation,
    OrganisationKind,
    Person,
    Place,
    PlaceKind,
    RoleKind,
    User,
)
from commonground.core.services.organisations import organisation_create
from commonground.core.services.people import household_create, ownership_create, person_create
from commonground.core.services.places import place_create
from tests.conftest import make_id_number

OPEN_DAY = timezone.make_aware(datetime.datetime(2023, 6, 15, 10, 0))


@dataclass
class Evaluation:
    questionnaire: Questionnaire
    round: EvaluationRound
    estate: Place
    neighbour_estate: Place
    households: list[Household]   # 0-3 in 竹竿巷小区 (0 is the tree's flat), 4-5 in 龙游小区
    people: list[Person]          # heads, people[i] heads households[i]
    companies: list[Organisation]  # 甲物业, 乙物业 (the companies; their project departments at the estates)
    departments: list[Organisation]
    clerk: User                   # street staff: evaluation.manage over the street
    residents: list[User]         # residents[i] is people[i]'s login, a resident of their estate
    committee: User               # owners' committee member at 竹竿巷小区
    manager: User                 # property manager at 竹竿巷小区
    community: User               # community worker at the neighbour community (龙游)
    outsider: User                # community worker in the other street


def answers(cleaning: int, repairs: int) -> dict[str, int]:
    return {"cleaning": cleaning, "repairs": repairs}


@pytest.fixture
def evaluation(tree, make_user) -> Evaluation:
    category_seed()
    estate, neighbour_estate = tree.estate, tree.neighbour_estate
    corridor = tree.corridor
    flats = [tree.flat]
    for number in ("102", "201", "202"):
        flats.append(place_create(code=f"{corridor.code}-{number}", name=f"{number}室", kind=PlaceKind.FLAT,
                                  parent=corridor))
    neighbour_corridor = tree.neighbour_flat.parent
    flats.append(tree.neighbour_flat)
    flats.append(place_create(code=f"{neighbour_corridor.code}-102", name="102室", kind=PlaceKind.FLAT,
                              parent=neighbour_corridor))
    households = list(Household.objects.filter(flat__in=[tree.flat, tree.neighbour_flat]).order_by("flat__path"))
    people = [tree.owner, None, None, None, tree.neighbour_owner, None]
    ordered = [households[0], None, None, None, households[1], None]
    for i in (1, 2, 3, 5):
        person = person_create(name=f"住户{i}", id_number=make_id_number(seq=500 + i), phone=f"1390000{i:04d}")
        ordered[i] = household_create(flat=flats[i], head=person)
        ownership_create(flat=flats[i], person=person, exclusive_area_m2=Decimal("60.00"))
        people[i] = person
    companies = [organisation_create(name=name, kind=OrganisationKind.PROPERTY_COMPANY, place=tree.district,
                                     established_on=datetime.date(2000, 1, 1)) for name in ("甲物业", "乙物业")]
    departments = [organisation_create(name=f"{company.name}{place.name}项目部", kind=OrganisationKind.PROPERTY_COMPANY,
                                       place=place, parent=company, established_on=datetime.date(2010, 1, 1))
                   for company, place in zip(companies, (estate, neighbour_estate), strict=True)]
    clerk = make_user(RoleKind.STREET_STAFF, tree.street)
    residents = [make_user(RoleKind.RESIDENT, estate if i < 4 else neighbour_estate, person=person)
                 for i, person in enumerate(people)]
    with frozen_at(OPEN_DAY - datetime.timedelta(days=20)):
        questionnaire = questionnaire_create(actor=clerk, name="物业服务满意度调查", questions=[
            QuestionSpec("cleaning", "小区保洁是否及时干净？", "cleaning", Decimal(2)),
            QuestionSpec("repairs", "报修是否及时处理？", "repairs", Decimal(1))])
        round = round_create(actor=clerk, questionnaire=questionnaire, place=tree.street, year=2023, quarter=2,
                             opens_on=datetime.date(2023, 6, 1), closes_on=datetime.date(2023, 6, 30))
        round = round_open(actor=clerk, round=round)
    return Evaluation(
        questionnaire=questionnaire, round=round, estate=estate, neighbour_estate=neighbour_estate,
        households=ordered, people=people, companies=companies, departments=departments, clerk=clerk,
        residents=residents, committee=make_user(RoleKind.OWNERS_COMMITTEE_MEMBER, estate),
        manager=make_user(RoleKind.PROPERTY_MANAGER, estate),
        community=make_user(RoleKind.COMMUNITY_WORKER, tree.neighbour),
        outsider=make_user(RoleKind.COMMUNITY_WORKER, tree.far_community))
