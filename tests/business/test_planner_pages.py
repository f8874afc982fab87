"""The planner's pages: the plans list with its form, the plan's calendar with reasons and actions; other streets'
staff get 404, a commissioner is not a planner; query counts do not grow with the plan."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.business.models import VisitPlan, VisitPlanStatus
from commonground.business.services.planning import plan_create

from .business_fixtures import TODAY
from .planner_fixtures import WEEK_END, add_firms

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.CG_BUSINESS_PLANNER_SECONDS = 1
    settings.CG_BUSINESS_PLANNER_WORKERS = 1


def _client(client, user):
    client.force_login(user)
    return client


def _plan(planning):
    return plan_create(actor=planning.staff, business_community=planning.community, starts_on=TODAY,
                       ends_on=WEEK_END)


def test_plans_page__staff__form_makes_a_week_plan(client, planning):
    c = _client(client, planning.staff)
    page = c.get(reverse("business:plans"))
    assert page.status_code == 200
    assert "Make a plan" in page.content.decode()
    response = c.post(reverse("business:plans"), {"community": planning.community.pk, "period": "week",
                                                  "starts_on": TODAY.isoformat()})
    plan = VisitPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("business:plan", args=[plan.pk])
    assert (plan.starts_on, plan.ends_on, plan.status) == (TODAY, WEEK_END, VisitPlanStatus.DRAFT)


def test_plan_page__staff__calendar_reasons_and_report(client, planning):
    plan = _plan(planning)
    page = _client(client, planning.staff).get(reverse("business:plan", args=[plan.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "赵专员" in html and "武林大厦" in html and "杭州星河科技有限公司" in html
    assert "Key enterprise, visited monthly" in html
    assert "5 firms need a visit in this period; 4 are planned, 1 are not." in html
    assert "Publish the plan" in html


def test_plan_page__more_visits__same_number_of_queries(client, planning):
    c = _client(client, planning.staff)
    few = _plan(planning)
    c.get(reverse("business:plan", args=[few.pk]))
    with CaptureQueriesContext(connection) as small:
        c.get(reverse("business:plan", args=[few.pk]))
    add_firms(planning, 8, start=300)
    many = _plan(planning)
    assert many.planned_visits.count() > few.planned_visits.count()
    with CaptureQueriesContext(connection) as large:
        c.get(reverse("business:plan", args=[many.pk]))
    assert len(large.captured_queries) == len(small.captured_queries)
    with CaptureQueriesContext(connection) as listing:
        c.get(reverse("business:plans"))
    assert len(listing.captured_queries) <= len(small.captured_queries) + 5


def test_plan_page__other_streets_staff__404_and_not_listed(client, planning):
    plan = _plan(planning)
    c = _client(client, planning.far_staff)
    assert c.get(reverse("business:plan", args=[plan.pk])).status_code == 404
    assert c.post(reverse("business:plan-publish", args=[plan.pk])).status_code == 404
    planned = plan.planned_visits.first()
    assert c.post(reverse("business:planned-visit-lock", args=[planned.pk])).status_code == 404
    listing = c.get(reverse("business:plans")).content.decode()
    assert "武林商务社区" not in listing
    plan.refresh_from_db()
    assert plan.status == VisitPlanStatus.DRAFT


def test_plans_page__commissioner__403_and_plan_404(client, planning):
    plan = _plan(planning)
    c = _client(client, planning.commissioner_user)
    assert c.get(reverse("business:plans")).status_code == 403
    assert c.get(reverse("business:plan", args=[plan.pk])).status_code == 404


def test_plan_page__publish_move_lock_replan(client, planning):
    plan = _plan(planning)
    c = _client(client, planning.staff)
    planned = plan.planned_visits.get(enterprise=planning.star)
    day = TODAY + datetime.timedelta(days=1)
    c.post(reverse("business:planned-visit-move", args=[planned.pk]),
           {"day": day.isoformat(), "commissioner": planning.commissioner.pk})
    planned.refresh_from_db()
    assert (planned.day, planned.locked) == (day, True)
    c.post(reverse("business:planned-visit-lock", args=[planned.pk]), {"locked": "0"})
    planned.refresh_from_db()
    assert planned.locked is False
    c.post(reverse("business:plan-publish", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == VisitPlanStatus.PUBLISHED
    response = c.post(reverse("business:plan-replan", args=[plan.pk]))
    new = VisitPlan.objects.exclude(pk=plan.pk).get()
    assert response["Location"] == reverse("business:plan", args=[new.pk])
    assert new.status == VisitPlanStatus.DRAFT
