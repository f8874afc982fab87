"""The planner's demo step on small data: a published plan from the demo's today for every business community
with commissioners, the commissioner's visits today among them; nothing when no commissioner is appointed."""

from __future__ import annotations

import datetime

import pytest

from commonground.business.demo import planner as demo_planner
from commonground.business.models import CommissionerAssignment, PlannedVisit, VisitPlan, VisitPlanStatus
from commonground.core.models import RoleKind
from commonground.demo.context import DemoContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def district_user(planning, make_user):
    user = make_user(RoleKind.DISTRICT_ADMIN, planning.tree.district)
    user.username = "district"
    user.save(update_fields=["username"])
    return user


def test_demo_planner__commissioners__published_plan_with_visits_today(planning, district_user):
    CommissionerAssignment.objects.create(commissioner=planning.commissioner, building=planning.office,
                                          valid_from=datetime.date(2023, 1, 1), valid_to=datetime.date(2023, 12, 31))
    ctx = DemoContext(seed=1, business_communities={"武林商务社区": planning.community,
                                                     "天水商务社区": planning.far_community})
    demo_planner.build(ctx)
    plan = VisitPlan.objects.get()
    assert (plan.business_community, plan.starts_on, plan.ends_on, plan.status) == (
        planning.community, datetime.date(2023, 8, 31), datetime.date(2023, 9, 30), VisitPlanStatus.PUBLISHED)
    today = PlannedVisit.objects.filter(plan=plan, commissioner=planning.commissioner, day=datetime.date(2023, 8, 31))
    assert today.count() == 4
    assert ctx.counts["business planned visits"] == 4


def test_demo_planner__no_commissioner__nothing_planned(business, district_user):
    business.commissioner.is_active = False
    business.commissioner.save(update_fields=["is_active"])
    demo_planner.build(DemoContext(seed=1, business_communities={"武林商务社区": business.community}))
    assert VisitPlan.objects.count() == 0
