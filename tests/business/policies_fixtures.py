"""A published district package with three policies over the `business` fixture's firms, and the enterprise demand
categories.

    policy_capital  registered capital ≥ ¥2m, last year's tax ≥ ¥100,000     → 星河科技 (tax 2023: ¥150,000)
    policy_young    age ≤ 3 years, industry F                                 → 云帆贸易
    policy_all      no rules (operating firms)                                → every active firm
Its window: 2024-01-01..2024-12-31 (TODAY is 2024-05-06).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from commonground.business.models import Policy, PolicyPackage
from commonground.business.services.ledgers import tax_record_set
from commonground.business.services.policies import (
    policy_create,
    policy_package_create,
    policy_package_publish,
)
from commonground.cases.services.categories import category_seed
from commonground.core.models import RoleKind, User

WINDOW = (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))


@dataclass
class Policies:
    admin: User
    package: PolicyPackage
    capital: Policy
    young: Policy
    everyone: Policy


@pytest.fixture
def policies(business, make_user) -> Policies:
    category_seed()
    admin = make_user(RoleKind.DISTRICT_ADMIN, business.tree.district)
    tax_record_set(actor=business.staff, enterprise=business.star, year=2023, month=0, amount=Decimal("150000"))
    tax_record_set(actor=business.staff, enterprise=business.cloud, year=2023, month=11, amount=Decimal("60000"))
    tax_record_set(actor=business.staff, enterprise=business.cloud, year=2023, month=12, amount=Decimal("50000"))
    package = policy_package_create(actor=admin, place=business.tree.district, name="楼宇服务二十条",
                                    issuer_text="区商务局", issued_on=datetime.date(2024, 1, 1))
    capital = policy_create(actor=admin, package=package, number=1, title="总部企业奖励", dimension="economy",
                            benefit="一次性奖励20万元", amount=Decimal("200000"), opens_on=WINDOW[0],
                            closes_on=WINDOW[1],
                            rules=[{"field": "registered_capital", "op": "ge", "value": 2000000},
                                   {"field": "last_year_tax", "op": "ge", "value": 100000}])
    young = policy_create(actor=admin, package=package, number=2, title="初创企业房租补贴", dimension="economy",
                          opens_on=WINDOW[0], closes_on=WINDOW[1],
                          rules=[{"field": "age_years", "op": "le", "value": 3},
                                 {"field": "industry", "op": "prefix", "value": ["F"]}])
    everyone = policy_create(actor=admin, package=package, number=3, title="党群服务阵地开放", dimension="party",
                             opens_on=WINDOW[0], closes_on=WINDOW[1])
    package = policy_package_publish(actor=admin, package=package)
    return Policies(admin, package, capital, young, everyone)
