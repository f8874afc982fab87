"""The visits part's writes: a commissioner records a visit (demands become cases), other departments' visits,
and the commissioner pages' writes. Refusals write nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.business.models import (
    Commissioner,
    CommissionerAssignment,
    Department,
    Visit,
    VisitDemand,
    VisitPlanStatus,
    VisitStatus,
)
from commonground.business.services.commissioners import (
    commissioner_assign,
    commissioner_capacity_set,
    commissioner_deactivate,
    commissioner_unassign,
)
from commonground.business.services.visits import visit_cancel, visit_record, visit_record_other
from commonground.cases.models import Case, Channel, Stage

from .business_fixtures import TODAY

DAY = datetime.timedelta(days=1)


def _record(b, **kwargs):
    values = {"actor": b.commissioner_user, "enterprise": b.star, "visited_on": TODAY, "topics": "经营情况、用工需求",
              "feedback": "希望解决停车难"}
    values.update(kwargs)
    return visit_record(**values)


def test_visit_record__demands__each_becomes_a_case_at_the_firms_building(business, visit_plan):
    b = business
    visit = _record(b, planned_visit=visit_plan.today_star, demands=[
        {"category_code": "enterprise-parking", "description": "员工停车位不足，需要20个车位",
         "answers": {"spaces_needed": 20}},
        {"category_code": "policy-enquiry", "description": "咨询楼宇服务二十条的申报时间"}])
    assert (visit.department, visit.status, visit.commissioner, visit.recorded_by) == (
        Department.COMMISSIONER, VisitStatus.DONE, b.commissioner, b.commissioner_user)
    assert (visit.place_path, visit.community_path, visit.street_path) == (
        b.office.path, b.community.path, b.tree.street.path)
    cases = [d.case for d in VisitDemand.objects.filter(visit=visit).select_related("case__category")]
    assert [c.category.code for c in cases] == ["enterprise-parking", "policy-enquiry"]
    assert {(c.place_id, c.channel, c.recorded_by_id, c.contact_name, c.stage) for c in cases} == {
        (b.office.pk, Channel.STAFF, b.commissioner_user.pk, "杭州星河科技有限公司", Stage.COLLECT)}
    assert cases[0].answers == {"spaces_needed": "20"}
    visit_plan.today_star.refresh_from_db()
    assert visit_plan.today_star.visit == visit
    assert visit.history.count() == 1


def test_visit_record__no_demands__a_visit_alone(business, demand_categories):
    visit = _record(business)
    assert visit.demands.count() == 0 and Case.objects.count() == 0


@pytest.mark.parametrize("change, field", [
    ({"visited_on": TODAY + DAY}, "visited_on"),
    ({"topics": "  "}, "topics"),
    ({"demands": [{"category_code": "noise-dispute", "description": "楼上装修噪音很大"}]}, "demands.0.category_code"),
    ({"demands": [{"category_code": "policy-enquiry", "description": "短"}]}, "demands.0.description"),
    ({"demands": [{"category_code": "enterprise-talent", "description": "招聘二十名软件工程师"},
                  {"category_code": "enterprise-parking", "description": "需要更多车位"}]},
     "demands.1.answers.spaces_needed"),
])
def test_visit_record__invalid__refused_and_nothing_written(business, visit_plan, nothing_written, change, field):
    with nothing_written(), pytest.raises(ValidationError) as error:
        _record(business, planned_visit=visit_plan.today_star, **change)
    assert field in error.value.message_dict


def test_visit_record__firm_outside_their_buildings__refused(business, demand_categories, nothing_written):
    b = business
    with nothing_written(), pytest.raises(PermissionDenied):
        _record(b, enterprise=b.cloud)
    with nothing_written(), pytest.raises(PermissionDenied):
        _record(b, enterprise=b.far)


def test_visit_record__staff_not_commissioner__refused(business, demand_categories, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied):
        _record(business, actor=business.staff)


def test_visit_record__planned_visit_recorded_twice__refused(business, visit_plan, nothing_written):
    b = business
    _record(b, planned_visit=visit_plan.today_star)
    with nothing_written(), pytest.raises(ValidationError) as error:
        _record(b, planned_visit=visit_plan.today_star)
    assert error.value.message_dict["planned_visit"] == ["This planned visit is recorded already."]


def test_visit_record__plan_not_in_force__refused(business, visit_plan, nothing_written):
    visit_plan.plan.status = VisitPlanStatus.DRAFT
    visit_plan.plan.save()
    with nothing_written(), pytest.raises(ValidationError) as error:
        _record(business, planned_visit=visit_plan.today_star)
    assert error.value.message_dict["planned_visit"] == ["This is not a visit planned for you to this enterprise."]


def test_visit_record__inactive_commissioner__refused(business, demand_categories, nothing_written):
    b = business
    commissioner_deactivate(actor=b.staff, commissioner=b.commissioner)
    with nothing_written(), pytest.raises(PermissionDenied):
        _record(b)


def test_visit_record_other__future_day__planned(business):
    b = business
    visit = visit_record_other(actor=b.staff, enterprise=b.cloud, department=Department.TAX,
                               visited_on=TODAY + 10 * DAY, visitor_name="区税务局 王科长", topics="纳税辅导")
    assert (visit.status, visit.commissioner, visit.place_path) == (VisitStatus.PLANNED, None, b.other_office.path)
    done = visit_record_other(actor=b.staff, enterprise=b.cloud, department=Department.POLICE, visited_on=TODAY,
                              visitor_name="湖墅派出所")
    assert done.status == VisitStatus.DONE
    cancelled = visit_cancel(actor=b.staff, visit=visit)
    assert cancelled.status == VisitStatus.CANCELLED


def test_visit_record_other__commissioner_or_other_street__refused(business, nothing_written):
    b = business
    for actor, enterprise in ((b.commissioner_user, b.star), (b.far_staff, b.star), (b.contact, b.star)):
        with nothing_written(), pytest.raises(PermissionDenied):
            visit_record_other(actor=actor, enterprise=enterprise, department=Department.TAX, visited_on=TODAY,
                               visitor_name="税务局")
    with nothing_written(), pytest.raises(ValidationError) as error:
        visit_record_other(actor=b.staff, enterprise=b.star, department=Department.COMMISSIONER, visited_on=TODAY,
                           visitor_name="")
    assert set(error.value.message_dict) == {"department", "visitor_name"}


def test_visit_cancel__done_visit__refused(business, nothing_written):
    b = business
    visit = visit_record_other(actor=b.staff, enterprise=b.star, department=Department.MARKET, visited_on=TODAY,
                               visitor_name="市场监管所")
    with nothing_written(), pytest.raises(ValidationError):
        visit_cancel(actor=b.staff, visit=visit)
    with nothing_written(), pytest.raises(PermissionDenied):
        visit_cancel(actor=b.far_staff, visit=visit)


def test_commissioner_unassign__ends_today__firms_out_of_reach(business, demand_categories):
    b = business
    assignment = CommissionerAssignment.objects.get(commissioner=b.commissioner, building=b.office)
    commissioner_unassign(actor=b.staff, assignment=assignment, valid_to=TODAY - DAY)
    assignment.refresh_from_db()
    assert assignment.valid_to == TODAY - DAY
    with pytest.raises(PermissionDenied):
        _record(b)


def test_commissioner_unassign__before_it_began__refused(business, nothing_written):
    b = business
    assignment = CommissionerAssignment.objects.get(commissioner=b.commissioner, building=b.office)
    with nothing_written(), pytest.raises(ValidationError):
        commissioner_unassign(actor=b.staff, assignment=assignment, valid_to=assignment.valid_from - DAY)
    with nothing_written(), pytest.raises(PermissionDenied):
        commissioner_unassign(actor=b.far_staff, assignment=assignment)


def test_commissioner_capacity_set__in_range__saved_else_refused(business, nothing_written):
    b = business
    assert commissioner_capacity_set(actor=b.staff, commissioner=b.commissioner, daily_capacity=8).daily_capacity == 8
    with nothing_written(), pytest.raises(ValidationError):
        commissioner_capacity_set(actor=b.staff, commissioner=b.commissioner, daily_capacity=31)
    with nothing_written(), pytest.raises(PermissionDenied):
        commissioner_capacity_set(actor=b.commissioner_user, commissioner=b.commissioner, daily_capacity=5)


def test_commissioner_deactivate__assignments_end_today(business):
    b = business
    commissioner_assign(actor=b.staff, commissioner=b.commissioner, building=b.apartment)
    commissioner_deactivate(actor=b.staff, commissioner=b.commissioner)
    assert Commissioner.objects.get(pk=b.commissioner.pk).is_active is False
    assert set(CommissionerAssignment.objects.values_list("valid_to", flat=True)) == {TODAY}
    assert Visit.objects.count() == 0
