"""The estate pages, export and API: what each role sees, forms, query counts constant in the number of estates."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from commonground.coordination.models import CommitteeFiling, PropertyContract
from commonground.core.models import PlaceKind
from commonground.core.services.places import place_create


def login(client, user):
    client.force_login(user)
    return client


def test_estates_page__street__both_estates_most_urgent_first(client, estates):
    page = login(client, estates.street).get(reverse("coordination:estates")).content.decode()
    assert page.index('data-estate="330105001002-E1"') < page.index('data-estate="330105001001-E1"')
    assert 'data-figure="formation-rate">50%' in page
    assert 'data-warning="no_committee"' in page


def test_estates_page__committee_member__own_estate_only(client, estates):
    page = login(client, estates.member).get(reverse("coordination:estates")).content.decode()
    assert "竹竿巷小区" in page and "龙游小区" not in page
    assert 'data-figure="estates">1<' in page


def test_estates_page__resident__403(client, estates, make_user):
    from commonground.core.models import RoleKind

    resident = make_user(RoleKind.RESIDENT, estates.tree.estate)
    assert login(client, resident).get(reverse("coordination:estates")).status_code == 403


def test_estates_export__committee_member__own_estate_only(client, estates):
    response = login(client, estates.member).get(reverse("coordination:estates-xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["竹竿巷小区"]
    csv = b"".join(login(client, estates.member).get(reverse("coordination:estates-csv")).streaming_content)
    assert "竹竿巷小区" in csv.decode("utf-8-sig") and "龙游小区" not in csv.decode("utf-8-sig")


def test_estate_page__other_estate__404(client, estates):
    url = reverse("coordination:estate", args=[estates.tree.neighbour_estate.pk])
    assert login(client, estates.member).get(url).status_code == 404
    assert login(client, estates.property).get(url).status_code == 404


def test_estate_page__property_manager__names_masked(client, estates):
    page = login(client, estates.property).get(reverse("coordination:estate", args=[estates.tree.estate.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "张**" in text and "张三" not in text and "13800000001" not in text
    assert "2021-03-01 – 2026-02-28" in text and "2022-01-01 – 2024-12-31" in text
    assert "{# fund" not in text


def test_estate_page__community_worker__names_and_record_links(client, estates):
    text = login(client, estates.manager).get(reverse("coordination:estate", args=[estates.tree.estate.pk])).content
    assert "张三".encode() in text and b'data-action="record-contract"' in text


def test_contract_form__valid__recorded_and_redirected(client, estates):
    url = reverse("coordination:estate-contract", args=[estates.tree.estate.pk])
    response = login(client, estates.manager).post(url, {
        "company": estates.company.pk, "starts_on": "2025-01-01", "ends_on": "2027-12-31", "fee_per_m2": "2.50",
        "service_level": "2", "note": ""})
    assert response.status_code == 302
    assert PropertyContract.objects.filter(estate=estates.tree.estate).count() == 2


def test_contract_form__negative_fee__400_with_message(client, estates):
    url = reverse("coordination:estate-contract", args=[estates.tree.estate.pk])
    response = login(client, estates.manager).post(url, {
        "company": estates.company.pk, "starts_on": "2025-01-01", "ends_on": "2027-12-31", "fee_per_m2": "-1",
        "service_level": "2"})
    assert response.status_code == 400
    assert "The property fee cannot be negative." in response.content.decode()
    assert PropertyContract.objects.count() == 1


def test_contract_form__committee_member__403(client, estates):
    url = reverse("coordination:estate-contract", args=[estates.tree.estate.pk])
    assert login(client, estates.member).get(url).status_code == 403


def test_filing_form__valid__recorded(client, estates):
    url = reverse("coordination:estate-filing", args=[estates.tree.estate.pk])
    response = login(client, estates.manager).post(url, {
        "term_from": "2023-08-01", "term_to": "2028-07-31", "filed_on": "2023-08-20", "members": "7"})
    assert response.status_code == 302
    assert CommitteeFiling.objects.filter(term_from=datetime.date(2023, 8, 1), members=7).count() == 1


def _more_estates(estates, n):
    for i in range(n):
        place_create(code=f"{estates.tree.community.code}-X{i}", name=f"新增小区{i}", kind=PlaceKind.ESTATE,
                     parent=estates.tree.community)


@pytest.mark.parametrize("url_name", ["coordination:estates", "coordination:estates-csv"])
def test_estates_page__more_estates__same_queries(client, estates, django_assert_num_queries, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, estates.street)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(url_name))
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        return len(queries)

    before = count()
    _more_estates(estates, 6)
    assert count() == before


def test_api_estates__more_estates__same_queries_and_scoped(client, estates):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, estates.street)
    with CaptureQueriesContext(connection) as first:
        client.get("/api/coordination/estates")
    _more_estates(estates, 6)
    with CaptureQueriesContext(connection) as second:
        body = client.get("/api/coordination/estates?page_size=3").json()
    assert len(second) == len(first)
    assert body["count"] == 8 and len(body["items"]) == 3
    assert body["items"][0]["warnings"][0] == {"kind": "no_committee", "severity": "high",
                                                "label": "No owners' committee"}
    mine = login(client, estates.member).get("/api/coordination/estates").json()
    assert [item["name"] for item in mine["items"]] == ["竹竿巷小区"]


def test_api_estate_profile__property_manager__masked_and_404_elsewhere(client, estates):
    login(client, estates.property)
    body = client.get(f"/api/coordination/estates/{estates.tree.estate.pk}").json()
    assert body["committee_members"] == [{"name": "张**", "position": "主任"}]
    assert body["contract"]["fee_per_m2"] == "1.80" and body["filing"]["members"] == 5
    assert client.get(f"/api/coordination/estates/{estates.tree.neighbour_estate.pk}").status_code == 404


def test_api_contract_post__manager_201__member_403(client, estates, nothing_written):
    payload = {"company_id": estates.company.pk, "starts_on": "2025-01-01", "ends_on": "2027-12-31",
               "fee_per_m2": "2.50", "service_level": "2"}
    url = f"/api/coordination/estates/{estates.tree.estate.pk}/contracts"
    login(client, estates.member)
    with nothing_written():
        assert client.post(url, payload, content_type="application/json").status_code == 403
    bad = login(client, estates.manager).post(url, {**payload, "ends_on": "2024-01-01"},
                                              content_type="application/json")
    assert bad.status_code == 400
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 201 and response.json()["ends_on"] == "2027-12-31"


def test_api_filing_post__manager__201(client, estates):
    url = f"/api/coordination/estates/{estates.tree.estate.pk}/filings"
    response = login(client, estates.manager).post(url, {"term_from": "2023-08-01", "term_to": "2028-07-31",
                                                         "filed_on": "2023-08-20", "members": 7},
                                                   content_type="application/json")
    assert response.status_code == 201 and response.json()["members"] == 7


def test_estate_page__more_members_and_branches__same_queries(client, estates):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from commonground.core.models import Organisation, OrganisationKind, OrganisationMembership, Person

    url = reverse("coordination:estate", args=[estates.tree.estate.pk])
    login(client, estates.manager)
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    for i in range(4):
        person = Person.objects.create(name=f"委员{i}")
        OrganisationMembership.objects.create(organisation=estates.committee, person=person, position="委员")
        Organisation.objects.create(name=f"{i}单元楼道党支部", kind=OrganisationKind.PARTY_ORGANISATION,
                                    place=estates.tree.corridor)
    with CaptureQueriesContext(connection) as second:
        page = client.get(url).content.decode()
    assert len(second) == len(first)
    assert "委员3" in page and "4 corridor branches" in page
