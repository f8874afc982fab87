"""Two business communities with their buildings and enterprises, the street's staff, a commissioner assigned
one building, and an enterprise's contact who logs in for it.

    武林街道 (tree.street)
      武林商务社区 (community)    office buildings 武林大厦 (office), 武林广场 (other_office), 公寓1幢 (apartment)
        星河科技   at 武林大厦, registered there, key firm       (contact: `contact`)
        云帆贸易   at 武林广场, registered elsewhere
        远航咨询   registered at 武林大厦, not present
    天水街道 (tree.other_street)
      天水商务社区 (far_community)  天水大厦 (far_office)
        天水物流   at 天水大厦
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from commonground.business.models import Commissioner, Enterprise, EnterpriseContact, EnterpriseTier
from commonground.business.services.commissioners import commissioner_appoint, commissioner_assign
from commonground.business.services.ledgers import enterprise_create
from commonground.core.models import Place, PlaceKind, RoleKind, User
from commonground.core.services.places import place_create
from commonground.core.validators import credit_code_check_char
from tests.conftest import Tree, start_clock_on

TODAY = datetime.date(2024, 5, 6)  # a Monday


def make_credit_code(seq: int, region: str = "330105") -> str:
    """A valid unified social credit code (a company: registration authority 9, type 1)."""
    first17 = f"91{region}MA{seq:07d}"[:17]
    first17 = first17.replace("I", "1").replace("O", "0")
    return first17 + credit_code_check_char(first17)


@dataclass
class Business:
    tree: Tree
    community: Place
    office: Place
    other_office: Place
    apartment: Place
    far_community: Place
    far_office: Place
    staff: User  # street staff of tree.street
    far_staff: User  # street staff of the other street
    commissioner_user: User
    commissioner: Commissioner
    contact: User
    star: Enterprise  # at office, registered there, key firm, contact's firm
    cloud: Enterprise  # at other_office, registered elsewhere
    absent: Enterprise  # registered at office, not present
    far: Enterprise  # at far_office


@pytest.fixture
def business(tree, make_user) -> Business:
    start_clock_on(TODAY)
    area = Decimal("20000.00")
    community = place_create(code="330105001-BC01", name="武林商务社区", kind=PlaceKind.BUSINESS_COMMUNITY,
                             parent=tree.street)
    office = place_create(code="330105001-BC01-OB01", name="武林大厦", kind=PlaceKind.OFFICE_BUILDING,
                          parent=community, floor_area_m2=area)
    other_office = place_create(code="330105001-BC01-OB02", name="武林广场", kind=PlaceKind.OFFICE_BUILDING,
                                parent=community, floor_area_m2=area)
    apartment = place_create(code="330105001-BC01-AB01", name="公寓1幢", kind=PlaceKind.BUILDING, parent=community,
                             floor_area_m2=Decimal("8000.00"))
    far_community = place_create(code="330105002-BC01", name="天水商务社区", kind=PlaceKind.BUSINESS_COMMUNITY,
                                 parent=tree.other_street)
    far_office = place_create(code="330105002-BC01-OB01", name="天水大厦", kind=PlaceKind.OFFICE_BUILDING,
                              parent=far_community, floor_area_m2=area)
    staff = make_user(RoleKind.STREET_STAFF, tree.street)
    far_staff = make_user(RoleKind.STREET_STAFF, tree.other_street)
    commissioner_user = make_user(RoleKind.BUILDING_COMMISSIONER, community)
    commissioner = commissioner_appoint(actor=staff, user=commissioner_user, business_community=community,
                                        display_name="赵专员", daily_capacity=4, phone="13900000001")
    commissioner_assign(actor=staff, commissioner=commissioner, building=office,
                        valid_from=TODAY - datetime.timedelta(days=30))
    since = datetime.date(2020, 3, 1)
    star = enterprise_create(actor=staff, credit_code=make_credit_code(1), name="杭州星河科技有限公司",
                             registered_on=since, industry_code="I6510", registered_capital=Decimal("5000000"),
                             building=office, registered_building=office, floor="12", room="1201", headcount=80,
                             tier=EnterpriseTier.KEY, moved_in_on=since)
    cloud = enterprise_create(actor=staff, credit_code=make_credit_code(2), name="杭州云帆贸易有限公司",
                              registered_on=datetime.date(2023, 6, 1), industry_code="F5191",
                              registered_capital=Decimal("1000000"), building=other_office, headcount=12,
                              registered_address="杭州市西湖区文三路1号", moved_in_on=datetime.date(2024, 4, 20))
    absent = enterprise_create(actor=staff, credit_code=make_credit_code(3), name="杭州远航咨询有限公司",
                               registered_on=datetime.date(2019, 1, 10), industry_code="L7239",
                               registered_capital=Decimal("500000"), registered_building=office, headcount=0)
    far = enterprise_create(actor=far_staff, credit_code=make_credit_code(4), name="杭州天水物流有限公司",
                            registered_on=datetime.date(2021, 9, 1), industry_code="G5430",
                            registered_capital=Decimal("2000000"), building=far_office,
                            registered_building=far_office, headcount=40)
    contact = make_user(RoleKind.ENTERPRISE_CONTACT, office)
    EnterpriseContact.objects.create(enterprise=star, name="陈经理", phone="13900000009", title="行政经理",
                                     is_primary=True, user=contact)
    return Business(tree, community, office, other_office, apartment, far_community, far_office, staff, far_staff,
                    commissioner_user, commissioner, contact, star, cloud, absent, far)
