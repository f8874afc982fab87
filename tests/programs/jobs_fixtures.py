"""A street's job postings: street staff and a community worker of 竹竿巷, an office building with an enterprise
contact, a resident with a person record, an outsider in the other street, and a job fair (an activity of kind
job_fair) at the community."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from commonground.core.models import Organisation, OrganisationKind, Place, PlaceKind, RoleKind, User
from commonground.core.services.organisations import organisation_create
from commonground.core.services.places import place_create
from commonground.core.validators import credit_code_check_char
from commonground.programs.models import Activity, ActivityKind, Audience, JobPosting
from commonground.programs.services.jobs import posting_create, posting_publish
from tests.conftest import Tree, start_clock_on

from .activity_fixtures import TODAY, make_activity


def credit_code(seq: int = 1) -> str:
    """A valid unified social credit code for tests."""
    first17 = f"91330105MA2{seq:06d}"
    return first17 + credit_code_check_char(first17)


@dataclass
class Jobs:
    tree: Tree
    street: User          # street staff of 武林街道
    worker: User          # community worker of 竹竿巷社区
    organiser: Organisation
    office: Place         # an office building in the street's business community
    other_office: Place   # another office building there
    enterprise: User      # the enterprise contact at `office`
    resident: User        # a resident with a person record (tree.owner)
    neighbour: User       # another resident (tree.neighbour_owner)
    outsider: User        # a community worker in the other street
    fair: Activity        # the community's job fair (published)


def make_posting(actor: User, place: Place, *, publish: bool = True, **fields) -> JobPosting:
    fields.setdefault("title", "快递分拣员")
    fields.setdefault("employer_name", "杭州顺达物流有限公司")
    fields.setdefault("positions", 5)
    posting = posting_create(actor=actor, place=place, **fields)
    return posting_publish(actor=actor, posting=posting) if publish else posting


@pytest.fixture
def jobs(tree, make_user) -> Jobs:
    start_clock_on(TODAY)
    business = place_create(code="330105001-BC01", name="武林商务社区", kind=PlaceKind.BUSINESS_COMMUNITY,
                            parent=tree.street)
    office = place_create(code="330105001-BC01-OB01", name="武林1号楼", kind=PlaceKind.OFFICE_BUILDING,
                          parent=business)
    other_office = place_create(code="330105001-BC01-OB02", name="武林2号楼", kind=PlaceKind.OFFICE_BUILDING,
                                parent=business)
    worker = make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    organiser = organisation_create(name="竹竿巷社区居民委员会", kind=OrganisationKind.RESIDENTS_COMMITTEE,
                                    place=tree.community)
    fair = make_activity(worker, organiser, capacity=500, title="小哥家属专场招聘会", kind=ActivityKind.JOB_FAIR,
                         audience=Audience.NEW_EMPLOYMENT)
    return Jobs(tree=tree, street=make_user(RoleKind.STREET_STAFF, tree.street), worker=worker, organiser=organiser,
                office=office, other_office=other_office,
                enterprise=make_user(RoleKind.ENTERPRISE_CONTACT, office),
                resident=make_user(RoleKind.RESIDENT, tree.estate, person=tree.owner),
                neighbour=make_user(RoleKind.RESIDENT, tree.neighbour_estate, person=tree.neighbour_owner),
                outsider=make_user(RoleKind.COMMUNITY_WORKER, tree.far_community), fair=fair)


PAY = (Decimal("4500"), Decimal("6500"))
DAY = datetime.timedelta(days=1)
