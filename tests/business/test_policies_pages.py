"""The policies pages: the noticeboard, a policy with its eligible firms and export, notify, apply, the outcome form,
the contact's own page with filing a demand — who sees what, and query counts that do not grow with rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.business.models import EnterpriseDemand, PolicyApplication, PolicyNotice
from commonground.business.services.ledgers import enterprise_create
from commonground.business.services.policies import policy_application_create
from commonground.core.models import RoleKind

from .business_fixtures import make_credit_code

pytestmark = pytest.mark.django_db


def test_policies_page__resident__sees_the_published_noticeboard(client, business, policies, make_user):
    client.force_login(make_user(RoleKind.RESIDENT, business.tree.community))
    page = client.get(reverse("business:policies"))
    assert page.status_code == 200
    assert "总部企业奖励" in page.content.decode()
    assert reverse("business:policy-package-new") not in page.content.decode()


def test_policy_page__staff__eligible_firms_and_export_only_their_street(client, business, policies):
    client.force_login(business.far_staff)
    page = client.get(reverse("business:policy", args=[policies.everyone.pk]))
    body = page.content.decode()
    assert business.far.name in body and business.star.name not in body
    export = client.get(reverse("business:policy-eligible-export", args=[policies.everyone.pk, "csv"]))
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    assert business.far.credit_code in content and business.star.credit_code not in content
    assert client.get(reverse("business:policy-eligible-export", args=[policies.capital.pk, "xlsx"])).status_code == 200


def test_policy_page__query_count_same_for_1_and_n_firms(client, business, policies):
    client.force_login(business.staff)
    url = reverse("business:policy", args=[policies.everyone.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(5, 10):
        enterprise_create(actor=business.staff, credit_code=make_credit_code(n), name=f"企业{n}",
                          registered_on=datetime.date(2021, 1, 1), building=business.office)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)


def test_applications_page__query_count_same_for_1_and_n(client, business, policies):
    policy_application_create(actor=business.staff, enterprise=business.star, policy=policies.everyone)
    client.force_login(business.staff)
    url = reverse("business:policy-applications")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    policy_application_create(actor=business.staff, enterprise=business.cloud, policy=policies.everyone)
    policy_application_create(actor=business.staff, enterprise=business.absent, policy=policies.everyone)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)


def test_notify_then_apply_then_decide__the_whole_flow(client, business, policies):
    client.force_login(business.staff)
    client.post(reverse("business:policy-notify", args=[policies.capital.pk]))
    assert PolicyNotice.objects.filter(enterprise=business.star, policy=policies.capital).count() == 1
    client.force_login(business.contact)
    mine = client.get(reverse("business:my_enterprise"))
    assert "总部企业奖励" in mine.content.decode()
    client.post(reverse("business:policy-apply", args=[policies.capital.pk]),
                {"enterprise": business.star.credit_code, "next": "mine"})
    application = PolicyApplication.objects.get()
    client.force_login(business.staff)
    response = client.post(reverse("business:policy-application-decide", args=[application.pk]),
                           {"status": "approved", "granted_amount": "200000", "note": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.granted_amount) == ("approved", Decimal("200000.00"))


def test_apply__contact_for_another_firm__404_and_nothing_written(client, business, policies):
    client.force_login(business.contact)
    response = client.post(reverse("business:policy-apply", args=[policies.young.pk]),
                           {"enterprise": business.cloud.credit_code})
    assert response.status_code == 404
    assert PolicyApplication.objects.count() == 0


def test_decide__other_street_staff__404(client, business, policies):
    application = policy_application_create(actor=business.staff, enterprise=business.star, policy=policies.everyone)
    client.force_login(business.far_staff)
    response = client.post(reverse("business:policy-application-decide", args=[application.pk]),
                           {"status": "approved"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == "applied"


def test_my_enterprise__file_a_demand_with_attachment__case_listed(client, business, policies):
    client.force_login(business.contact)
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    png = buffer.getvalue()
    response = client.post(reverse("business:my_enterprise"), {
        "firm": business.star.credit_code, "category": "enterprise-parking",
        "description": "公司新增员工，需要增加五个固定车位。", "q_enterprise-parking_spaces_needed": "5",
        "attachment": SimpleUploadedFile("p.png", png, content_type="image/png")})
    assert response.status_code == 302, response.context["form"].errors
    demand = EnterpriseDemand.objects.get()
    assert (demand.enterprise, demand.case.answers, demand.case.attachments.count()) == (
        business.star, {"spaces_needed": "5"}, 1)
    page = client.get(reverse("business:my_enterprise")).content.decode()
    assert demand.case.number in page


def test_my_enterprise__other_firm_asked__404(client, business, policies):
    client.force_login(business.contact)
    assert client.get(reverse("business:my_enterprise"), {"firm": business.cloud.credit_code}).status_code == 404


def test_my_enterprise__staff__403(client, business, policies):
    client.force_login(business.staff)
    assert client.get(reverse("business:my_enterprise")).status_code == 403


def test_policy_form__staff_of_district__creates_with_rule_rows(client, business, policies):
    client.force_login(policies.admin)
    response = client.post(reverse("business:policy-new", args=[policies.package.pk]), {
        "number": "4", "title": "人才公寓", "dimension": "livelihood", "summary": "", "benefit": "",
        "amount": "", "opens_on": "", "closes_on": "",
        "rules-TOTAL_FORMS": "2", "rules-INITIAL_FORMS": "0", "rules-MIN_NUM_FORMS": "0", "rules-MAX_NUM_FORMS": "20",
        "rules-0-field": "headcount", "rules-0-op": "ge", "rules-0-value": "50",
        "rules-1-field": "industry", "rules-1-op": "prefix", "rules-1-value": "I65，I64"})
    assert response.status_code == 302
    policy = policies.package.policies.get(number=4)
    assert policy.rules == [{"field": "headcount", "op": "ge", "value": 50},
                            {"field": "industry", "op": "prefix", "value": ["I65", "I64"]}]
    bad = client.post(reverse("business:policy-new", args=[policies.package.pk]), {
        "number": "5", "title": "x", "dimension": "city",
        "rules-TOTAL_FORMS": "1", "rules-INITIAL_FORMS": "0", "rules-MIN_NUM_FORMS": "0", "rules-MAX_NUM_FORMS": "20",
        "rules-0-field": "tier", "rules-0-op": "ge", "rules-0-value": "key"})
    assert bad.status_code == 400
    assert not policies.package.policies.filter(number=5).exists()
