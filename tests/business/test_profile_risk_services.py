"""Retention warnings from the ledger and the case engine: the signals read from records, a run opening a warning
and its commissioner task, keeping it on the next run, clearing it when the firm falls below, the planner's
question, permissions, and a run's query count independent of the number of firms."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.business.models import Enterprise, RiskAssessment, RiskStatus
from commonground.business.risk_selectors import enterprises_at_risk, risk_signals, risks_visible
from commonground.business.services.ledgers import enterprise_create, enterprise_update
from commonground.business.services.risk import risk_assess, risk_assess_all
from commonground.cases.models import Case, Stage

from .business_fixtures import TODAY, make_credit_code
from .profile_fixtures import make_contact_case, make_demand, make_visit, tax

pytestmark = pytest.mark.django_db


def signals_of(firm):
    return risk_signals(Enterprise.objects.filter(pk=firm.pk))[firm.pk]


def at_risk(business, firm):
    """Lease ending (20), a registration move announced (30) and tax down 90% (30): 80 points, threshold 60."""
    enterprise_update(actor=business.staff, enterprise=firm, lease_ends_on=TODAY + datetime.timedelta(days=30),
                      registration_move_announced_on=TODAY - datetime.timedelta(days=2))
    tax(firm, TODAY.year - 1, 1, 1000)
    tax(firm, TODAY.year, 1, 100)


def test_risk_signals__tax_same_months_year_on_year__annual_totals_and_later_months_ignored(business):
    tax(business.star, 2023, 1, 1000)
    tax(business.star, 2023, 5, 1000)
    tax(business.star, 2023, 6, 9999)  # after this year's current month (May)
    tax(business.star, 2023, 0, 50000)  # a year's total has no months
    tax(business.star, 2024, 3, 700)
    signals = signals_of(business.star)
    assert (signals.tax_this_year, signals.tax_last_year) == (700, 2000)


def test_risk_signals__headcount_from_history_a_year_ago(business):
    business.star.history.update(history_date=datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC))
    enterprise_update(actor=business.staff, enterprise=business.star, headcount=60)
    signals = signals_of(business.star)
    assert (signals.headcount, signals.headcount_year_ago) == (60, 80)


def test_risk_signals__firm_unknown_a_year_ago__no_headcount_then(business):
    assert signals_of(business.star).headcount_year_ago is None


def test_risk_signals__demands_from_visits_and_contacts__counted_once_closed_left_out(business, seeded_categories):
    visit = make_visit(business.star, TODAY - datetime.timedelta(days=3), commissioner=business.commissioner)
    make_demand(business.staff, visit, seeded_categories["enterprise-parking"])
    overdue = make_demand(business.staff, visit, seeded_categories["policy-enquiry"], "想了解人才补贴政策的申报")
    Case.objects.filter(pk=overdue.pk).update(is_overdue=True)
    closed = make_demand(business.staff, visit, seeded_categories["enterprise-talent"], "招聘需求已经解决了")
    Case.objects.filter(pk=closed.pk).update(stage=Stage.CLOSED)
    make_contact_case(business.contact, business.office, seeded_categories["enterprise-financing"],
                      "需要银行贷款对接五百万")
    signals = signals_of(business.star)
    assert (signals.demands_open, signals.demands_overdue) == (3, 1)


def test_risk_signals__complaints_at_its_building_in_90_days(business, seeded_categories):
    complaint = seeded_categories["complaint"]
    make_contact_case(business.contact, business.office, complaint)
    make_contact_case(business.contact, business.office, complaint, "空调一直不制冷，投诉物业")
    make_contact_case(business.contact, business.other_office, complaint, "别的楼的事情也投诉一下")
    old = make_contact_case(business.contact, business.office, complaint, "很久以前的投诉内容")
    Case.objects.filter(pk=old.pk).update(created_at=old.created_at - datetime.timedelta(days=91))
    assert signals_of(business.star).complaints == 2


def test_risk_signals__registered_elsewhere_and_absent(business):
    assert signals_of(business.cloud).registered_here is False
    assert signals_of(business.absent).present is False


def test_risk_assess_all__firm_above_threshold__warning_and_task_opened(business, seeded_categories):
    at_risk(business, business.star)
    run = risk_assess_all(actor=business.staff, scope=business.community)
    warning = RiskAssessment.objects.get(enterprise=business.star)
    assert (run.opened, len(run.tasks), warning.score, warning.status) == (1, 1, 80, RiskStatus.OPEN)
    assert [r["code"] for r in warning.reasons] == ["tax_fall", "lease_ending", "registration_move"]
    assert (warning.case.category.code, warning.case.place, warning.case.stage) == (
        "enterprise-retention", business.office, Stage.COLLECT)
    assert warning.case.deadline is not None or warning.case.category.sla_hours == 40
    assert (warning.place_path, warning.community_path) == (business.star.place_path, business.community.path)
    assert enterprises_at_risk([business.star.pk, business.cloud.pk]) == {business.star.pk}


def test_risk_assess_all__run_again__same_warning_no_second_task(business, seeded_categories):
    at_risk(business, business.star)
    risk_assess_all(actor=business.staff, scope=business.community)
    run = risk_assess_all(actor=business.staff, scope=business.community)
    assert (run.opened, run.updated, run.tasks) == (0, 1, [])
    assert RiskAssessment.objects.count() == 1
    assert Case.objects.filter(category__code="enterprise-retention").count() == 1


def test_risk_assess_all__firm_falls_below__warning_cleared_task_stays(business, seeded_categories):
    at_risk(business, business.star)
    risk_assess_all(actor=business.staff, scope=business.community)
    enterprise_update(actor=business.staff, enterprise=business.star, registration_move_announced_on=None)
    run = risk_assess_all(actor=business.staff, scope=business.community)
    warning = RiskAssessment.objects.get(enterprise=business.star)
    assert (run.cleared, warning.status, warning.score) == (1, RiskStatus.CLEARED, 50)
    assert warning.case.stage == Stage.COLLECT
    assert enterprises_at_risk([business.star.pk]) == set()


def test_risk_assess_all__task_closed__warning_handled_no_new_task(business, seeded_categories):
    at_risk(business, business.star)
    risk_assess_all(actor=business.staff, scope=business.community)
    Case.objects.filter(category__code="enterprise-retention").update(stage=Stage.CLOSED)
    run = risk_assess_all(actor=business.staff, scope=business.community)
    assert (run.handled, run.tasks) == (1, [])
    assert RiskAssessment.objects.get().status == RiskStatus.HANDLED


def test_risk_assess_all__other_street_staff__refused_nothing_written(business, seeded_categories, nothing_written):
    at_risk(business, business.star)
    with nothing_written(), pytest.raises(PermissionDenied):
        risk_assess_all(actor=business.far_staff, scope=business.community)


def test_risk_assess__commissioner__refused(business, seeded_categories, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied):
        risk_assess(actor=business.commissioner_user, enterprise=business.star)


def test_risk_assess_all__system_run__task_opened_by_superuser(business, seeded_categories, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw-test-123")
    at_risk(business, business.star)
    run = risk_assess_all(actor=None)
    assert Case.objects.get(pk=run.tasks[0]).recorded_by == admin


def test_risks_visible__each_user__their_warnings(business, seeded_categories):
    at_risk(business, business.star)
    at_risk(business, business.cloud)
    risk_assess_all(actor=business.staff, scope=business.community)

    def names(user):
        return {row.enterprise.name for row in risks_visible(user)}

    assert names(business.staff) == {business.star.name, business.cloud.name}
    assert names(business.commissioner_user) == {business.star.name}  # 武林大厦 only
    assert names(business.far_staff) == set()
    assert names(business.contact) == set()
    assert {row.enterprise.name for row in risks_visible(business.staff, reason="registered_elsewhere")} == {
        business.cloud.name}


def test_risk_assess_all__query_count__same_for_one_and_many_firms(business, seeded_categories):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            risk_assess_all(actor=business.staff, scope=business.community)
        return len(captured)

    first = queries()
    for seq in range(10, 30):
        enterprise_create(actor=business.staff, credit_code=make_credit_code(seq), name=f"测试企业{seq}",
                          registered_on=TODAY, building=business.office, registered_building=business.office,
                          headcount=seq)
    assert queries() == first


def test_assess_risks_task__nightly__assesses_every_firm(business, seeded_categories, django_user_model):
    from commonground.business.tasks import assess_risks_task
    from commonground.config.celery import app

    django_user_model.objects.create_superuser("root", password="pw-test-123")
    at_risk(business, business.star)
    assert assess_risks_task() == {"assessed": 4, "opened": 1, "updated": 0, "cleared": 0, "handled": 0, "tasks": 1}
    assert app.conf.beat_schedule["business-assess-risks"]["task"] == "business.assess_risks"
