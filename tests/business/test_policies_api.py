"""The policies API: packages, a policy's eligible firms (only the caller's street's), a firm's policies, applying
and deciding — the same refusals as the services, and 404 for what the caller may not see."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.business.models import PolicyApplication
from commonground.business.services.policies import policy_application_create

pytestmark = pytest.mark.django_db


def test_policy_packages__contact__the_published_one(client, business, policies):
    client.force_login(business.contact)
    body = client.get("/api/business/policy-packages").json()
    assert [item["name"] for item in body["items"]] == ["楼宇服务二十条"]
    policies_list = client.get(f"/api/business/policy-packages/{policies.package.pk}/policies").json()
    assert [item["number"] for item in policies_list] == [1, 2, 3]


def test_policy_eligible__other_street_staff__only_their_firms(client, business, policies):
    client.force_login(business.far_staff)
    body = client.get(f"/api/business/policies/{policies.everyone.pk}/eligible").json()
    assert [item["credit_code"] for item in body["items"]] == [business.far.credit_code]
    assert client.get(f"/api/business/policies/{policies.capital.pk}").json()["eligible_count"] == 0
    client.force_login(business.contact)
    assert client.get(f"/api/business/policies/{policies.everyone.pk}/eligible").status_code == 403


def test_enterprise_policies__contact__own_firm_only(client, business, policies):
    client.force_login(business.contact)
    body = client.get(f"/api/business/enterprises/{business.star.credit_code}/policies").json()
    assert [row["policy"]["number"] for row in body["eligible"]] == [1, 3]
    assert client.get(f"/api/business/enterprises/{business.cloud.credit_code}/policies").status_code == 404


def test_policy_applications__apply_twice__second_400_nothing_written(client, business, policies):
    client.force_login(business.contact)
    payload = {"enterprise": business.star.credit_code, "policy": policies.capital.pk}
    first = client.post("/api/business/policy-applications", payload, content_type="application/json")
    assert first.status_code == 200
    second = client.post("/api/business/policy-applications", payload, content_type="application/json")
    assert second.status_code == 400
    assert PolicyApplication.objects.count() == 1
    other = client.post("/api/business/policy-applications",
                        {"enterprise": business.cloud.credit_code, "policy": policies.young.pk},
                        content_type="application/json")
    assert other.status_code == 404
    decided = client.post(f"/api/business/policy-applications/{first.json()['id']}/decision",
                          {"status": "approved"}, content_type="application/json")
    assert decided.status_code == 403


def test_policy_applications_list__far_staff_none__query_count_flat(client, business, policies):
    policy_application_create(actor=business.staff, enterprise=business.star, policy=policies.everyone)
    client.force_login(business.far_staff)
    assert client.get("/api/business/policy-applications").json()["count"] == 0
    client.force_login(business.staff)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/business/policy-applications").json()["count"] == 1
    policy_application_create(actor=business.staff, enterprise=business.cloud, policy=policies.everyone)
    policy_application_create(actor=business.staff, enterprise=business.absent, policy=policies.everyone)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/business/policy-applications").json()["count"] == 3
    assert len(many) == len(one)
