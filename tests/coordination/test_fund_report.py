"""The report's fund keys: the fund's total where it is held, approvals and payments where the projects are, in
the period."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from commonground.coordination.fund_report import coordination_fund, fund_summary
from commonground.coordination.services.fund import disbursement_record
from commonground.core import clock
from commonground.core.reporting import Period
from tests.coordination.fund_fixtures import DAY, at, pdf

pytestmark = pytest.mark.django_db
YEAR = Period(datetime.date(2023, 1, 1), datetime.date(2023, 8, 31))


@pytest.fixture
def paid(fund_world):
    project = fund_world.approved()
    with clock.frozen_at(at(DAY, 18)):
        disbursement_record(actor=fund_world.office, project=project, amount=Decimal("5000"), paid_on=DAY,
                            receipt=pdf())
    return project


def test_coordination_fund__district__whole_fund(fund_world, paid):
    assert coordination_fund(fund_world.tree.district, YEAR) == {
        "micro_fund_total": 100000.0, "micro_fund_approved": 20000.5, "micro_fund_disbursed": 5000.0}


def test_coordination_fund__street__its_estates_projects_no_fund_total(fund_world, paid):
    assert coordination_fund(fund_world.tree.street, YEAR) == {
        "micro_fund_total": 0.0, "micro_fund_approved": 20000.5, "micro_fund_disbursed": 5000.0}
    assert coordination_fund(fund_world.tree.other_street, YEAR) == {
        "micro_fund_total": 0.0, "micro_fund_approved": 0.0, "micro_fund_disbursed": 0.0}


def test_coordination_fund__period_before_approval__nothing_approved(fund_world, paid):
    spring = Period(datetime.date(2023, 1, 1), datetime.date(2023, 5, 31))
    assert coordination_fund(fund_world.tree.district, spring) == {
        "micro_fund_total": 100000.0, "micro_fund_approved": 0.0, "micro_fund_disbursed": 0.0}


def test_fund_summary__figures__one_sentence():
    assert fund_summary({"micro_fund_total": 2000000.0, "micro_fund_approved": 1.5, "micro_fund_disbursed": 0.0}) == [
        "The micro-governance fund held here is ¥2,000,000.00; ¥1.50 was approved for estate projects and ¥0.00 "
        "paid out against receipts in the period."]


def test_fund_summary__street_drawing_on_the_district_fund__what_its_estates_got():
    assert fund_summary({"micro_fund_total": 0.0, "micro_fund_approved": 20000.5, "micro_fund_disbursed": 5000.0}) == [
        "Estates here were granted ¥20,000.50 from the micro-governance fund in the period and ¥5,000.00 was paid "
        "out against receipts."]


def test_fund_summary__no_fund_and_nothing_granted__no_sentence():
    assert fund_summary({"micro_fund_total": 0.0, "micro_fund_approved": 0.0, "micro_fund_disbursed": 0.0}) == []
