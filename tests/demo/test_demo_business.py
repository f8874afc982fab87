"""The business communities demo (business/demo/), on the demo the package builds once: the report's `business`
section gives the seed's figures from the ledgers, tax records and cases; 新天地 has its 27 office and 29
serviced-apartment buildings on 1.8m m², over 2,000 firms and over 30,000 people; every credit code is valid."""

from __future__ import annotations

import pytest

from commonground.business.models import Enterprise
from commonground.core.models import Place, PlaceKind
from commonground.core.reporting import build_report
from commonground.core.validators import validate_credit_code

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(demo_built):
    return demo_built[0]


def test_demo_business__report__the_published_figures(demo, db):
    business = build_report()["business"]

    assert (business["business_communities"], business["buildings"]) == (17, 206)
    assert business["enterprises"] == 14260
    assert (business["new_enterprises_1m"], business["new_enterprises_1m_yoy"]) == (3759, 0.4782)
    assert business["new_enterprises_1m_registered_capital"] == 35340000000.0
    assert (business["building_tax"], business["building_tax_yoy"]) == (9113000000.0, 0.0913)


def test_demo_business__xintiandi_and_huijin__the_seed_counts(demo, db):
    rows = {row["name"]: row for row in build_report()["business"]["communities"]}

    xintiandi = rows["新天地商务社区"]
    assert (xintiandi["office_buildings"], xintiandi["apartment_buildings"]) == (27, 29)
    assert xintiandi["floor_area_m2"] == 1800000
    assert xintiandi["population"] > 30000 and xintiandi["enterprises"] > 2000
    assert (xintiandi["disputes_resolved"], xintiandi["needs_met"]) == (286, 123)
    assert xintiandi["activities"] > 370
    huijin = rows["汇金国际商务社区"]
    assert huijin["office_buildings"] == 6
    assert huijin["problems_collected"] == 121 and huijin["matters_solved"] > 150


def test_demo_business__credit_codes__all_valid_and_unique(demo, db):
    codes = list(Enterprise.objects.values_list("credit_code", flat=True))

    assert len(codes) == len(set(codes)) > 14000
    for code in codes:
        validate_credit_code(code)
    assert Place.objects.of_kind(PlaceKind.BUILDING).filter(parent__kind=PlaceKind.BUSINESS_COMMUNITY).count() == 29
