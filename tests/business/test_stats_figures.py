"""The statistics on a small hand-computed data set (tests/business/stats_fixtures.py's docstring computes every
figure): new ≥¥1m firms and their year on year (None when last year had none), registered capital, tax of the
months covered (a whole-year row only when the period covers the year), occupancy, registration-here rate, tax
per m², grades, status counts, and the business communities' seed counts; queries independent of the rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.business.models import TaxRecord
from commonground.business.services.ledgers import enterprise_create, tax_record_set
from commonground.business.stats_report import business_section
from commonground.business.stats_selectors import FIRST_YEAR_SETTING, business_stats, tax_months, yoy
from commonground.core.models import PlaceKind, Setting
from commonground.core.reporting import Period, build_report
from commonground.core.services.places import place_create

from .business_fixtures import make_credit_code
from .stats_fixtures import PERIOD

pytestmark = pytest.mark.django_db


def section(place, period=PERIOD):
    return business_section(business_stats(place, period))


def row(data, name):
    return next(r for r in data["communities"] if r["name"] == name)


def test_business_stats__community__every_figure_exact(stats_data):
    data = section(stats_data.b.community)

    assert {k: v for k, v in data.items() if k != "communities"} == {
        "business_communities": 1, "buildings": 2, "enterprises": 7,
        "new_enterprises_1m": 2, "new_enterprises_1m_yoy": 1.0,
        "new_enterprises_1m_registered_capital": 4000000.0,
        "building_tax": 46000.0, "building_tax_yoy": 0.4375,
        "occupancy_rate": 0.875, "registered_here_rate": 0.6667, "tax_per_m2": 1.1,
        "grades": {"grade_a": 1, "grade_b": 1, "grade_c": 0, "ungraded": 1},
        "enterprises_by_status": {"active": 7, "moved_out": 0, "deregistered": 1},
    }
    assert data["communities"] == [{
        "name": "武林商务社区", "office_buildings": 2, "apartment_buildings": 1, "floor_area_m2": 48000.0,
        "population": 120, "enterprises": 7, "disputes_resolved": 1, "needs_met": 2,
        "problems_collected": 2, "matters_solved": 2,
        "occupancy_rate": 0.875, "registered_here_rate": 0.6667, "tax_per_m2": 1.1,
    }]


def test_business_stats__district__sums_of_the_communities(stats_data):
    data = section(stats_data.b.tree.district)

    assert (data["business_communities"], data["buildings"], data["enterprises"]) == (2, 3, 9)
    assert (data["new_enterprises_1m"], data["new_enterprises_1m_yoy"],
            data["new_enterprises_1m_registered_capital"]) == (3, 2.0, 10000000.0)
    assert (data["building_tax"], data["building_tax_yoy"]) == (52000.0, 0.625)
    assert (data["occupancy_rate"], data["registered_here_rate"], data["tax_per_m2"]) == (0.8382, 0.75, 0.91)
    assert data["grades"] == {"grade_a": 1, "grade_b": 1, "grade_c": 1, "ungraded": 1}
    assert [r["name"] for r in data["communities"]] == ["武林商务社区", "天水商务社区"]
    far = row(data, "天水商务社区")
    assert (far["population"], far["enterprises"], far["disputes_resolved"], far["needs_met"],
            far["problems_collected"], far["matters_solved"]) == (50, 2, 1, 0, 1, 0)


def test_business_stats__last_year_zero__yoy_none(stats_data):
    data = section(stats_data.b.far_community)

    assert (data["new_enterprises_1m"], data["new_enterprises_1m_yoy"]) == (1, None)
    assert (data["building_tax"], data["building_tax_yoy"]) == (6000.0, None)
    assert yoy(5, 0) is None and yoy(0, 4) == -1.0


def test_business_stats__street__only_its_communities(stats_data):
    data = section(stats_data.b.tree.other_street)

    assert [r["name"] for r in data["communities"]] == ["天水商务社区"]
    assert (data["enterprises"], data["building_tax"]) == (2, 6000.0)


def test_business_stats__building_scope__its_own_firms_and_tax(stats_data):
    data = section(stats_data.b.office)

    # star and n1 present, absent registered here (not present): operating 3; tax star 40,000 + n1 1,000
    assert (data["business_communities"], data["buildings"], data["enterprises"]) == (0, 1, 3)
    assert (data["new_enterprises_1m"], data["building_tax"], data["communities"]) == (1, 41000.0, [])
    assert (data["occupancy_rate"], data["registered_here_rate"]) == (0.9, 1.0)


def test_tax_months__partial_months__only_whole_ones():
    assert tax_months(Period(datetime.date(2024, 1, 15), datetime.date(2024, 4, 29))) == ([(2024, 2), (2024, 3)], [])
    assert tax_months(Period(datetime.date(2023, 12, 1), datetime.date(2024, 2, 29))) == (
        [(2023, 12), (2024, 1), (2024, 2)], [])
    months, years = tax_months(Period(datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)))
    assert (len(months), years) == (12, [2023])


def test_business_stats__partial_months__counted_months_only(stats_data):
    data = section(stats_data.b.community, Period(datetime.date(2024, 1, 15), datetime.date(2024, 4, 29)))

    assert data["building_tax"] == 26000.0  # February and March: star 20,000, cloud 5,000, n1 1,000


def test_business_stats__whole_year__year_rows_counted_unless_months_exist(stats_data):
    data = section(stats_data.b.community, Period(datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)))

    # star's months 40,000 + cloud's year 120,000 + absent's month 7,000 (its year row left out); 2022: 100,000
    assert (data["building_tax"], data["building_tax_yoy"]) == (167000.0, 0.67)
    assert TaxRecord.objects.filter(enterprise=stats_data.b.absent, year=2023, month=0).exists()


def test_business_stats__first_year_setting__its_window_for_that_community(stats_data):
    b = stats_data.b
    Setting.objects.create(key=FIRST_YEAR_SETTING, value={"place": b.community.code, "name": b.community.name,
                                                          "from": "2023-06-01", "to": "2023-12-31"})
    data = section(b.tree.district)

    mine, far = row(data, "武林商务社区"), row(data, "天水商务社区")
    assert (mine["disputes_resolved"], mine["needs_met"], mine["cases_from"], mine["cases_to"]) == (
        1, 0, "2023-06-01", "2023-12-31")  # c2, closed 2023-12-31 23:00 local
    assert (mine["matters_solved"], mine["problems_collected"]) == (2, 2)
    assert (far["disputes_resolved"], "cases_from" in far) == (1, False)


def test_first_year_setting__same_key_as_the_case_demo():
    from commonground.cases.demo import FIRST_YEAR_SETTING as CASES_KEY

    assert FIRST_YEAR_SETTING == CASES_KEY


def test_build_report__business_section__rows_merged_with_activities(stats_data):
    report = build_report(scope=stats_data.b.tree.district, start=PERIOD.start, end=PERIOD.end)

    business = report["business"]
    assert (business["new_enterprises_1m"], business["building_tax"]) == (3, 52000.0)
    assert [r["name"] for r in business["communities"]] == ["武林商务社区", "天水商务社区"]
    assert all("activities" in r and "population" in r for r in business["communities"])


def test_business_stats__more_rows__same_queries(stats_data):
    b = stats_data.b
    with CaptureQueriesContext(connection) as few:
        business_stats(b.tree.district, PERIOD)
    extra = place_create(code="330105001-BC09", name="新建商务社区", kind=PlaceKind.BUSINESS_COMMUNITY,
                         parent=b.tree.street)
    tower = place_create(code="330105001-BC09-OB01", name="新建大厦", kind=PlaceKind.OFFICE_BUILDING, parent=extra,
                         floor_area_m2=Decimal("9000"))
    for n in range(8):
        firm = enterprise_create(actor=b.staff, credit_code=make_credit_code(100 + n), name=f"批量公司{n}",
                                 registered_on=datetime.date(2024, 1, 2), registered_capital=Decimal("1500000"),
                                 building=tower)
        tax_record_set(actor=b.staff, enterprise=firm, year=2024, month=1, amount=Decimal("100"))
    with CaptureQueriesContext(connection) as many:
        stats = business_stats(b.tree.district, PERIOD)

    assert stats.total.new_1m == 11
    assert len(many.captured_queries) == len(few.captured_queries) <= 8


def test_business_summary__sentences__figures_and_the_first_year_window(stats_data):
    from commonground.core.reporting import report_summary

    b = stats_data.b
    Setting.objects.create(key=FIRST_YEAR_SETTING, value={"place": b.community.code, "name": b.community.name,
                                                          "from": "2023-06-01", "to": "2023-12-31"})
    sentences = report_summary("business", section(b.tree.district))

    assert sentences[:3] == [
        "2 business communities with 3 office buildings serve 9 operating enterprises.",
        "3 new enterprises with a registered capital of ¥1m or more were registered (+200.00% on the year before), "
        "with 0.10 hundred million yuan of registered capital.",
        "The building economy paid 0.00 hundred million yuan of tax (+62.50% on the same months of the year before); "
        "occupancy is 83.8%, and 75.0% of the firms present are registered where they are."]
    assert "武林商务社区 resolved 1 disputes and met 0 enterprise needs from 2023-06-01 to 2023-12-31." in sentences
    far = report_summary("business", section(b.far_community))
    assert "a year earlier there were none to compare with" in far[1]
