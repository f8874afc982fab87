"""The ledger pages: the enterprise and building ledgers, their exports, forms and imports; who sees what, with
contacts masked, and query counts that do not grow with the rows."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commonground.business.models import BuildingLedger, EnterpriseContact, TaxRecord
from commonground.business.services.ledgers import enterprise_create
from commonground.core.tables import table_bytes

from .business_fixtures import make_credit_code

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def csv_rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_enterprises__staff__their_street_contacts_in_full(client, business):
    client.force_login(business.staff)
    page = text(client.get(reverse("business:enterprises")))
    assert "杭州星河科技有限公司" in page and "杭州远航咨询有限公司" in page
    assert "杭州天水物流有限公司" not in page
    assert "13900000009" in page


def test_enterprises__commissioner__assigned_building_only_contacts_masked(client, business):
    client.force_login(business.commissioner_user)
    page = text(client.get(reverse("business:enterprises")))
    assert "杭州星河科技有限公司" in page and "杭州远航咨询有限公司" in page
    assert "杭州云帆贸易有限公司" not in page and "杭州天水物流有限公司" not in page
    assert "139****0009" in page and "13900000009" not in page and "陈经理" not in page


def test_enterprises__contact__sent_to_own_firm(client, business):
    client.force_login(business.contact)
    response = client.get(reverse("business:enterprises"))
    assert response.status_code == 302
    assert business.star.credit_code in response["Location"]


def test_enterprises__filters_and_outsider(client, business):
    client.force_login(business.staff)
    page = text(client.get(reverse("business:enterprises"), {"q": "云帆"}))
    assert "杭州云帆贸易有限公司" in page and "杭州星河科技有限公司" not in page
    client.force_login(business.far_staff)
    page = text(client.get(reverse("business:enterprises"), {"community": "330105001-BC01"}))
    assert "杭州星河科技有限公司" not in page and "No enterprise matches." in page


def test_enterprises__query_count_same_for_1_and_many(client, business, django_assert_max_num_queries):
    client.force_login(business.staff)
    url = reverse("business:enterprises")
    client.get(url, {"building": "330105001-BC01-OB02"})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url, {"building": "330105001-BC01-OB02"})
    for n in range(50, 62):
        firm = enterprise_create(actor=business.staff, credit_code=make_credit_code(n), name=f"公司{n}",
                                 registered_on=datetime.date(2020, 1, 1), building=business.other_office)
        EnterpriseContact.objects.create(enterprise=firm, name="联系人", phone="13900000001", is_primary=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = text(client.get(url, {"building": "330105001-BC01-OB02"}))
    assert "公司61" in page


def test_enterprises_export__commissioner__scoped_and_masked(client, business):
    client.force_login(business.commissioner_user)
    rows = csv_rows(client.get(reverse("business:enterprises_export", args=["csv"])))
    assert rows[0][:2] == ["统一社会信用代码", "企业名称"]
    assert sorted(row[1] for row in rows[1:]) == ["杭州星河科技有限公司", "杭州远航咨询有限公司"]
    star = next(row for row in rows if row[1] == "杭州星河科技有限公司")
    assert star[-2:] == ["陈**", "139****0009"]
    assert client.get(reverse("business:enterprises_export", args=["pdf"])).status_code == 404


def test_enterprise_new_and_edit(client, business):
    client.force_login(business.staff)
    code = make_credit_code(80)
    response = client.post(reverse("business:enterprise_new"), {
        "credit_code": code, "name": "杭州新星网络有限公司", "registered_on": "2024-02-01",
        "building": "330105001-BC01-OB01", "status": "active", "tier": "ordinary", "registered_capital": "2000000"})
    assert response.status_code == 302
    response = client.post(reverse("business:enterprise_edit", args=[code]), {
        "name": "杭州新星网络股份有限公司", "registered_on": "2024-02-01", "building": "330105001-BC01-OB01",
        "status": "moved_out", "tier": "key"})
    assert response.status_code == 400
    assert "Give the day the firm moved out." in text(response)
    bad = client.post(reverse("business:enterprise_new"), {
        "credit_code": "94330105MA0000001X", "name": "x", "registered_on": "2024-02-01",
        "building": "330105001-BC01-OB01", "status": "active", "tier": "ordinary"})
    assert bad.status_code == 400 and "registration authority" in text(bad)


def test_enterprise_edit__commissioner_reads_far_staff_404(client, business, nothing_written):
    url = reverse("business:enterprise_edit", args=[business.star.credit_code])
    client.force_login(business.commissioner_user)
    assert client.get(url).status_code == 200
    with nothing_written():
        assert client.post(url, {"name": "x"}).status_code == 403
        client.force_login(business.far_staff)
        assert client.get(url).status_code == 404
        assert client.get(reverse("business:enterprise_tax", args=[business.star.credit_code])).status_code == 404
        assert client.post(reverse("business:enterprise_contact_new", args=[business.star.credit_code]),
                           {"name": "x"}).status_code == 404


def test_contact_add__new_main_contact_replaces_old(client, business):
    client.force_login(business.staff)
    response = client.post(reverse("business:enterprise_contact_new", args=[business.star.credit_code]),
                           {"name": "王总", "phone": "0571-87654321", "title": "总经理", "is_primary": "on"})
    assert response.status_code == 302
    assert list(business.star.contacts.values_list("name", "is_primary")) == [("王总", True), ("陈经理", False)]
    bad = client.post(reverse("business:enterprise_contact_new", args=[business.star.credit_code]),
                      {"name": "李", "phone": "12345"})
    assert bad.status_code == 400


def test_enterprise_tax__set_a_month(client, business):
    client.force_login(business.staff)
    url = reverse("business:enterprise_tax", args=[business.star.credit_code])
    assert client.post(url, {"year": "2024", "month": "4", "amount": "3200.00"}).status_code == 302
    assert "3200.00" in text(client.get(url))
    assert client.post(url, {"year": "2024", "month": "12", "amount": "1"}).status_code == 400  # not begun
    assert TaxRecord.objects.count() == 1


def test_buildings__subtotals_and_scope(client, business, django_assert_max_num_queries):
    client.force_login(business.staff)
    response = client.get(reverse("business:buildings"), {"year": "2024"})
    page = text(response)
    assert "武林大厦" in page and "天水大厦" not in page
    assert 'data-subtotal="330105001-BC01"' in page
    client.force_login(business.commissioner_user)
    page = text(client.get(reverse("business:buildings")))
    assert "武林大厦" in page and "武林广场" not in page
    rows = csv_rows(client.get(reverse("business:buildings_export", args=["csv"]), {"year": "2024"}))
    assert [row[2] for row in rows[1:]] == ["武林大厦", "subtotal of the business community"]
    assert rows[1][6:9] == ["1", "0", "1"]


def test_building__ledger_form_grades(client, business):
    client.force_login(business.staff)
    url = reverse("business:building", args=["330105001-BC01-OB01"])
    data = {"vacant_area_m2": "4000"} | {f"indicator_{c}": "5" for c in ("L1", "L2", "L3")}
    assert client.post(url, data).status_code == 302
    ledger = BuildingLedger.objects.get()
    assert (ledger.vacant_area_m2, ledger.grade, ledger.grade_score) == (Decimal("4000.00"), "C", Decimal("8.00"))
    page = text(client.get(url))
    assert "80%" in page and "杭州远航咨询有限公司" in page
    assert client.post(url, {"vacant_area_m2": "30000"}).status_code == 400


def test_building__commissioner_reads_not_writes_outsider_404(client, business, nothing_written):
    url = reverse("business:building", args=["330105001-BC01-OB01"])
    client.force_login(business.commissioner_user)
    assert client.get(url).status_code == 200
    with nothing_written():
        assert client.post(url, {"vacant_area_m2": "1"}).status_code == 403
        assert client.get(reverse("business:building", args=["330105001-BC01-OB02"])).status_code == 404
        client.force_login(business.far_staff)
        assert client.get(url).status_code == 404


def test_import_page__errors_then_summary(client, business, nothing_written):
    client.force_login(business.staff)
    url = reverse("business:ledger_import", args=["tax"])
    headers = ["统一社会信用代码", "年度", "月份", "税收（元）"]
    bad = SimpleUploadedFile("tax.csv", table_bytes("csv", headers, [[business.star.credit_code, "2023", "13",
                                                                        "10"]], title="t"))
    with nothing_written():
        response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert "Row 2, 月份: Enter a whole number from 0 to 12." in text(response)
    good = SimpleUploadedFile("tax.xlsx", table_bytes("xlsx", headers, [[business.star.credit_code, "2023", "1",
                                                                         "10"]], title="t"))
    response = client.post(url, {"file": good})
    assert response.status_code == 200
    assert "1 rows imported: 1 new, 0 updated." in text(response)
    template = client.get(reverse("business:ledger_import_template", args=["tax", "csv"]))
    assert csv_rows(template) == [headers]
    client.force_login(business.commissioner_user)
    assert client.get(url).status_code == 403
    assert client.get(reverse("business:ledger_import", args=["other"])).status_code == 404
