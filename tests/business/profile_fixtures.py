"""Fixtures of the profile part (企业画像, 安商稳商): the seed case categories (with `enterprise-retention`), and
helpers writing a firm's visits with demands, its contacts' cases, its tax and its headcount a year ago."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from commonground.business.models import Enterprise, Visit, VisitDemand
from commonground.cases.models import Category, Channel
from commonground.cases.services.categories import category_seed
from commonground.cases.services.intake import case_report
from commonground.core.models.places import scope_columns


@pytest.fixture
def seeded_categories(db) -> dict[str, Category]:
    category_seed()
    return {category.code: category for category in Category.objects.all()}


def make_visit(firm: Enterprise, day: datetime.date, *, commissioner=None, department: str = "commissioner",
               topics: str = "经营情况") -> Visit:
    return Visit.objects.create(enterprise=firm, visited_on=day, department=department, commissioner=commissioner,
                                visitor_name="" if commissioner else "税务所王某", topics=topics,
                                **scope_columns(Visit, firm.place_path))


def make_demand(actor, visit: Visit, category: Category, text: str = "希望协调增加停车位十个"):
    case = case_report(actor=actor, category=category, description=text, place=visit.enterprise.building,
                       channel=Channel.STAFF, answers={"spaces_needed": 10} if category.code == "enterprise-parking"
                       else {})
    VisitDemand.objects.create(visit=visit, case=case)
    return case


def make_contact_case(contact, place, category: Category, text: str = "楼道里经常有噪音，影响办公"):
    return case_report(actor=contact, category=category, description=text, place=place)


def tax(firm: Enterprise, year: int, month: int, amount: int) -> None:
    from commonground.business.models import TaxRecord

    TaxRecord.objects.create(enterprise=firm, year=year, month=month, amount=Decimal(amount),
                             **scope_columns(TaxRecord, firm.place_path))
