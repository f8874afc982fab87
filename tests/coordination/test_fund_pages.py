"""The fund pages: who sees what (404 outside the scope, 403 for a step not theirs), the forms through the
services, the ledger export scoped like the list, the public page without personal data or drafts, and query
counts that stay the same for 1 and N projects."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from commonground.coordination.models import Fund, FundProject, FundStage
from commonground.core import clock
from tests.coordination.fund_fixtures import DAY, at, pdf, png

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_funds_page__committee_member__sees_own_estate_projects_only(fund_world):
    own = fund_world.submitted()
    other = fund_world.submitted(estate=fund_world.tree.neighbour_estate, title="楼道灯改造")

    page = client_of(fund_world.committee).get("/coordination/funds/")

    assert page.status_code == 200
    text = page.content.decode()
    assert own.title in text and other.title not in text
    assert fund_world.fund.name in text


def test_fund_project_page__outside_scope__404(fund_world):
    other = fund_world.submitted(estate=fund_world.tree.neighbour_estate, title="楼道灯改造")
    assert client_of(fund_world.committee).get(f"/coordination/fund-projects/{other.pk}/").status_code == 404
    assert client_of(fund_world.other_street).get(f"/coordination/fund-projects/{other.pk}/").status_code == 404
    assert client_of(fund_world.street).get(f"/coordination/fund-projects/{other.pk}/").status_code == 200


def test_fund_project_act__community_worker_street_review__403_nothing_changed(fund_world, nothing_written):
    project = fund_world.submitted()
    client = client_of(fund_world.community)
    client.post(f"/coordination/fund-projects/{project.pk}/review/", {"decision": "approve", "comment": "同意"})
    with nothing_written():
        answer = client.post(f"/coordination/fund-projects/{project.pk}/review/", {"decision": "approve"})
    assert answer.status_code == 403
    assert FundProject.objects.get(pk=project.pk).stage == FundStage.COMMUNITY_APPROVED


def test_fund_project_act__street_staff_fund_office_review__403(fund_world, nothing_written):
    project = fund_world.street_approved()
    with nothing_written():
        answer = client_of(fund_world.street).post(f"/coordination/fund-projects/{project.pk}/review/",
                                                   {"decision": "approve"})
    assert answer.status_code == 403


def test_fund_project_new__committee_member__draft_with_lines(fund_world):
    client = client_of(fund_world.committee)
    form = client.get(f"/coordination/funds/{fund_world.fund.pk}/projects/new/")
    assert form.status_code == 200
    data = {"estate": fund_world.tree.estate.pk, "title": "楼道声控灯", "description": "更换为LED",
            "resolution": fund_world.resolution.pk, "vote": "",
            "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "50",
            "lines-0-item": "LED声控灯", "lines-0-quantity": "40", "lines-0-unit": "盏", "lines-0-unit_price": "85"}
    with clock.frozen_at(at(DAY)):
        answer = client.post(f"/coordination/funds/{fund_world.fund.pk}/projects/new/", data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    project = FundProject.objects.get(title="楼道声控灯")
    assert (project.requested_amount, project.stage, project.applicant_id) == (
        Decimal("3400.00"), FundStage.DRAFT, fund_world.committee.pk)


def test_fund_project_act__over_commit__page_says_what_is_left(fund_world, nothing_written):
    fund_world.approved(lines=[{"item": "凉亭", "quantity": "1", "unit": "座", "unit_price": "90000"}])
    project = fund_world.street_approved()
    with nothing_written():
        answer = client_of(fund_world.office).post(f"/coordination/fund-projects/{project.pk}/review/",
                                                   {"decision": "approve"})
    assert answer.status_code == 400
    assert "The fund has ¥10,000.00 left; this project needs ¥20,000.50." in answer.content.decode()


def test_fund_project_act__disburse_with_receipt__receipt_served_to_who_sees_it(fund_world):
    project = fund_world.approved()
    with clock.frozen_at(at(DAY, 18)):
        answer = client_of(fund_world.office).post(f"/coordination/fund-projects/{project.pk}/disburse/", {
            "amount": "5000", "paid_on": DAY.isoformat(), "receipt": pdf(), "note": "首付"})
    assert answer.status_code == 302
    payment = project.disbursements.get()
    url = f"/coordination/fund-projects/{project.pk}/receipts/{payment.pk}/"
    served = client_of(fund_world.committee).get(url)
    assert (served.status_code, served["Content-Type"], served["X-Content-Type-Options"]) == (
        200, "application/pdf", "nosniff")
    assert client_of(fund_world.neighbour_committee).get(url).status_code == 404


def test_fund_public__anonymous__submitted_projects_no_personal_data_no_drafts(fund_world):
    fund_world.committee.display_name = "业委会张主任"
    fund_world.committee.save()
    submitted = fund_world.submitted(title="充电棚")
    draft = fund_world.project(title="草稿项目")
    with clock.frozen_at(at(DAY, 12)):
        from commonground.coordination.services.fund import fund_project_review

        fund_project_review(actor=fund_world.community, project=submitted, decision="approve", comment="陈社工同意")

    page = Client().get(f"/coordination/public/funds/{fund_world.fund.pk}/")

    text = page.content.decode()
    assert page.status_code == 200
    assert submitted.title in text and draft.title not in text
    assert "业委会张主任" not in text and "陈社工同意" not in text
    assert fund_world.committee.username not in text and fund_world.community.username not in text
    assert "100,000.00" in text


def test_fund_ledger__street_staff__only_their_street(fund_world):
    own = fund_world.approved(title="本街道项目")
    with clock.frozen_at(at(DAY, 18)):
        from commonground.coordination.services.fund import disbursement_record

        disbursement_record(actor=fund_world.office, project=own, amount=Decimal("100"), paid_on=DAY, receipt=pdf())
    answer = client_of(fund_world.other_street).get(f"/coordination/funds/{fund_world.fund.pk}/ledger.xlsx")
    assert answer.status_code == 200
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1  # the header only: nothing of another street
    answer = client_of(fund_world.street).get(f"/coordination/funds/{fund_world.fund.pk}/ledger.csv")
    text = b"".join(answer.streaming_content).decode("utf-8-sig")
    assert "本街道项目" in text and "100.00" in text


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/coordination/funds/", "/coordination/funds/{fund}/",
                                 "/coordination/public/funds/{fund}/", "/api/coordination/fund-projects",
                                 "/api/coordination/funds"])
def test_fund_lists__one_and_many_projects__same_query_count(fund_world, url):
    client = client_of(fund_world.office)
    url = url.format(fund=fund_world.fund.pk)
    fund_world.approved(title="一")
    one = _queries(client, url)
    for n in range(4):
        fund_world.approved(title=f"多{n}", lines=[{"item": "灯", "quantity": "1", "unit": "个", "unit_price": "10"}])
    assert _queries(client, url) == one


def test_fund_api__lists_scoped__committee_member_own_estate(fund_world):
    own = fund_world.submitted()
    fund_world.submitted(estate=fund_world.tree.neighbour_estate, title="楼道灯改造")
    answer = client_of(fund_world.committee).get("/api/coordination/fund-projects").json()
    assert [item["id"] for item in answer["items"]] == [own.pk] and answer["count"] == 1
    funds = client_of(fund_world.committee).get("/api/coordination/funds").json()
    assert [item["id"] for item in funds["items"]] == [fund_world.fund.pk]


def test_fund_api__review_over_commit__400_with_message(fund_world, nothing_written):
    fund_world.approved(lines=[{"item": "凉亭", "quantity": "1", "unit": "座", "unit_price": "90000"}])
    project = fund_world.street_approved()
    with nothing_written():
        answer = client_of(fund_world.office).post(f"/api/coordination/fund-projects/{project.pk}/review",
                                                   {"decision": "approve"}, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["detail"]["amount"] == ["The fund has ¥10,000.00 left; this project needs ¥20,000.50."]
    assert Fund.objects.get(pk=fund_world.fund.pk).committed == Decimal("90000.00")


def test_fund_api__create_submit_review__same_services(fund_world):
    client = client_of(fund_world.committee)
    with clock.frozen_at(at(DAY)):
        created = client.post("/api/coordination/fund-projects", {
            "fund": fund_world.fund.pk, "estate": fund_world.tree.estate.pk, "title": "议事亭",
            "resolution": fund_world.resolution.pk,
            "lines": [{"item": "木结构议事亭", "quantity": "1", "unit": "座", "unit_price": "38000"}]},
            content_type="application/json")
        assert created.status_code == 200, created.content
        pk = created.json()["id"]
        submitted = client.post(f"/api/coordination/fund-projects/{pk}/submit", content_type="application/json")
    assert submitted.status_code == 200 and submitted.json()["stage"] == "submitted"
    denied = client.post(f"/api/coordination/fund-projects/{pk}/review", {"decision": "approve"},
                         content_type="application/json")
    assert denied.status_code == 403
    detail = client_of(fund_world.office).get(f"/api/coordination/funds/{fund_world.fund.pk}").json()
    assert detail["left"] == "100000.00"


def test_fund_review_cards__each_level__counts_what_waits_for_them(fund_world):
    from commonground.coordination.fund_home import fund_review_cards

    fund_world.submitted(title="待社区")
    fund_world.street_approved(title="待区三方办")
    counts = {name: [card.count for card in fund_review_cards(getattr(fund_world, name))]
              for name in ("community", "street", "office", "committee")}
    # the district administrator holds every permission: the community review of the first counts for them too
    assert counts == {"community": [1], "street": [0], "office": [2], "committee": []}
    page = client_of(fund_world.community).get("/coordination/funds/?awaiting=1")
    assert "待社区" in page.content.decode() and "待区三方办" not in page.content.decode()


def test_fund_public_photo__completed_after_photo_only__others_404(fund_world):
    from commonground.coordination.services.fund import fund_project_complete, project_photo_add

    project = fund_world.approved()
    with clock.frozen_at(at(DAY, 18)):
        before = project_photo_add(actor=fund_world.committee, project=project, kind="before", image=png())
        after = project_photo_add(actor=fund_world.committee, project=project, kind="after", image=png())
    url = f"/coordination/public/funds/{fund_world.fund.pk}/photos/{after.pk}/"
    assert Client().get(url).status_code == 404  # not completed yet
    with clock.frozen_at(at(DAY, 19)):
        fund_project_complete(actor=fund_world.committee, project=project)
    served = Client().get(url)
    assert (served.status_code, served["Content-Type"]) == (200, "image/png")
    assert Client().get(f"/coordination/public/funds/{fund_world.fund.pk}/photos/{before.pk}/").status_code == 404
    assert f"/photos/{after.pk}/" in Client().get(f"/coordination/public/funds/{fund_world.fund.pk}/").content.decode()


def test_fund_projects_of_estate__profile_partial__lists_the_estates_projects(fund_world):
    from django.template.loader import render_to_string

    from commonground.coordination.fund_selectors import fund_projects_of_estate

    own = fund_world.submitted()
    fund_world.submitted(estate=fund_world.tree.neighbour_estate, title="楼道灯改造")
    rows = fund_projects_of_estate(fund_world.tree.estate)
    assert list(rows) == [own]
    html = render_to_string("coordination/_fund_projects_profile.html", {"fund_projects": rows})
    assert own.title in html and "楼道灯改造" not in html and "20,000.50" in html


def test_fund_page__committee_member__sees_the_district_fund_not_its_ledger_of_others(fund_world):
    fund_world.submitted(estate=fund_world.tree.neighbour_estate, title="楼道灯改造")
    page = client_of(fund_world.committee).get(f"/coordination/funds/{fund_world.fund.pk}/")
    assert page.status_code == 200 and "楼道灯改造" not in page.content.decode()
    ledger = client_of(fund_world.committee).get(f"/coordination/funds/{fund_world.fund.pk}/ledger.csv")
    assert "楼道灯改造" not in b"".join(ledger.streaming_content).decode("utf-8-sig")
    assert Client().get(f"/coordination/funds/{fund_world.fund.pk}/").status_code == 302  # login first


def test_fund_api__disbursement_multipart__paid_and_beyond_refused(fund_world):
    project = fund_world.approved()
    client = client_of(fund_world.office)
    url = f"/api/coordination/fund-projects/{project.pk}/disbursements"
    with clock.frozen_at(at(DAY, 18)):
        paid = client.post(url, {"amount": "20000.50", "paid_on": DAY.isoformat(), "note": "尾款", "receipt": pdf()})
        again = client.post(url, {"amount": "1", "paid_on": DAY.isoformat(), "receipt": pdf()})
    assert paid.status_code == 200, paid.content
    assert paid.json()["amount"] == "20000.50"
    assert again.status_code == 400 and "amount" in again.json()["detail"]
    denied = client_of(fund_world.street).post(url, {"amount": "1", "paid_on": DAY.isoformat(), "receipt": pdf()})
    assert denied.status_code == 403
