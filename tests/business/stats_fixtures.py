"""A small hand-computed data set for the statistics, on top of the `business` fixture (TODAY 2024-05-06).
The period of the tests is 2024-01-01..2024-04-30 (a year earlier: 2023-01-01..2023-04-30).

武林商务社区 (office 20,000 m² vacant 2,000 grade A; other_office 20,000 m² vacant 4,000 grade B; apartment 8,000 m²
no ledger row) — floor 48,000, in use 42,000, occupancy 0.875
  firms (new ≥¥1m in the period: n1 3m, n2 exactly 1m → 2, capital 4,000,000; a year earlier: n5 4m → 1; yoy 1.0)
    star   office, registered office, 80 people               tax 2024-01..05 10,000 a month; 2023-01..05 8,000;
                                                              2022 whole year 100,000
    cloud  other_office, registered elsewhere, 12             tax 2023 whole year 120,000; 2024-02 5,000
    absent registered office, not present                      tax 2023 whole year 50,000 AND 2023-06 7,000
    n1     2024-02-10, 3m, office, registered office, 20       tax 2024-03 1,000
    n2     2024-04-30, 1m, apartment, registered there, 5
    n3     2024-03-01, 999,999.99, other_office, 3
    n4     2024-05-01 (after the period), 2m, other_office, registered there, 0
    n5     2023-03-15, 4m, other_office, registered office, deregistered
  operating 7; present 6, registered where present 4 (star, n1, n2, n4): 0.6667; population 120
  tax Jan–Apr 2024: 40,000 + 5,000 + 1,000 = 46,000; Jan–Apr 2023: 32,000 → yoy 0.4375; per m² 46,000/42,000 = 1.10
  whole 2023: star 40,000 + cloud's year 120,000 + absent's month 7,000 (its year row not: it has a monthly row)
  = 167,000; whole 2022: 100,000 → yoy 0.67
  cases: disputes 1 (c1), needs 2 (c4 parking, c5 the enterprise parent category), matters solved by the building
  council 2 (c4, c6 of 2023); demands in visits up to the period's end 2 (c4, c5)
天水商务社区 (far_office 20,000 m² vacant 5,000 grade C)
    far    2021, 2m, far_office, registered there, 40         tax 2024-01 3,000
    f1     2024-01-20, 6m, far_office, registered there, 10   tax 2024-02 3,000
  new 1, a year earlier 0 → yoy None; tax 6,000, a year earlier 0 → yoy None; disputes 1 (d1), demands 1
district: new 3 / 1 → yoy 2.0, capital 10,000,000; tax 52,000 / 32,000 → yoy 0.625; floor 68,000 in use 57,000 →
  occupancy 0.8382, tax per m² 0.91; present 8, registered here 6 → 0.75
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

import pytest

from commonground.business.models import EnterpriseStatus, Visit, VisitDemand
from commonground.business.services.ledgers import (
    building_ledger_set,
    enterprise_create,
    grading_indicators,
    tax_record_set,
)
from commonground.cases.models import Case, Category, Stage
from commonground.core.models import Organisation, OrganisationKind, Place
from commonground.core.models.places import scope_columns
from commonground.core.reporting import Period

from .business_fixtures import Business, make_credit_code

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PERIOD = Period(datetime.date(2024, 1, 1), datetime.date(2024, 4, 30))


@dataclass
class StatsData:
    b: Business
    council: Organisation
    cases: dict[str, Case]


def scoring(share: float) -> dict[str, Decimal]:
    """Every grading indicator at `share` of its maximum: a score of 100 × share (grade A from 85, B from 70)."""
    return {i.code: Decimal(str(i.max)) * Decimal(str(share)) for i in grading_indicators()}


def local(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def add_case(number: str, category: Category, place: Place, *, closed: datetime.datetime | None,
             handler: Organisation | None = None) -> Case:
    """A case as the case engine leaves it (the statistics only read cases)."""
    return Case.objects.create(
        number=number, category=category, description="楼宇企业诉求", place=place, place_path=place.path,
        street_path=place.path[:20], unit_path=place.path[:30], stage=Stage.CLOSED if closed else Stage.HANDLE,
        closed_at=closed, handler=handler)


def add_visit(b: Business, enterprise, day: datetime.date, cases: list[Case], **fields) -> Visit:
    fields.setdefault("commissioner", b.commissioner)
    visit = Visit.objects.create(enterprise=enterprise, visited_on=day, topics="走访", **fields,
                                 **scope_columns(Visit, enterprise.place_path))
    for case in cases:
        VisitDemand.objects.create(visit=visit, case=case)
    return visit


@pytest.fixture
def stats_data(business) -> StatsData:
    b = business
    staff, far_staff = b.staff, b.far_staff

    def firm(seq, name, registered_on, capital, staff=staff, **fields):
        return enterprise_create(actor=staff, credit_code=make_credit_code(seq), name=name,
                                 registered_on=registered_on, registered_capital=Decimal(capital), **fields)

    n1 = firm(11, "新一科技", datetime.date(2024, 2, 10), "3000000", building=b.office,
              registered_building=b.office, headcount=20)
    firm(12, "新二公寓", datetime.date(2024, 4, 30), "1000000", building=b.apartment,
         registered_building=b.apartment, headcount=5)
    firm(13, "新三咨询", datetime.date(2024, 3, 1), "999999.99", building=b.other_office, headcount=3)
    firm(14, "新四传媒", datetime.date(2024, 5, 1), "2000000", building=b.other_office,
         registered_building=b.other_office)
    firm(15, "旧五贸易", datetime.date(2023, 3, 15), "4000000", building=b.other_office,
         registered_building=b.office, status=EnterpriseStatus.DEREGISTERED)
    f1 = firm(16, "天水新材", datetime.date(2024, 1, 20), "6000000", staff=far_staff, building=b.far_office,
              registered_building=b.far_office, headcount=10)

    def tax(enterprise, year, month, amount, actor=staff):
        tax_record_set(actor=actor, enterprise=enterprise, year=year, month=month, amount=Decimal(amount))

    for month in range(1, 6):
        tax(b.star, 2024, month, "10000")
        tax(b.star, 2023, month, "8000")
    tax(b.star, 2022, 0, "100000")
    tax(b.cloud, 2023, 0, "120000")
    tax(b.cloud, 2024, 2, "5000")
    tax(b.absent, 2023, 0, "50000")
    tax(b.absent, 2023, 6, "7000")
    tax(n1, 2024, 3, "1000")
    tax(b.far, 2024, 1, "3000", far_staff)
    tax(f1, 2024, 2, "3000", far_staff)

    building_ledger_set(actor=staff, building=b.office, vacant_area_m2=Decimal("2000"), indicators=scoring(0.9))
    building_ledger_set(actor=staff, building=b.other_office, vacant_area_m2=Decimal("4000"),
                        indicators=scoring(0.75))
    building_ledger_set(actor=far_staff, building=b.far_office, vacant_area_m2=Decimal("5000"),
                        indicators=scoring(0.5))

    enterprise = Category.objects.create(code="enterprise", name="企业诉求", sla_hours=40)
    parking = Category.objects.create(code="enterprise-parking", name="停车需求", sla_hours=40, parent=enterprise)
    noise = Category.objects.create(code="noise-dispute", name="噪音纠纷", sla_hours=40, is_dispute=True)
    lift = Category.objects.create(code="lift-broken", name="电梯故障", sla_hours=8)
    council = Organisation.objects.create(name="三和楼事会", kind=OrganisationKind.BUILDING_COMMITTEE, place=b.community)
    cases = {
        "c1": add_case("B1", noise, b.office, closed=local(2024, 2, 1, 10)),
        "c2": add_case("B2", noise, b.office, closed=local(2023, 12, 31, 23)),
        "c3": add_case("B3", noise, b.office, closed=None),
        "c4": add_case("B4", parking, b.community, closed=local(2024, 3, 10, 9), handler=council),
        "c5": add_case("B5", enterprise, b.other_office, closed=local(2024, 4, 30, 23, 30)),
        "c6": add_case("B6", lift, b.apartment, closed=local(2023, 6, 1, 9), handler=council),
        "c7": add_case("B7", lift, b.office, closed=local(2024, 5, 2, 9), handler=council),
        "c8": add_case("B8", noise, b.tree.community, closed=local(2024, 2, 1, 10)),
        "d1": add_case("B9", noise, b.far_office, closed=local(2024, 2, 2, 10)),
    }
    add_visit(b, b.star, datetime.date(2024, 3, 1), [cases["c4"], cases["c5"]])
    add_visit(b, b.star, datetime.date(2024, 5, 3), [cases["c7"]])
    add_visit(b, b.far, datetime.date(2024, 1, 5), [cases["d1"]], department="tax", commissioner=None)
    return StatsData(b, council, cases)
