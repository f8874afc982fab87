"""The ledger lists: a building's counts (one query for the whole list), the enterprise ledger's filters and
who sees what."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from commonground.business.ledgers_selectors import (
    EnterpriseFilters,
    building_ledger,
    enterprise_list,
)
from commonground.business.models import EnterpriseStatus
from commonground.business.services.ledgers import (
    building_ledger_set,
    enterprise_create,
    enterprise_update,
    tax_record_set,
)

from .business_fixtures import make_credit_code

pytestmark = pytest.mark.django_db


def _figures(groups):
    return {place.name: counts for group in groups for place, counts in group.rows}


def test_building_ledger__counts_per_building_and_community(business, django_assert_num_queries):
    building_ledger_set(actor=business.staff, building=business.office, vacant_area_m2=Decimal("5000"))
    tax_record_set(actor=business.staff, enterprise=business.star, year=2023, month=3, amount=Decimal("100"))
    tax_record_set(actor=business.staff, enterprise=business.cloud, year=2022, month=0, amount=Decimal("100"))
    # a firm that moved out no longer counts
    gone = enterprise_create(actor=business.staff, credit_code=make_credit_code(20), name="已迁出公司",
                             registered_on=datetime.date(2020, 1, 1), building=business.office,
                             registered_building=business.office)
    enterprise_update(actor=business.staff, enterprise=gone, status=EnterpriseStatus.MOVED_OUT,
                      moved_out_on=datetime.date(2024, 1, 1))
    with django_assert_num_queries(1):  # the whole list (the user's roles are loaded already)
        groups = building_ledger(business.staff, 2023)
    assert [group.community.name for group in groups] == ["武林商务社区"]
    figures = _figures(groups)
    office = figures["武林大厦"]
    assert (office.here_registered, office.here_registered_elsewhere, office.registered_not_present) == (1, 0, 1)
    assert (office.with_tax, office.without_tax) == (1, 0)
    assert (office.floor_area_m2, office.vacant_area_m2, office.occupancy) == (
        Decimal("20000.00"), Decimal("5000.00"), Decimal("0.7500"))
    other = figures["武林广场"]
    assert (other.here_registered, other.here_registered_elsewhere, other.registered_not_present) == (0, 1, 0)
    assert (other.with_tax, other.without_tax) == (0, 1)  # its tax was in 2022
    assert figures["公寓1幢"].occupancy == Decimal("1.0000")
    total = groups[0].total
    assert (total.buildings, total.present, total.registered_not_present, total.with_tax, total.without_tax) == (
        3, 2, 1, 1, 1)
    assert total.floor_area_m2 == Decimal("48000.00")
    assert total.occupancy == Decimal("0.8958")  # 1 − 5000 / 48000


def test_building_ledger__each_user__their_buildings(business):
    assert set(_figures(building_ledger(business.far_staff, 2023))) == {"天水大厦"}
    assert set(_figures(building_ledger(business.commissioner_user, 2023))) == {"武林大厦"}
    assert building_ledger(business.contact, 2023) == []


def test_building_ledger__query_count_same_for_more_buildings(business, django_assert_num_queries):
    from commonground.core.models import PlaceKind
    from commonground.core.services.places import place_create

    for n in range(3, 8):
        place_create(code=f"330105001-BC01-OB{n:02d}", name=f"大楼{n}", kind=PlaceKind.OFFICE_BUILDING,
                     parent=business.community, floor_area_m2=Decimal("1000"))
    with django_assert_num_queries(1):
        assert len(building_ledger(business.staff, 2023)[0].rows) == 8


@pytest.mark.parametrize(("filters", "names"), [
    ({}, {"杭州星河科技有限公司", "杭州云帆贸易有限公司", "杭州远航咨询有限公司"}),
    ({"building": "330105001-BC01-OB01"}, {"杭州星河科技有限公司", "杭州远航咨询有限公司"}),
    ({"community": "330105001-BC01"}, {"杭州星河科技有限公司", "杭州云帆贸易有限公司", "杭州远航咨询有限公司"}),
    ({"community": "330105002-BC01"}, set()),  # not the user's: nothing
    ({"tier": "key"}, {"杭州星河科技有限公司"}),
    ({"industry": "f51"}, {"杭州云帆贸易有限公司"}),
    ({"q": "远航"}, {"杭州远航咨询有限公司"}),
    ({"q": make_credit_code(2)[:17].lower()}, {"杭州云帆贸易有限公司"}),
    ({"status": "moved_out"}, set()),
    ({"status": "nonsense"}, {"杭州星河科技有限公司", "杭州云帆贸易有限公司", "杭州远航咨询有限公司"}),
])
def test_enterprise_list__filters(business, filters, names):
    rows = enterprise_list(business.staff, EnterpriseFilters.from_mapping(filters))
    assert {row.name for row in rows} == names


def test_enterprise_list__personal_flag__staff_full_commissioner_masked(business):
    assert {row.name: row.personal_in_full for row in enterprise_list(business.staff)}["杭州星河科技有限公司"] is True
    rows = {row.name: row for row in enterprise_list(business.commissioner_user)}
    assert set(rows) == {"杭州星河科技有限公司", "杭州远航咨询有限公司"}
    assert rows["杭州星河科技有限公司"].personal_in_full is False
    assert [c.name for c in rows["杭州星河科技有限公司"].primary_contacts] == ["陈经理"]


def test_enterprise_list__firm_with_many_contacts__listed_once(business):
    from commonground.business.models import EnterpriseContact

    EnterpriseContact.objects.create(enterprise=business.star, name="王总", phone="13900000002")
    EnterpriseContact.objects.create(enterprise=business.star, name="李助理", phone="13900000003")
    assert [row.name for row in enterprise_list(business.staff)].count("杭州星河科技有限公司") == 1
    assert [row.name for row in enterprise_list(business.contact)] == ["杭州星河科技有限公司"]
