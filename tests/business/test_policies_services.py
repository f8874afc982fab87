"""Policies: matching in bulk agrees with the evaluator, notices, applications and their refusals, outcomes, the
firm's own demands as cases, and who sees what."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from commonground.business import policy_rules
from commonground.business.models import ApplicationStatus, EnterpriseDemand, PolicyApplication, PolicyNotice
from commonground.business.policies_selectors import (
    access_application,
    eligible_enterprises,
    enterprise_demands,
    enterprise_facts,
    enterprise_policies,
    packages_visible,
)
from commonground.business.services.policies import (
    enterprise_demand_file,
    policy_application_create,
    policy_application_decide,
    policy_application_withdraw,
    policy_create,
    policy_notify,
    policy_update,
)
from commonground.cases.models import Category, Notification, NotificationKind
from commonground.core.models import RoleKind
from tests.conftest import start_clock_on

from .business_fixtures import TODAY

pytestmark = pytest.mark.django_db


def names(firms):
    return sorted(firm.name for firm in firms)


def test_eligible_enterprises__each_policy__the_firms_its_rules_find(business, policies):
    assert names(eligible_enterprises(business.staff, policies.capital)) == ["杭州星河科技有限公司"]
    assert names(eligible_enterprises(business.staff, policies.young)) == ["杭州云帆贸易有限公司"]
    assert names(eligible_enterprises(business.staff, policies.everyone)) == sorted(
        [business.star.name, business.cloud.name, business.absent.name])


def test_eligible_enterprises__bulk_agrees_with_evaluator_for_every_firm_and_policy(business, policies):
    from commonground.business.models import Enterprise

    for policy in (policies.capital, policies.young, policies.everyone):
        bulk = set(eligible_enterprises(policies.admin, policy).values_list("pk", flat=True))
        one_by_one = {firm.pk for firm in Enterprise.objects.all()
                      if policy_rules.evaluate(policy.rules, enterprise_facts(firm), TODAY).eligible}
        assert bulk == one_by_one, policy.title


def test_eligible_enterprises__place_rules__by_building_and_community_code(business, policies):
    policy = policy_create(actor=policies.admin, package=policies.package, number=9, title="武林大厦专项",
                           dimension="city", rules=[{"field": "building", "op": "in", "value": [business.office.code]}])
    assert names(eligible_enterprises(business.staff, policy)) == sorted([business.star.name, business.absent.name])
    policy = policy_update(actor=policies.admin, policy=policy, rules=[
        {"field": "business_community", "op": "eq", "value": business.far_community.code}])
    assert names(eligible_enterprises(policies.admin, policy)) == [business.far.name]
    assert names(eligible_enterprises(business.staff, policy)) == []  # the far street's firm is not theirs


def test_eligible_enterprises__other_street_staff__none_of_this_street(business, policies):
    assert names(eligible_enterprises(business.far_staff, policies.everyone)) == [business.far.name]
    assert names(eligible_enterprises(business.far_staff, policies.capital)) == []


def test_enterprise_facts__tax_from_whole_year_else_months(business, policies):
    assert enterprise_facts(business.star).last_year_tax == Decimal("150000.00")
    assert enterprise_facts(business.cloud).last_year_tax == Decimal("110000.00")
    assert enterprise_facts(business.far).last_year_tax == Decimal("0")
    assert enterprise_facts(business.star).building_code == business.office.code
    assert enterprise_facts(business.star).business_community_code == business.community.code


def test_policy_notify__twice__firms_told_once_and_contacts_notified(business, policies):
    assert policy_notify(actor=business.staff, policy=policies.capital) == 1
    assert policy_notify(actor=business.staff, policy=policies.capital) == 0
    assert list(PolicyNotice.objects.values_list("enterprise__name", flat=True)) == [business.star.name]
    notification = Notification.objects.get(user=business.contact)
    assert notification.kind == NotificationKind.POLICY
    assert "总部企业奖励" in notification.message


def test_policy_application_create__eligible_open_once__applied(business, policies):
    application = policy_application_create(actor=business.contact, enterprise=business.star,
                                            policy=policies.capital, note="申请")
    assert (application.status, application.applied_on, application.street_path) == (
        ApplicationStatus.APPLIED, TODAY, business.tree.street.path)
    assert application.history.count() == 1


@pytest.mark.parametrize("case", ["second", "closed", "not_eligible", "not_published"])
def test_policy_application_create__refused__nothing_changed(business, policies, nothing_written, case):
    policy, actor = policies.capital, business.contact
    if case == "second":
        policy_application_create(actor=business.contact, enterprise=business.star, policy=policy)
    if case == "closed":
        start_clock_on(datetime.date(2025, 1, 2))
    if case == "not_eligible":
        policy = policies.young
    if case == "not_published":
        policies.package.status = "draft"
        policies.package.published_at = None
        policies.package.save()
        actor = policies.admin  # a contact does not see a draft at all (403)
    with nothing_written(), pytest.raises(ValidationError) as error:
        policy_application_create(actor=actor, enterprise=business.star, policy=policy)
    message = error.value.message_dict["policy"]
    expected = {"second": ["The enterprise has already applied for this policy."],
                "closed": ["Applications for this policy are not open today."],
                "not_eligible": ["Needs years since registration at most 3; the firm has 4.",
                                 "Needs industry code starting with F; the firm has I6510."],
                "not_published": ["This policy is not published."]}[case]
    assert message == expected


def test_policy_application_create__contact_for_another_firm__refused(business, policies, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied):
        policy_application_create(actor=business.contact, enterprise=business.cloud, policy=policies.young)


def test_policy_application_decide__approved_with_amount__recorded(business, policies):
    application = policy_application_create(actor=business.contact, enterprise=business.star, policy=policies.capital)
    decided = policy_application_decide(actor=business.staff, application=application, status="approved",
                                        granted_amount=Decimal("200000"), note="通过")
    assert (decided.status, decided.granted_amount, decided.decided_on, decided.decided_by) == (
        ApplicationStatus.APPROVED, Decimal("200000.00"), TODAY, business.staff)
    with pytest.raises(ValidationError):
        policy_application_decide(actor=business.staff, application=decided, status="rejected", note="改主意")


def test_policy_application_decide__by_contact_or_other_street__refused(business, policies, nothing_written):
    application = policy_application_create(actor=business.contact, enterprise=business.star, policy=policies.capital)
    with nothing_written():
        with pytest.raises(PermissionDenied):
            policy_application_decide(actor=business.contact, application=application, status="approved")
        with pytest.raises(PermissionDenied):
            policy_application_decide(actor=business.far_staff, application=application, status="approved")
        with pytest.raises(ValidationError) as error:
            policy_application_decide(actor=business.staff, application=application, status="rejected")
    assert error.value.message_dict == {"note": ["Say why the application is rejected."]}


def test_policy_application_withdraw__by_contact__withdrawn(business, policies):
    application = policy_application_create(actor=business.contact, enterprise=business.star, policy=policies.capital)
    assert policy_application_withdraw(actor=business.contact, application=application).status == "withdrawn"


def test_policy_update__closing_day_in_the_past__refused(business, policies, nothing_written):
    with nothing_written(), pytest.raises(ValidationError) as error:
        policy_update(actor=policies.admin, policy=policies.capital, closes_on=TODAY - datetime.timedelta(days=1))
    assert error.value.message_dict == {"closes_on": ["The closing day cannot be in the past."]}


def test_policy_create__by_street_staff_at_district_package__refused(business, policies, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied):
        policy_create(actor=business.staff, package=policies.package, number=30, title="x", dimension="party")


def test_packages_visible__draft_only_staff_published_everyone(business, policies, make_user):
    resident = make_user(RoleKind.RESIDENT, business.tree.community)
    assert list(packages_visible(resident)) == [policies.package]
    policies.package.status, policies.package.published_at = "draft", None
    policies.package.save()
    assert list(packages_visible(resident)) == []
    assert list(packages_visible(business.staff)) == []  # a district draft is not the street's
    assert list(packages_visible(policies.admin)) == [policies.package]


def test_enterprise_policies__contact__eligible_and_applications(business, policies):
    policy_application_create(actor=business.contact, enterprise=business.star, policy=policies.everyone)
    section = enterprise_policies(business.contact, business.star)
    assert [(row["policy"].number, row["open"], row["applied"]) for row in section["eligible"]] == [
        (1, True, False), (3, True, True)]
    assert [application.policy.number for application in section["applications"]] == [3]


def test_access_application__contact_of_another_firm__404(business, policies, make_user):
    from commonground.business.models import EnterpriseContact

    application = policy_application_create(actor=business.staff, enterprise=business.cloud, policy=policies.young)
    with pytest.raises(Http404):
        access_application(business.contact, application.pk)
    with pytest.raises(Http404):
        access_application(business.far_staff, application.pk)
    other = make_user(RoleKind.ENTERPRISE_CONTACT, business.other_office)
    EnterpriseContact.objects.create(enterprise=business.cloud, name="李", user=other)
    assert access_application(other, application.pk) == application


def test_enterprise_demand_file__contact__case_at_the_firm_with_firm_as_contact(business, policies):
    category = Category.objects.get(code="enterprise-talent")
    case = enterprise_demand_file(actor=business.contact, enterprise=business.star, category=category,
                                  description="需要招聘三名软件工程师，希望推荐人才渠道。", answers={"positions": "3"})
    assert (case.place, case.reporter, case.contact_name, case.category.code) == (
        business.office, business.contact, business.star.name, "enterprise-talent")
    assert EnterpriseDemand.objects.get(case=case).enterprise == business.star
    assert list(enterprise_demands(business.contact, business.star)) == [case]
    assert list(enterprise_demands(business.staff, business.star)) == [case]
    with pytest.raises(Http404):
        enterprise_demands(business.contact, business.cloud)


def test_enterprise_demand_file__not_the_firms_contact_or_wrong_category__refused(business, policies,
                                                                                   nothing_written):
    talent = Category.objects.get(code="enterprise-talent")
    with nothing_written():
        with pytest.raises(PermissionDenied):
            enterprise_demand_file(actor=business.staff, enterprise=business.star, category=talent,
                                   description="需要招聘三名软件工程师，希望推荐人才渠道。")
        with pytest.raises(PermissionDenied):
            enterprise_demand_file(actor=business.contact, enterprise=business.cloud, category=talent,
                                   description="需要招聘三名软件工程师，希望推荐人才渠道。")
        with pytest.raises(ValidationError) as error:
            enterprise_demand_file(actor=business.contact, enterprise=business.star,
                                   category=Category.objects.get(code="noise-dispute"),
                                   description="需要招聘三名软件工程师，希望推荐人才渠道。")
    assert "category" in error.value.message_dict
    assert PolicyApplication.objects.count() == 0


def test_enterprise_demands__visit_demand__listed_with_filed_ones(business, policies):
    from commonground.business.models import Visit, VisitDemand
    from commonground.cases.services.intake import case_report

    visit = Visit.objects.create(enterprise=business.star, visited_on=TODAY, commissioner=business.commissioner,
                                 place_path=business.star.place_path, street_path=business.star.street_path,
                                 community_path=business.star.community_path)
    raised = case_report(actor=business.contact, category=Category.objects.get(code="enterprise-financing"),
                         description="希望对接银行，申请流动资金贷款五百万元。", place=business.office)
    VisitDemand.objects.create(visit=visit, case=raised)
    filed = enterprise_demand_file(actor=business.contact, enterprise=business.star,
                                   category=Category.objects.get(code="enterprise-registration"),
                                   description="公司注册地址变更到本楼宇，需要办理变更登记。")
    assert list(enterprise_demands(business.staff, business.star)) == [filed, raised]
    assert list(enterprise_demands(business.staff, business.cloud)) == []
