"""The planner part of the business demo step: for every business community that has commissioners, a plan from
the demo's today (2023-08-31) to 2023-09-30, made by the planning service and published, so the commissioners
have visits today. The demo plans with `rules.planner_demo_seconds()` per community (the greedy plan by default)
to keep the build fast; a manager can re-plan with CP-SAT on the plan's page."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import TYPE_CHECKING

from commonground.core.clock import frozen_at
from commonground.core.models import User

from .. import rules
from ..models import Commissioner
from ..services.planning import plan_create, plan_publish

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
STARTS_ON = datetime.date(2023, 8, 31)
ENDS_ON = datetime.date(2023, 9, 30)


def build(ctx: DemoContext) -> None:
    served = set(Commissioner.objects.filter(is_active=True, business_community__in=list(
        ctx.business_communities.values())).values_list("business_community_id", flat=True))
    if not served:  # the visits part appoints the commissioners; without them there is nothing to plan
        return
    planner = User.objects.get(username="district")
    count = 0
    with frozen_at(datetime.datetime(2023, 8, 31, 9, 0, tzinfo=TZ)):
        for community in sorted(ctx.business_communities.values(), key=lambda place: place.path):
            if community.pk not in served:
                continue
            plan = plan_create(actor=planner, business_community=community, starts_on=STARTS_ON, ends_on=ENDS_ON,
                               seconds=rules.planner_demo_seconds())
            plan_publish(actor=planner, plan=plan)
            count += plan.planned_visits.count()
    ctx.add_count("business planned visits", count)
