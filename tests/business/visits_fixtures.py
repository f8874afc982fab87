"""The visits part's fixtures: the enterprise demand categories of the case engine, and a plan in force for the
commissioner (赵专员) with two firms planned today — 星河科技 at 武林大厦 (their building) — and one yesterday."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from commonground.business.models import PlannedVisit, VisitPlan, VisitPlanStatus
from commonground.cases.models import Category, CategoryQuestion, Level, QuestionType, ReporterKind

from .business_fixtures import TODAY

ENTERPRISES = [ReporterKind.ENTERPRISE, ReporterKind.STAFF]


@pytest.fixture
def demand_categories(db) -> dict[str, Category]:
    parent = Category.objects.create(code="enterprise", name="企业诉求", sla_hours=40, open_to=ENTERPRISES)
    parking = Category.objects.create(code="enterprise-parking", name="停车需求", parent=parent,
                                      sla_hours=Decimal(40), default_level=Level.COMMUNITY, open_to=ENTERPRISES)
    CategoryQuestion.objects.create(category=parking, key="spaces_needed", label="需要车位数",
                                    type=QuestionType.NUMBER, required=True)
    talent = Category.objects.create(code="enterprise-talent", name="人才服务", parent=parent, sla_hours=40,
                                     default_level=Level.COMMUNITY, open_to=ENTERPRISES)
    enquiry = Category.objects.create(code="policy-enquiry", name="政策咨询", parent=parent, sla_hours=24,
                                      default_level=Level.COMMUNITY, open_to=ENTERPRISES)
    other = Category.objects.create(code="noise-dispute", name="噪音纠纷", sla_hours=40,
                                    open_to=[ReporterKind.RESIDENT, ReporterKind.STAFF])
    return {"parking": parking, "talent": talent, "enquiry": enquiry, "other": other}


@dataclass
class Plan:
    plan: VisitPlan
    today_star: PlannedVisit
    yesterday_star: PlannedVisit


@pytest.fixture
def visit_plan(business, demand_categories) -> Plan:
    b = business
    plan = VisitPlan.objects.create(business_community=b.community, starts_on=TODAY - datetime.timedelta(days=7),
                                    ends_on=TODAY + datetime.timedelta(days=20), status=VisitPlanStatus.PUBLISHED,
                                    community_path=b.community.path, street_path=b.tree.street.path)
    today_star = PlannedVisit.objects.create(
        plan=plan, commissioner=b.commissioner, enterprise=b.star, day=TODAY, order=1,
        reasons=[{"code": "key_monthly", "text": "重点企业每月走访"}], place_path=b.star.place_path)
    yesterday_star = PlannedVisit.objects.create(
        plan=plan, commissioner=b.commissioner, enterprise=b.star, day=TODAY - datetime.timedelta(days=1),
        order=1, reasons=[{"code": "quarterly", "text": "季度走访"}], place_path=b.star.place_path)
    return Plan(plan, today_star, yesterday_star)
