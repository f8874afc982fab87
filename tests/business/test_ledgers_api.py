"""The ledgers API: lists, detail, create and update, buildings with counts, tax records; who sees what."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from commonground.business.models import Enterprise, TaxRecord
from commonground.business.services.ledgers import enterprise_create

from .business_fixtures import make_credit_code

pytestmark = pytest.mark.django_db
API = "/api/business"


def names(response):
    return {item["name"] for item in response.json()["items"]}


def test_enterprise_list__each_user__their_firms(client, business):
    client.force_login(business.staff)
    assert names(client.get(f"{API}/enterprises")) == {"杭州星河科技有限公司", "杭州云帆贸易有限公司", "杭州远航咨询有限公司"}
    assert names(client.get(f"{API}/enterprises", {"q": "星河"})) == {"杭州星河科技有限公司"}
    client.force_login(business.commissioner_user)
    assert names(client.get(f"{API}/enterprises")) == {"杭州星河科技有限公司", "杭州远航咨询有限公司"}
    client.force_login(business.contact)
    assert names(client.get(f"{API}/enterprises")) == {"杭州星河科技有限公司"}
    client.force_login(business.far_staff)
    assert names(client.get(f"{API}/enterprises")) == {"杭州天水物流有限公司"}
    assert client.get(f"{API}/enterprises", {"page_size": 1000}).status_code == 422


def test_enterprise_list__query_count_same_for_1_and_many(client, business, django_assert_max_num_queries):
    client.force_login(business.staff)
    with django_assert_max_num_queries(8) as few:
        client.get(f"{API}/enterprises", {"building": "330105001-BC01-OB02"})
    for n in range(50, 60):
        enterprise_create(actor=business.staff, credit_code=make_credit_code(n), name=f"公司{n}",
                          registered_on=datetime.date(2020, 1, 1), building=business.other_office)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"{API}/enterprises", {"building": "330105001-BC01-OB02"})
    assert response.json()["count"] == 11


def test_enterprise_detail__contacts_masked_for_commissioner(client, business):
    url = f"{API}/enterprises/{business.star.credit_code}"
    client.force_login(business.staff)
    assert client.get(url).json()["contacts"] == [
        {"name": "陈经理", "phone": "13900000009", "title": "行政经理", "is_primary": True}]
    client.force_login(business.commissioner_user)
    body = client.get(url).json()
    assert body["contacts"] == [{"name": "陈**", "phone": "139****0009", "title": "行政经理", "is_primary": True}]
    assert (body["building"], body["registered_building"], body["tier"]) == (
        "330105001-BC01-OB01", "330105001-BC01-OB01", "key")


def test_enterprise_detail__outsiders__404(client, business):
    for user, firm in ((business.far_staff, business.star), (business.contact, business.cloud),
                       (business.commissioner_user, business.cloud)):
        client.force_login(user)
        assert client.get(f"{API}/enterprises/{firm.credit_code}").status_code == 404
        assert client.get(f"{API}/enterprises/{firm.credit_code}/tax-records").status_code == 404
        assert client.patch(f"{API}/enterprises/{firm.credit_code}", {"name": "x"},
                            content_type="application/json").status_code == 404
    assert Enterprise.objects.get(pk=business.cloud.pk).name == "杭州云帆贸易有限公司"


def test_enterprise_create_and_update(client, business):
    client.force_login(business.staff)
    code = make_credit_code(70)
    response = client.post(f"{API}/enterprises", {
        "credit_code": code.lower(), "name": "杭州新芽科技有限公司", "registered_on": "2024-01-02",
        "building": "330105001-BC01-OB02", "registered_capital": "1500000.00", "tier": "key"},
        content_type="application/json")
    assert response.status_code == 200, response.content
    assert (response.json()["credit_code"], response.json()["building_name"]) == (code, "武林广场")
    response = client.patch(f"{API}/enterprises/{code}", {"headcount": 30, "registered_building": None},
                            content_type="application/json")
    assert response.json()["headcount"] == 30
    bad = client.post(f"{API}/enterprises", {"credit_code": "94330105MA0000001X", "name": "x",
                                             "registered_on": "2024-01-02", "building": "330105001-BC01-OB02"},
                      content_type="application/json")
    assert bad.status_code == 400 and "credit_code" in bad.json()["detail"]
    far = client.post(f"{API}/enterprises", {"credit_code": make_credit_code(71), "name": "x",
                                             "registered_on": "2024-01-02", "building": "330105002-BC01-OB01"},
                      content_type="application/json")
    assert far.status_code == 400 and list(far.json()["detail"]) == ["building"]


def test_enterprise_create__commissioner__403_nothing_written(client, business, nothing_written):
    client.force_login(business.commissioner_user)
    with nothing_written():
        response = client.post(f"{API}/enterprises", {"credit_code": make_credit_code(72), "name": "x",
                                                      "registered_on": "2024-01-02",
                                                      "building": "330105001-BC01-OB01"},
                               content_type="application/json")
    assert response.status_code == 403


def test_tax_records__set_and_list(client, business):
    client.force_login(business.staff)
    url = f"{API}/enterprises/{business.star.credit_code}/tax-records"
    assert client.put(url, {"year": 2024, "month": 3, "amount": "1200.50"},
                      content_type="application/json").status_code == 200
    assert client.put(url, {"year": 2024, "month": 13, "amount": "1"},
                      content_type="application/json").status_code == 422
    assert client.get(url).json() == [{"year": 2024, "month": 3, "amount": "1200.50"}]
    client.force_login(business.commissioner_user)
    assert client.get(url).json() == [{"year": 2024, "month": 3, "amount": "1200.50"}]
    assert client.put(url, {"year": 2024, "month": 4, "amount": "1"},
                      content_type="application/json").status_code == 403
    client.force_login(business.contact)
    assert client.get(url).status_code == 403  # they see their firm, not its tax figures here
    assert TaxRecord.objects.count() == 1


def test_ledger_buildings__counts_and_scope(client, business):
    client.force_login(business.staff)
    response = client.put(f"{API}/ledger-buildings/330105001-BC01-OB01", {"vacant_area_m2": "2000"},
                          content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["occupancy"], response.json()["here_registered"]) == ("0.9000", 1)
    body = client.get(f"{API}/ledger-buildings", {"year": 2024}).json()
    assert [item["name"] for item in body["items"]] == ["武林大厦", "武林广场", "公寓1幢"]
    assert body["items"][1]["here_registered_elsewhere"] == 1
    client.force_login(business.commissioner_user)
    assert [i["name"] for i in client.get(f"{API}/ledger-buildings").json()["items"]] == ["武林大厦"]
    assert client.put(f"{API}/ledger-buildings/330105001-BC01-OB01", {"vacant_area_m2": "1"},
                      content_type="application/json").status_code == 403
    client.force_login(business.far_staff)
    assert [i["name"] for i in client.get(f"{API}/ledger-buildings").json()["items"]] == ["天水大厦"]
    assert client.put(f"{API}/ledger-buildings/330105001-BC01-OB01", {"vacant_area_m2": "1"},
                      content_type="application/json").status_code == 404
    client.force_login(business.contact)
    assert client.get(f"{API}/ledger-buildings").json()["items"] == []
    from commonground.business.models import BuildingLedger
    assert BuildingLedger.objects.get().vacant_area_m2 == Decimal("2000.00")
