"""A small campaign for the renewal tests: the tree's estate with 甲幢 (6 flats, one co-owned) and 乙幢 (4 flats),
the project opened on the register, a field group per building, and users in each position."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from commonground.core.models import Person, Place, PlaceKind, RoleKind, User
from commonground.core.services.people import ownership_create, person_create
from commonground.core.services.places import place_create
from commonground.renewal.models import Project, WorkGroup, WorkGroupKind
from commonground.renewal.services.organisation import work_group_create, work_group_member_add
from commonground.renewal.services.projects import project_create
from tests.conftest import make_id_number

AREAS = [Decimal("52.30"), Decimal("61.75"), Decimal("61.75"), Decimal("78.10"), Decimal("45.00"),
         Decimal("88.88"), Decimal("70.00"), Decimal("70.00"), Decimal("55.55"), Decimal("66.60")]


@pytest.fixture(autouse=True)
def _english(settings):
    """The renewal tests read messages and pages in English (the msgids); the crawl and the browser test read them
    in Chinese."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@dataclass
class Campaign:
    project: Project
    buildings: list[Place]     # 甲幢, 乙幢
    flats: list[Place]         # 0-5 in 甲幢 (flat 1 co-owned by owners 1 and 2), 6-9 in 乙幢
    owners: list[Person]       # owners[i] owns flats[i]; owners[10] co-owns flats[1]
    groups: list[WorkGroup]    # 一组 owns 甲幢, 二组 owns 乙幢
    office: User               # renewal worker at the estate (the project office)
    member: User               # member of 一组 only (a renewal role at 甲幢)
    street: User               # street staff: approves rule sets
    outsider: User             # a renewal worker on another estate
    owner: User                # the login of owners[0]


@pytest.fixture
def campaign(tree, make_user) -> Campaign:
    buildings = [place_create(code=f"{tree.estate.code}-B{c}", name=name, kind=PlaceKind.BUILDING, parent=tree.estate)
                 for c, name in (("J", "甲幢"), ("Y", "乙幢"))]
    flats, owners = [], []
    for i, area in enumerate(AREAS):
        building = buildings[0] if i < 6 else buildings[1]
        number = f"{i % 6 // 2 + 1}0{i % 2 + 1}"
        flat = place_create(code=f"{building.code}-{number}", name=f"{building.name}{number}室", kind=PlaceKind.FLAT,
                            parent=building, floor_area_m2=area)
        person = person_create(name=f"业主{i}", id_number=make_id_number(seq=300 + i), phone=f"1371000{i:04d}")
        ownership_create(flat=flat, person=person, exclusive_area_m2=area, acquired_on=datetime.date(2005, 1, 1))
        flats.append(flat)
        owners.append(person)
    co_owner = person_create(name="共有人", id_number=make_id_number(seq=399), phone="13710009999")
    ownership_create(flat=flats[1], person=co_owner, exclusive_area_m2=AREAS[1], acquired_on=datetime.date(2005, 1, 1))
    owners.append(co_owner)
    office = make_user(RoleKind.RENEWAL_WORKER, tree.estate)
    project = project_create(actor=office, estate=tree.estate, name="竹竿巷小区有机更新",
                             effect_threshold=Decimal("0.8"), consent_threshold=Decimal("0.9"),
                             signing_from=datetime.date(2023, 4, 7), signing_until=datetime.date(2023, 6, 30))
    groups = [work_group_create(actor=office, project=project, name=name, kind=WorkGroupKind.FIELD,
                                buildings=[building]) for name, building in (("一组", buildings[0]), ("二组", buildings[1]))]
    member = make_user()
    work_group_member_add(actor=office, group=groups[0], user=member)
    street = make_user(RoleKind.STREET_STAFF, tree.street)
    outsider = make_user(RoleKind.RENEWAL_WORKER, tree.neighbour_estate)
    owner = make_user(RoleKind.RESIDENT, tree.estate, person=owners[0])
    return Campaign(project, buildings, flats, owners, groups, office, member, street, outsider, owner)
