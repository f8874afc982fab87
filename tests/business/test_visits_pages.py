"""The visits part's pages and API: the commissioner's day and record form, the visit list with its exports, a
visit, the commissioners; who sees what (404 outside one's reach), and query counts independent of rows."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.business.models import Department, PlannedVisit, Visit, VisitDemand
from commonground.business.services.visits import visit_record, visit_record_other
from commonground.cases.models import Case

from .business_fixtures import TODAY

DAY = datetime.timedelta(days=1)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _visit(b, enterprise=None, **kwargs):
    return visit_record(actor=b.commissioner_user, enterprise=enterprise or b.star, visited_on=TODAY,
                        topics="经营情况", **kwargs)


def test_my_day__planned_firms_by_building__with_reasons_and_masked_contact(business, visit_plan):
    response = client_for(business.commissioner_user).get(reverse("business:my_day"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "武林大厦" in page and "杭州星河科技有限公司" in page and "重点企业每月走访" in page
    assert "陈**" in page and "139****0009" in page and "13900000009" not in page
    assert f"?planned={business and visit_plan.today_star.pk}" in page
    assert "季度走访" not in page  # yesterday's
    yesterday = client_for(business.commissioner_user).get(reverse("business:my_day") + "?day=" + str(TODAY - DAY))
    assert "季度走访" in yesterday.content.decode()


@pytest.mark.parametrize("who", ["staff", "contact", "far_staff"])
def test_my_day__not_a_commissioner__404(business, visit_plan, who):
    assert client_for(getattr(business, who)).get(reverse("business:my_day")).status_code == 404


def test_record_page__post_with_demand__case_made_and_shown(business, visit_plan):
    b = business
    client = client_for(b.commissioner_user)
    url = reverse("business:visit_record", args=[b.star.credit_code]) + f"?planned={visit_plan.today_star.pk}"
    assert client.get(url).status_code == 200
    data = {"visited_on": str(TODAY), "topics": "用工与停车", "feedback": "总体满意", "planned": visit_plan.today_star.pk,
            "demand-TOTAL_FORMS": "3", "demand-INITIAL_FORMS": "0", "demand-MIN_NUM_FORMS": "0",
            "demand-MAX_NUM_FORMS": "10",
            "demand-0-category_code": "enterprise-parking", "demand-0-description": "需要增加二十个停车位",
            "demand-0-amount": "20", "demand-1-category_code": "", "demand-1-description": "",
            "demand-2-category_code": "", "demand-2-description": ""}
    response = client.post(url, data)
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("business:visit", args=[visit.pk])
    case = VisitDemand.objects.get(visit=visit).case
    assert case.answers == {"spaces_needed": "20"}
    page = client.get(response["Location"]).content.decode()
    assert case.number in page and reverse("cases:detail", args=[case.number]) in page
    assert PlannedVisit.objects.get(pk=visit_plan.today_star.pk).visit == visit
    assert client.get(reverse("cases:detail", args=[case.number])).status_code == 200


def test_record_page__demand_without_description__form_error_nothing_written(business, visit_plan, nothing_written):
    b = business
    url = reverse("business:visit_record", args=[b.star.credit_code])
    data = {"visited_on": str(TODAY), "topics": "用工", "demand-TOTAL_FORMS": "1", "demand-INITIAL_FORMS": "0",
            "demand-0-category_code": "policy-enquiry", "demand-0-description": ""}
    with nothing_written():
        response = client_for(b.commissioner_user).post(url, data)
    assert response.status_code == 200 and "Describe what the enterprise needs." in response.content.decode()


@pytest.mark.parametrize("firm", ["cloud", "far"])
def test_record_page__firm_outside_their_buildings__404(business, demand_categories, firm):
    url = reverse("business:visit_record", args=[getattr(business, firm).credit_code])
    assert client_for(business.commissioner_user).get(url).status_code == 404


def test_visits__each_user__only_their_visits_in_page_export_api(business, demand_categories):
    b = business
    mine = _visit(b)
    other = visit_record_other(actor=b.staff, enterprise=b.cloud, department=Department.TAX, visited_on=TODAY,
                               visitor_name="区税务局")
    far = visit_record_other(actor=b.far_staff, enterprise=b.far, department=Department.POLICE, visited_on=TODAY,
                             visitor_name="派出所")
    expected = {"staff": {mine.pk, other.pk}, "commissioner_user": {mine.pk}, "contact": {mine.pk},
                "far_staff": {far.pk}}
    for who, pks in expected.items():
        client = client_for(getattr(b, who))
        page = client.get(reverse("business:visits"))
        assert page.status_code == 200
        assert {v.pk for v in page.context["page"].object_list} == pks, who
        api = client.get("/api/business/visits").json()
        assert {item["id"] for item in api["items"]} == pks and api["count"] == len(pks), who
        csv = b"".join(client.get(reverse("business:visits_export", args=["csv"])).streaming_content).decode()
        assert len(csv.strip().splitlines()) == 1 + len(pks), who
        for visit in (mine, other, far):
            status = 200 if visit.pk in pks else 404
            assert client.get(reverse("business:visit", args=[visit.pk])).status_code == status, who
            assert client.get(f"/api/business/visits/{visit.pk}").status_code == status, who
    xlsx = client_for(b.staff).get(reverse("business:visits_export", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_visits__filters__department_and_period(business, demand_categories):
    b = business
    _visit(b)
    visit_record_other(actor=b.staff, enterprise=b.cloud, department=Department.TAX, visited_on=TODAY + 5 * DAY,
                       visitor_name="区税务局")
    client = client_for(b.staff)
    rows = client.get(reverse("business:visits"), {"department": "tax"}).context["page"].object_list
    assert [v.department for v in rows] == ["tax"]
    rows = client.get(reverse("business:visits"), {"date_to": str(TODAY)}).context["page"].object_list
    assert [v.department for v in rows] == ["commissioner"]
    api = client.get("/api/business/visits", {"status": "planned"}).json()
    assert [item["status"] for item in api["items"]] == ["planned"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/business/visits/", "/api/business/visits", "/business/visits/export.csv",
                                 "/api/business/commissioners", "/business/commissioners/"])
def test_lists__query_count__same_for_one_and_many_rows(business, demand_categories, url):
    b = business
    client = client_for(b.staff)
    _visit(b, demands=[{"category_code": "policy-enquiry", "description": "咨询人才政策的申报条件"}])
    one = _queries(client, url)
    for _ in range(4):
        _visit(b, demands=[{"category_code": "policy-enquiry", "description": "咨询人才政策的申报条件"}])
        visit_record_other(actor=b.staff, enterprise=b.cloud, department=Department.MARKET, visited_on=TODAY,
                           visitor_name="市场监管所")
    assert _queries(client, url) == one


def test_my_day__query_count__same_for_one_and_many_firms(business, visit_plan):
    b = business
    client = client_for(b.commissioner_user)
    one = _queries(client, "/business/my-day/")
    api_one = _queries(client, "/api/business/my-day")
    for enterprise in (b.absent,):
        PlannedVisit.objects.create(plan=visit_plan.plan, commissioner=b.commissioner, enterprise=enterprise,
                                    day=TODAY, order=2, place_path=enterprise.place_path)
    _visit(b, planned_visit=visit_plan.today_star)
    assert _queries(client, "/business/my-day/") == one
    assert _queries(client, "/api/business/my-day") == api_one


def test_api_record__commissioner__demand_case_in_answer(business, visit_plan):
    b = business
    client = client_for(b.commissioner_user)
    response = client.post("/api/business/visits", json.dumps({
        "enterprise": b.star.credit_code, "visited_on": str(TODAY), "topics": "融资",
        "planned_visit": visit_plan.today_star.pk,
        "demands": [{"category_code": "enterprise-talent", "description": "招聘五名财务人员"}]}),
        content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert body["demands"] == [{"case": case.number, "category": "enterprise-talent", "stage": case.stage,
                                "description": "招聘五名财务人员"}]
    day = client.get("/api/business/my-day").json()
    assert day["buildings"][0]["visits"][0]["recorded"] is True


def test_api_record__firm_outside_reach__404_nothing_written(business, visit_plan, nothing_written):
    b = business
    for user, firm in ((b.commissioner_user, b.cloud), (b.far_staff, b.star), (b.contact, b.star)):
        with nothing_written():
            response = client_for(user).post("/api/business/visits", json.dumps({
                "enterprise": firm.credit_code, "visited_on": str(TODAY), "topics": "经营"}),
                content_type="application/json")
        assert response.status_code in (403, 404), (user, response.content)
    assert client_for(b.contact).get("/api/business/my-day").status_code == 404


def test_commissioners__staff_assign_and_far_staff_404(business, visit_plan):
    b = business
    client = client_for(b.staff)
    url = reverse("business:commissioner", args=[b.commissioner.pk])
    assert client.post(url, {"action": "assign", "building": b.other_office.pk}).status_code == 302
    assert b.commissioner.assignments.filter(building=b.other_office).exists()
    assert client.post(url, {"action": "capacity", "daily_capacity": "7"}).status_code == 302
    b.commissioner.refresh_from_db()
    assert b.commissioner.daily_capacity == 7
    assert client_for(b.far_staff).get(url).status_code == 404
    assert client_for(b.far_staff).get("/api/business/commissioners").json()["count"] == 0
    assert client_for(b.commissioner_user).post(url, {"action": "capacity", "daily_capacity": "9"}).status_code == 403
