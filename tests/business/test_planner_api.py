"""The planner's API: the street's staff make a plan, read it with its planned visits and put it in force; other
streets' staff get 404 and nothing in the list; a commissioner may not plan."""

from __future__ import annotations

import pytest

from commonground.business.models import VisitPlan, VisitPlanStatus

from .business_fixtures import TODAY
from .planner_fixtures import WEEK_END

pytestmark = pytest.mark.django_db
API = "/api/business/plans"


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.CG_BUSINESS_PLANNER_SECONDS = 1
    settings.CG_BUSINESS_PLANNER_WORKERS = 1


def _make(client, planning, user):
    client.force_login(user)
    return client.post(API, {"business_community": planning.community.code, "starts_on": TODAY.isoformat(),
                             "ends_on": WEEK_END.isoformat()}, content_type="application/json")


def test_plans_api__staff__make_read_publish(client, planning):
    made = _make(client, planning, planning.staff)
    assert made.status_code == 201
    body = made.json()
    plan = VisitPlan.objects.get()
    assert (body["id"], body["status"], body["starts_on"]) == (plan.pk, "draft", TODAY.isoformat())
    assert {row["enterprise"] for row in body["planned_visits"]} == set(
        plan.planned_visits.values_list("enterprise__credit_code", flat=True)) != set()
    assert client.get(API).json()["items"][0]["id"] == plan.pk
    published = client.post(f"{API}/{plan.pk}/publish")
    assert published.status_code == 200 and published.json()["status"] == VisitPlanStatus.PUBLISHED


def test_plans_api__other_street__404_and_nothing_listed(client, planning):
    _make(client, planning, planning.staff)
    plan = VisitPlan.objects.get()
    client.force_login(planning.far_staff)
    assert client.get(API).json()["items"] == []
    assert client.get(f"{API}/{plan.pk}").status_code == 404
    assert client.post(f"{API}/{plan.pk}/publish").status_code == 404
    assert _make(client, planning, planning.far_staff).status_code == 404
    assert VisitPlan.objects.count() == 1


def test_plans_api__commissioner__may_not_plan(client, planning):
    assert _make(client, planning, planning.commissioner_user).status_code == 404
    assert not VisitPlan.objects.exists()
