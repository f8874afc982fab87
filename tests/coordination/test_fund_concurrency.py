"""The fund guard under truly concurrent approvals and payments (threads, each with its own connection, on
PostgreSQL): the committed total never passes the fund's total, the paid total never passes what was approved,
and every approval or payment is all or nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from commonground.coordination.models import Disbursement, Fund, FundProject, FundStage, ProjectReview
from commonground.coordination.services.fund import disbursement_record, fund_project_review
from commonground.core import clock
from tests.coordination.fund_fixtures import DAY, at, pdf
from tests.deliberation.test_ballot_concurrency import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises every writer, so there is no race to test"),
]

PROJECTS = 50
ASK = [{"item": "楼道灯", "quantity": "1", "unit": "项", "unit_price": "3000"}]  # 50 × 3,000 > 100,000


def test_fund_project_review__fifty_approvals_at_once__committed_never_beyond_total(fund_world):
    projects = [fund_world.street_approved(title=f"楼道灯改造{n}", lines=ASK) for n in range(PROJECTS)]

    def approve(i: int):
        with clock.frozen_at(at(DAY, 16)):
            return fund_project_review(actor=fund_world.office, project=projects[i], decision="approve")

    results = race(PROJECTS, approve)

    won = [r for r in results if isinstance(r, FundProject)]
    lost = [r for r in results if isinstance(r, ValidationError)]
    assert (len(won), len(lost)) == (33, 17), [repr(r) for r in results if not isinstance(r, FundProject)]
    assert all("this project needs ¥3,000.00" in str(error) for error in lost)
    fund = Fund.objects.get(pk=fund_world.fund.pk)
    assert fund.committed == Decimal("99000.00") <= fund.total
    approved = FundProject.objects.filter(fund=fund, stage=FundStage.APPROVED)
    assert approved.count() == 33
    assert approved.aggregate(s=Sum("approved_amount"))["s"] == fund.committed
    # all or nothing: a refused approval left its project waiting, with no review and no amount
    waiting = FundProject.objects.filter(fund=fund, stage=FundStage.STREET_APPROVED)
    assert waiting.count() == 17 and not waiting.exclude(approved_amount=0).exists()
    assert ProjectReview.objects.filter(level="fund_office").count() == 33


def test_disbursement_record__fifty_payments_at_once__paid_never_beyond_approved(fund_world):
    project = fund_world.approved(lines=[{"item": "议事亭", "quantity": "1", "unit": "座", "unit_price": "10000"}])

    def pay(i: int):
        with clock.frozen_at(at(DAY, 17)):
            return disbursement_record(actor=fund_world.office, project=project, amount=Decimal("300"), paid_on=DAY,
                                       receipt=pdf())

    results = race(PROJECTS, pay)

    paid = [r for r in results if isinstance(r, Disbursement)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(paid), len(refused)) == (33, 17), [repr(r) for r in results if not isinstance(r, Disbursement)]
    project.refresh_from_db()
    fund = Fund.objects.get(pk=fund_world.fund.pk)
    assert project.disbursed_amount == fund.disbursed == Decimal("9900.00")
    assert Disbursement.objects.filter(project=project).aggregate(s=Sum("amount"))["s"] == Decimal("9900.00")
