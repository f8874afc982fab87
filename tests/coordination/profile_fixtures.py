"""Fixtures of the estate profile tests: the tree's two estates in one community (竹竿巷小区 with an owners'
committee, a contract and a filing; 龙游小区 in the neighbour community without), a property company, the demo
day 2023-08-31 on the clock, and users in each position."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from commonground.cases.models import Case, Category, Level, ReporterKind
from commonground.coordination.models import CommitteeFiling, PropertyContract, ServiceLevel
from commonground.coordination.services.profiles import committee_filing_record, property_contract_record
from commonground.core.models import Organisation, OrganisationKind, OrganisationMembership, RoleKind, User
from commonground.core.services.organisations import organisation_create
from tests.conftest import start_clock_on

TODAY = datetime.date(2023, 8, 31)


@dataclass
class Estates:
    tree: object
    company: Organisation
    committee: Organisation
    contract: PropertyContract
    filing: CommitteeFiling
    manager: User  # community worker: coordination.manage at the community
    street: User
    member: User  # owners' committee member of the first estate
    property: User  # property manager of the first estate
    other_member: User  # owners' committee member of the neighbour estate


@pytest.fixture
def estates(tree, make_user) -> Estates:
    start_clock_on(TODAY)
    manager = make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    make_user(RoleKind.COMMUNITY_WORKER, tree.neighbour)
    company = organisation_create(name="杭州绿城物业服务有限公司", kind=OrganisationKind.PROPERTY_COMPANY,
                                  place=tree.district)
    organisation_create(name="绿城物业竹竿巷小区项目部", kind=OrganisationKind.PROPERTY_COMPANY, place=tree.estate,
                        parent=company)
    committee = organisation_create(name="竹竿巷小区业主委员会", kind=OrganisationKind.OWNERS_COMMITTEE,
                                    place=tree.estate, established_on=datetime.date(2021, 3, 1))
    OrganisationMembership.objects.create(organisation=committee, person=tree.owner, position="主任",
                                          term_from=datetime.date(2021, 3, 1), term_to=datetime.date(2026, 2, 28))
    contract = property_contract_record(actor=manager, estate=tree.estate, company=company,
                                        starts_on=datetime.date(2022, 1, 1), ends_on=datetime.date(2024, 12, 31),
                                        fee_per_m2=Decimal("1.80"), service_level=ServiceLevel.LEVEL_3)
    filing = committee_filing_record(actor=manager, committee=committee, term_from=datetime.date(2021, 3, 1),
                                     term_to=datetime.date(2026, 2, 28), filed_on=datetime.date(2021, 3, 20),
                                     members=5)
    return Estates(tree=tree, company=company, committee=committee, contract=contract, filing=filing,
                   manager=manager, street=make_user(RoleKind.STREET_STAFF, tree.street),
                   member=make_user(RoleKind.OWNERS_COMMITTEE_MEMBER, tree.estate),
                   property=make_user(RoleKind.PROPERTY_MANAGER, tree.estate),
                   other_member=make_user(RoleKind.OWNERS_COMMITTEE_MEMBER, tree.neighbour_estate))


def dispute_category() -> Category:
    return Category.objects.get_or_create(code="noise-dispute", defaults={
        "name": "噪音纠纷", "sla_hours": 40, "is_dispute": True, "default_level": Level.COMMUNITY,
        "open_to": [ReporterKind.RESIDENT, ReporterKind.STAFF]})[0]


def open_case(actor: User, place, *, overdue: bool = False) -> Case:
    """A case reported at `place` through the intake service; `overdue` as the deadline sweep marks it."""
    from commonground.cases.services.intake import case_report

    case = case_report(actor=actor, category=dispute_category(), place=place, description="楼上噪音扰民已一周")
    if overdue:
        Case.objects.filter(pk=case.pk).update(is_overdue=True)  # what the SLA sweep writes past the deadline
    return case
