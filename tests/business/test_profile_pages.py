"""The enterprise profile page and API (who sees which firm, what a firm sees of itself, masking, a fixed query
count whatever its history) and the retention warnings page (scope, filters, export, re-assessment)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.business.models import RiskAssessment
from commonground.business.services.ledgers import enterprise_update
from commonground.business.services.risk import risk_assess_all

from .business_fixtures import TODAY
from .profile_fixtures import make_contact_case, make_demand, make_visit, tax

pytestmark = pytest.mark.django_db


def profile_url(firm) -> str:
    return reverse("business:enterprise", args=[firm.credit_code])


def login(client, user):
    client.force_login(user)
    return client


def warn(business, firm):
    enterprise_update(actor=business.staff, enterprise=firm, lease_ends_on=TODAY + datetime.timedelta(days=30),
                      registration_move_announced_on=TODAY)
    tax(firm, TODAY.year - 1, 2, 1000)
    tax(firm, TODAY.year, 2, 100)


def test_profile__staff__every_section_and_risk_with_reasons(client, business, seeded_categories):
    warn(business, business.star)
    risk_assess_all(actor=business.staff, scope=business.community)
    visit = make_visit(business.star, TODAY - datetime.timedelta(days=2), commissioner=business.commissioner)
    case = make_demand(business.staff, visit, seeded_categories["enterprise-parking"])
    page = login(client, business.staff).get(profile_url(business.star)).content.decode()
    for section in ("risk", "facts", "tax", "visits", "demands", "activities"):
        assert f'data-section="{section}"' in page
    assert 'data-figure="risk-score">80<' in page
    assert 'data-reason="registration_move"' in page
    assert f'data-case="{case.number}"' in page
    assert 'data-link="risk-task"' in page
    assert "经营情况" in page  # the visit's topics


def test_profile__contacts_masked_without_personal_data_permission(client, business):
    page = login(client, business.commissioner_user).get(profile_url(business.star)).content.decode()
    assert "139****0009" in page and "13900000009" not in page
    assert "陈**" in page


def test_profile__staff_with_personal_data__contacts_in_full(client, business):
    page = login(client, business.staff).get(profile_url(business.star)).content.decode()
    assert "13900000009" in page


def test_profile__enterprise_contact__own_firm_without_risk_nor_visit_notes(client, business, seeded_categories):
    warn(business, business.star)
    risk_assess_all(actor=business.staff, scope=business.community)
    make_visit(business.star, TODAY - datetime.timedelta(days=2), commissioner=business.commissioner,
               topics="内部备注：可能外迁")
    response = login(client, business.contact).get(profile_url(business.star))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-section="risk"' not in page and "内部备注" not in page
    assert 'data-section="visits"' in page


@pytest.mark.parametrize(("who", "firm", "status"), [
    ("contact", "cloud", 404), ("commissioner_user", "cloud", 404), ("commissioner_user", "absent", 200),
    ("far_staff", "star", 404), ("staff", "far", 404)])
def test_profile__outside_their_firms__404(client, business, who, firm, status):
    assert login(client, getattr(business, who)).get(profile_url(getattr(business, firm))).status_code == status


def test_profile_assess__commissioner__403_nothing_written(client, business, nothing_written):
    login(client, business.commissioner_user)
    with nothing_written():
        response = client.post(reverse("business:enterprise_assess", args=[business.star.credit_code]))
    assert response.status_code == 403


def test_profile__queries__same_for_a_short_and_a_long_history(client, business, seeded_categories):
    login(client, business.staff)
    url = profile_url(business.star)
    make_visit(business.star, TODAY - datetime.timedelta(days=9), commissioner=business.commissioner)
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    first = count()
    for day in range(1, 6):
        visit = make_visit(business.star, TODAY - datetime.timedelta(days=day), commissioner=business.commissioner)
        make_demand(business.staff, visit, seeded_categories["enterprise-parking"])
        make_contact_case(business.contact, business.office, seeded_categories["complaint"])
        tax(business.star, TODAY.year - 1, day, 100 * day)
    assert count() == first


def test_profile_api__contact__own_firm_without_risk(client, business):
    body = login(client, business.contact).get(
        f"/api/business/enterprises/{business.star.credit_code}/profile").json()
    assert (body["name"], body["risk"], body["contacts"][0]["phone"]) == (business.star.name, None, "139****0009")
    assert login(client, business.contact).get(
        f"/api/business/enterprises/{business.cloud.credit_code}/profile").status_code == 404


def test_profile_api__staff__risk_computed_now(client, business):
    enterprise_update(actor=business.staff, enterprise=business.star, registration_move_announced_on=TODAY)
    body = login(client, business.staff).get(f"/api/business/enterprises/{business.star.credit_code}/profile").json()
    assert (body["risk"]["score"], body["risk"]["status"], [r["code"] for r in body["risk"]["reasons"]]) == (
        30, None, ["registration_move"])


def test_risks_page__staff__warnings_with_task_and_filters(client, business, seeded_categories):
    warn(business, business.star)
    warn(business, business.cloud)
    risk_assess_all(actor=business.staff, scope=business.community)
    login(client, business.staff)
    page = client.get(reverse("business:risks")).content.decode()
    assert f'data-enterprise="{business.star.credit_code}"' in page
    assert f'data-enterprise="{business.cloud.credit_code}"' in page
    assert page.count('data-link="task"') == 2
    only = client.get(reverse("business:risks") + "?reason=registered_elsewhere").content.decode()
    assert business.cloud.credit_code in only and business.star.credit_code not in only


def test_risks_page__other_street_and_contact__nothing_or_403(client, business, seeded_categories):
    warn(business, business.star)
    risk_assess_all(actor=business.staff, scope=business.community)
    page = login(client, business.far_staff).get(reverse("business:risks")).content.decode()
    assert business.star.credit_code not in page
    export = client.get(reverse("business:risks_export", args=["csv"]))
    assert business.star.credit_code not in b"".join(export.streaming_content).decode()
    assert login(client, business.contact).get(reverse("business:risks")).status_code == 403
    assert login(client, business.contact).get("/api/business/risks").status_code == 403


def test_risks_export__csv__rows_with_reasons(client, business, seeded_categories):
    warn(business, business.star)
    risk_assess_all(actor=business.staff, scope=business.community)
    response = login(client, business.staff).get(reverse("business:risks_export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert business.star.credit_code in text and ",80," in text
    assert login(client, business.staff).get(reverse("business:risks_export", args=["xlsx"])).status_code == 200
    assert client.get(reverse("business:risks_export", args=["pdf"])).status_code == 404


def test_risks_assess__staff_button__warnings_and_tasks_opened(client, business, seeded_categories):
    warn(business, business.star)
    response = login(client, business.staff).post(reverse("business:risks_assess"),
                                                  {"community": business.community.code})
    assert response.status_code == 302
    assert RiskAssessment.objects.get().case is not None


def test_risks_list__queries__same_for_one_and_many(client, business, seeded_categories):
    login(client, business.staff)
    warn(business, business.star)
    risk_assess_all(actor=business.staff, scope=business.community)

    def count(url) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    first = (count(reverse("business:risks")), count("/api/business/risks"))
    warn(business, business.cloud)
    risk_assess_all(actor=business.staff, scope=business.community)
    assert (count(reverse("business:risks")), count("/api/business/risks")) == first
    body = client.get("/api/business/risks").json()
    assert body["count"] == 2 and body["items"][0]["task_case"]


def test_risks_api__commissioner__their_buildings_only(client, business, seeded_categories):
    warn(business, business.star)
    warn(business, business.cloud)
    risk_assess_all(actor=business.staff, scope=business.community)
    body = login(client, business.commissioner_user).get("/api/business/risks").json()
    assert [item["credit_code"] for item in body["items"]] == [business.star.credit_code]
