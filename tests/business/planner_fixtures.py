"""The planner's fixtures: the `business` world with more firms at 武林大厦 (the commissioner's building) and a
week to plan.

    武林大厦 (office, commissioner 赵专员, 4 visits a day): 星河科技 (key firm) and 3 more firms (ordinary, never
    contacted: due now)
    武林广场 (other_office, no commissioner): 云帆贸易, a newcomer that nobody can visit (the floor)
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from commonground.business.services.ledgers import enterprise_create

from .business_fixtures import TODAY, make_credit_code

WEEK_END = TODAY + datetime.timedelta(days=6)  # 2024-05-06..12: six working days (Saturday the 11th is made up)


def add_firms(business, count: int, start: int = 100) -> list:
    return [enterprise_create(actor=business.staff, credit_code=make_credit_code(start + i),
                              name=f"杭州武林第{start + i}号有限公司", registered_on=datetime.date(2021, 1, 1),
                              registered_capital=Decimal("1000000"), building=business.office,
                              registered_building=business.office, headcount=5)
            for i in range(count)]


@pytest.fixture
def planning(business):
    business.firms = add_firms(business, 3)
    return business
