"""Fixtures of the fund tests: a district fund, the reviewers at each level, an estate's held meeting with a
resolution, and helpers that take a project through the stages (all through the services)."""

from __future__ import annotations

import datetime
import io
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from commonground.coordination.models import Fund, FundProject
from commonground.coordination.services.fund import (
    fund_create,
    fund_project_create,
    fund_project_review,
    fund_project_submit,
)
from commonground.core import clock
from commonground.core.models import OrganisationKind, Place, RoleKind, User
from commonground.core.services.organisations import organisation_create
from commonground.deliberation.models import MeetingKind, Resolution
from commonground.deliberation.services.meetings import meeting_create, meeting_record_minutes, resolution_add

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2023, 6, 1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name: str = "receipt.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")


LINES = [{"item": "电动自行车充电桩", "quantity": "10", "unit": "个", "unit_price": "1500"},
         {"item": "安装及线路改造", "quantity": "1", "unit": "项", "unit_price": "5000.50"}]  # 20,000.50


@dataclass
class FundWorld:
    tree: object
    fund: Fund
    office: User  # district admin: the fund office
    street: User  # street staff at the estate's street
    community: User  # community worker at the estate's community
    committee: User  # owners' committee member at the estate
    neighbour_committee: User  # owners' committee member at the neighbour estate
    other_street: User  # street staff of the other street
    resolution: Resolution
    neighbour_resolution: Resolution

    def project(self, *, title: str = "电动自行车充电棚", lines=LINES, estate: Place | None = None,
                actor: User | None = None, resolution: Resolution | None = None) -> FundProject:
        estate = estate or self.tree.estate
        with clock.frozen_at(at(DAY)):
            return fund_project_create(
                actor=actor or (self.committee if estate == self.tree.estate else self.neighbour_committee), fund=self.fund, estate=estate, title=title, description="十个充电接口",
                resolution=resolution or (self.resolution if estate == self.tree.estate else self.neighbour_resolution),
                lines=lines)

    def submitted(self, **kwargs) -> FundProject:
        project = self.project(**kwargs)
        with clock.frozen_at(at(DAY, 11)):
            return fund_project_submit(actor=kwargs.get("actor") or self.committee_of(project), project=project)

    def committee_of(self, project: FundProject) -> User:
        return self.committee if project.estate_id == self.tree.estate.pk else self.neighbour_committee

    def street_approved(self, **kwargs) -> FundProject:
        project = self.submitted(**kwargs)
        with clock.frozen_at(at(DAY, 14)):
            project = fund_project_review(actor=self.community, project=project, decision="approve", comment="同意")
            return fund_project_review(actor=self.street, project=project, decision="approve", comment="同意")

    def approved(self, amount: Decimal | None = None, **kwargs) -> FundProject:
        project = self.street_approved(**kwargs)
        with clock.frozen_at(at(DAY, 16)):
            return fund_project_review(actor=self.office, project=project, decision="approve", amount=amount)


def held_resolution(actor: User, place: Place, convener, text: str) -> Resolution:
    start = at(datetime.date(2023, 5, 10), 14)
    with clock.frozen_at(start - datetime.timedelta(days=7)):
        meeting = meeting_create(actor=actor, place=place, convener=convener, kind=MeetingKind.COUNCIL,
                                 title="红茶议事会：充电设施", starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                                 venue="议事厅")
    with clock.frozen_at(start + datetime.timedelta(hours=2)):
        meeting_record_minutes(actor=actor, meeting=meeting, minutes="讨论通过")
        return resolution_add(actor=actor, meeting=meeting, text=text)


@pytest.fixture
def fund_world(tree, make_user) -> FundWorld:
    office = make_user(RoleKind.DISTRICT_ADMIN, tree.district)
    street = make_user(RoleKind.STREET_STAFF, tree.street)
    community = make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    committee = make_user(RoleKind.OWNERS_COMMITTEE_MEMBER, tree.estate)
    neighbour_committee = make_user(RoleKind.OWNERS_COMMITTEE_MEMBER, tree.neighbour_estate)
    other_street = make_user(RoleKind.STREET_STAFF, tree.other_street)
    residents = organisation_create(name="竹竿巷社区居委会", kind=OrganisationKind.RESIDENTS_COMMITTEE,
                                    place=tree.community)
    neighbours = organisation_create(name="龙游社区居委会", kind=OrganisationKind.RESIDENTS_COMMITTEE,
                                     place=tree.neighbour)
    resolution = held_resolution(community, tree.estate, residents, "增设充电桩")
    neighbour_resolution = held_resolution(office, tree.neighbour_estate, neighbours, "楼道灯改造")
    with clock.frozen_at(at(datetime.date(2023, 1, 5))):
        fund = fund_create(actor=office, place=tree.district, name="拱墅区2023年小区微治理专项资金", year=2023,
                           total=Decimal("100000"))
    return FundWorld(tree, fund, office, street, community, committee, neighbour_committee, other_street,
                     resolution, neighbour_resolution)
