"""The planning service: a plan from the database (required firms, the commissioner's buildings, leave, do-not-
disturb and other departments' visits), publishing, moving and locking visits, re-planning; permissions and the
instance's query count."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.business.models import (
    Department,
    DoNotDisturb,
    LeaveDay,
    PlannedVisit,
    Visit,
    VisitPlan,
    VisitPlanStatus,
    VisitStatus,
)
from commonground.business.services.planning import (
    plan_create,
    plan_instance,
    plan_publish,
    plan_replan,
    planned_visit_lock,
    planned_visit_move,
    planned_visit_unlock,
)
from commonground.core.permissions import visible_to

from .business_fixtures import TODAY
from .planner_fixtures import WEEK_END, add_firms

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.CG_BUSINESS_PLANNER_SECONDS = 1
    settings.CG_BUSINESS_PLANNER_WORKERS = 1


def _visits(plan):
    return sorted((v.enterprise_id, v.commissioner_id, v.day) for v in plan.planned_visits.all())


def test_plan_create__week__due_firms_of_the_commissioners_building_planned(planning):
    plan = plan_create(actor=planning.staff, business_community=planning.community, starts_on=TODAY,
                       ends_on=WEEK_END)
    assert plan.status == VisitPlanStatus.DRAFT
    planned = list(plan.planned_visits.order_by("day", "order"))
    assert {v.enterprise_id for v in planned} == {planning.star.pk, *(f.pk for f in planning.firms)}
    assert {v.commissioner_id for v in planned} == {planning.commissioner.pk}
    assert all(v.place_path == planning.office.path for v in planned)
    # four visits a day at most, grouped: the building is visited on one day
    assert sorted({v.day for v in planned}) == [TODAY]
    star = next(v for v in planned if v.enterprise_id == planning.star.pk)
    assert star.reasons[0]["code"] == "key_monthly"
    assert star.reasons[0]["text"] == f"Key enterprise, visited monthly: no contact yet, due {TODAY}."
    report = plan.solver_report
    # 云帆贸易 (a newcomer at 武林广场, which no commissioner serves) is the floor
    assert (report["required"], report["covered"], report["uncovered"], report["floor"]) == (5, 4, 1, 1)
    assert report["method"] == "cpsat" and report["status"] == "OPTIMAL"
    assert report["working_days"] == 6


def test_plan_create__leave_dnd_and_other_departments_visit__kept_clear(planning):
    LeaveDay.objects.create(commissioner=planning.commissioner, day=TODAY)
    DoNotDisturb.objects.create(enterprise=planning.star, starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=1),
                                place_path=planning.star.place_path)
    tax = Visit.objects.create(enterprise=planning.firms[0], visited_on=TODAY - datetime.timedelta(days=3),
                               department=Department.TAX, status=VisitStatus.DONE, place_path=planning.office.path)
    plan = plan_create(actor=planning.staff, business_community=planning.community, starts_on=TODAY,
                       ends_on=WEEK_END)
    days = {v.enterprise_id: v.day for v in plan.planned_visits.all()}
    assert TODAY not in days.values()
    assert days[planning.star.pk] == TODAY + datetime.timedelta(days=2)
    assert planning.firms[0].pk not in days  # contacted 3 days ago: not due for a quarter, and 14 days apart
    assert tax.pk


def test_plan_create__other_streets_staff__refused_and_nothing_written(planning, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied):
        plan_create(actor=planning.far_staff, business_community=planning.community, starts_on=TODAY,
                    ends_on=WEEK_END)


def test_plan_create__ends_before_start__refused(planning, nothing_written):
    with nothing_written(), pytest.raises(ValidationError) as error:
        plan_create(actor=planning.staff, business_community=planning.community, starts_on=TODAY,
                    ends_on=TODAY - datetime.timedelta(days=1))
    assert error.value.message_dict == {"ends_on": ["The plan cannot end before it starts."]}


def test_plan_create__same_input_twice__same_plan(planning):
    first = plan_create(actor=planning.staff, business_community=planning.community, starts_on=TODAY,
                        ends_on=WEEK_END)
    second = plan_create(actor=planning.staff, business_community=planning.community, starts_on=TODAY,
                         ends_on=WEEK_END)
    assert _visits(first) == _visits(second)


def test_plan_instance__more_firms__same_number_of_queries(planning):
    with CaptureQueriesContext(connection) as few:
        plan_instance(planning.community, TODAY, WEEK_END)
    add_firms(planning, 6, start=200)
    with CaptureQueriesContext(connection) as many:
        instance, _facts = plan_instance(planning.community, TODAY, WEEK_END)
    assert len(instance.firms) == 11
    assert len(many.captured_queries) == len(few.captured_queries)


def test_plan_publish__overlapping_published_plan__superseded(planning):
    old = plan_publish(actor=planning.staff, plan=plan_create(
        actor=planning.staff, business_community=planning.community, starts_on=TODAY, ends_on=WEEK_END))
    new = plan_create(actor=planning.staff, business_community=planning.community,
                      starts_on=TODAY + datetime.timedelta(days=2), ends_on=WEEK_END)
    plan_publish(actor=planning.staff, plan=new)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == (VisitPlanStatus.SUPERSEDED, VisitPlanStatus.PUBLISHED)
    with pytest.raises(ValidationError):
        plan_publish(actor=planning.staff, plan=new)


def test_planned_visit_move__onto_leave_day__refused_and_nothing_changed(planning):
    plan = plan_create(actor=planning.staff, business_community=planning.community, starts_on=TODAY,
                       ends_on=WEEK_END)
    planned = plan.planned_visits.get(enterprise=planning.star)
    leave = TODAY + datetime.timedelta(days=3)
    LeaveDay.objects.create(commissioner=planning.commissioner, day=leave)
    with pytest.raises(ValidationError) as error:
        planned_visit_move(actor=planning.staff, planned_visit=planned, day=leave, commissioner=planning.commissioner)
    assert error.value.message_dict == {"day": ["The commissioner is on leave that day."]}
    planned.refresh_from_db()
    assert (planned.day, planned.locked) == (TODAY, False)


def test_planned_visit_move__free_day__moved_and_locked(planning):
    plan = plan_create(actor=planning.staff, business_community=planning.community, starts_on=TODAY,
                       ends_on=WEEK_END)
    planned = plan.planned_visits.get(enterprise=planning.star)
    day = TODAY + datetime.timedelta(days=2)
    planned_visit_move(actor=planning.staff, planned_visit=planned, day=day, commissioner=planning.commissioner)
    planned.refresh_from_db()
    assert (planned.day, planned.locked, planned.reasons[-1]["code"]) == (day, True, "moved")
    with pytest.raises(ValidationError) as error:  # a Sunday
        planned_visit_move(actor=planning.staff, planned_visit=planned, day=WEEK_END,
                           commissioner=planning.commissioner)
    assert error.value.message_dict == {"day": ["Choose a working day within the plan's period."]}


def test_plan_replan__locked_visit__kept_exactly(planning):
    plan = plan_create(actor=planning.staff, business_community=planning.community, starts_on=TODAY,
                       ends_on=WEEK_END)
    planned = plan.planned_visits.get(enterprise=planning.firms[1])
    day = TODAY + datetime.timedelta(days=4)
    planned_visit_move(actor=planning.staff, planned_visit=planned, day=day, commissioner=planning.commissioner)
    new = plan_replan(actor=planning.staff, plan=plan)
    plan.refresh_from_db()
    assert plan.status == VisitPlanStatus.SUPERSEDED
    kept = new.planned_visits.get(enterprise=planning.firms[1])
    assert (kept.day, kept.commissioner_id, kept.locked) == (day, planning.commissioner.pk, True)
    assert new.planned_visits.count() == 4
    planned_visit_unlock(actor=planning.staff, planned_visit=kept)
    kept.refresh_from_db()
    assert kept.locked is False
    planned_visit_lock(actor=planning.staff, planned_visit=kept)
    kept.refresh_from_db()
    assert kept.locked is True


def test_planned_visit_lock__other_streets_staff__refused(planning):
    plan = plan_create(actor=planning.staff, business_community=planning.community, starts_on=TODAY,
                       ends_on=WEEK_END)
    planned = plan.planned_visits.first()
    with pytest.raises(PermissionDenied):
        planned_visit_lock(actor=planning.far_staff, planned_visit=planned)
    planned.refresh_from_db()
    assert planned.locked is False


def test_planned_visits__commissioner__sees_only_their_own(planning):
    plan = plan_create(actor=planning.staff, business_community=planning.community, starts_on=TODAY,
                       ends_on=WEEK_END)
    mine = visible_to(planning.commissioner_user, "visitplan.view", PlannedVisit.objects.all())
    assert mine.count() == plan.planned_visits.count() == 4
    assert visible_to(planning.far_staff, "visitplan.view", PlannedVisit.objects.all()).count() == 0
    assert visible_to(planning.far_staff, "visitplan.view", VisitPlan.objects.all()).count() == 0
