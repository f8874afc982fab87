"""The statistics page, its export and GET /api/business/statistics: the same figures as the report, limited to
the user's scope (a street's staff get nothing of another street: figures, export, API), queries independent of
the rows."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.business.services.ledgers import enterprise_create, tax_record_set
from commonground.core.models import PlaceKind, RoleKind
from commonground.core.services.places import place_create

from .business_fixtures import make_credit_code

pytestmark = pytest.mark.django_db
QUERY = {"start": "2024-01-01", "end": "2024-04-30"}
API_QUERY = {"from": "2024-01-01", "to": "2024-04-30"}


def client_of(client, user):
    client.force_login(user)
    return client


def test_statistics_page__street_staff__their_street_and_its_figures(client, stats_data):
    b = stats_data.b
    response = client_of(client, b.staff).get("/business/statistics/", QUERY)

    assert response.status_code == 200
    text = response.content.decode()
    assert response.context["stats"].scope == b.tree.street
    assert [row["stats"].name for row in response.context["rows"]] == ["武林商务社区"]
    assert "天水商务社区" not in text and "天水大厦" not in text
    figures = {figure["key"]: figure for figure in response.context["figures"]}
    assert (figures["new_enterprises_1m"]["value"], figures["new_enterprises_1m"]["change"]) == ("2", "+100.00%")
    assert (figures["building_tax"]["value"], figures["building_tax"]["change"]) == ("4.60", "+43.75%")
    assert figures["occupancy_rate"]["value"] == "87.50%"
    assert 'data-stats-chart="tax"' in text


def test_statistics_page__no_base_last_year__says_no_comparison(client, stats_data):
    b = stats_data.b
    response = client_of(client, b.far_staff).get("/business/statistics/", QUERY)

    figures = {figure["key"]: figure for figure in response.context["figures"]}
    assert figures["new_enterprises_1m"]["no_base"] and figures["building_tax"]["no_base"]
    assert response.content.decode().count("None a year earlier: no comparison") == 2


def test_statistics_page__other_streets_place__404(client, stats_data):
    b = stats_data.b
    c = client_of(client, b.staff)

    assert c.get("/business/statistics/", {**QUERY, "scope": b.far_community.code}).status_code == 404
    assert c.get("/business/statistics/export.csv", {**QUERY, "scope": b.far_office.code}).status_code == 404
    assert c.get("/api/business/statistics", {**API_QUERY, "scope": b.far_community.code}).status_code == 404
    assert c.get("/api/business/statistics", {"scope": "NO-SUCH"}).status_code == 404


def test_statistics__no_permission__404(client, stats_data, make_user):
    resident = make_user(RoleKind.RESIDENT, stats_data.b.tree.community)
    c = client_of(client, resident)

    assert c.get("/business/statistics/").status_code == 404
    assert c.get("/business/statistics/export.xlsx").status_code == 404
    assert c.get("/api/business/statistics").status_code == 404
    c = client_of(client, stats_data.b.commissioner_user)
    assert c.get("/api/business/statistics").status_code == 404


def test_statistics_export__csv__the_communities_and_the_total(client, stats_data):
    response = client_of(client, stats_data.b.staff).get("/business/statistics/export.csv", QUERY)

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["武林商务社区", "Total: 武林街道"]
    community = dict(zip(rows[0], rows[1], strict=True))
    assert (community["New ¥1m+ enterprises"], community["Building-economy tax (yuan)"],
            community["Occupancy rate"], community["Disputes resolved"]) == ("2", "46000.00", "0.875", "1")
    assert "天水" not in "".join(",".join(row) for row in rows)


def test_statistics_export__xlsx__a_workbook(client, stats_data):
    response = client_of(client, stats_data.b.staff).get("/business/statistics/export.xlsx", QUERY)

    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_statistics_api__district__same_figures_as_the_report(client, stats_data, make_user):
    b = stats_data.b
    district_user = make_user(RoleKind.DISTRICT_ADMIN, b.tree.district)
    response = client_of(client, district_user).get("/api/business/statistics", API_QUERY)

    assert response.status_code == 200
    data = response.json()
    assert data["scope"]["code"] == b.tree.district.code
    assert data["period"] == {"from": "2024-01-01", "to": "2024-04-30"}
    assert (data["new_enterprises_1m"], data["new_enterprises_1m_yoy"], data["building_tax"],
            data["building_tax_yoy"]) == (3, 2.0, 52000.0, 0.625)
    assert data["tax_months"] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert data["by_month"][0] == {"month": 1, "new_1m": 1, "new_1m_year_before": 0, "tax": 13000.0,
                                   "tax_year_before": 8000.0}
    report = client.get("/api/report", {"scope": b.tree.district.code, **API_QUERY}).json()["business"]
    rows = [{k: v for k, v in row.items() if v is not None} for row in data["communities"]]  # no first-year window
    assert {k: v for k, v in data.items() if k in report and k != "communities"} == {
        k: v for k, v in report.items() if k in data and k != "communities"}
    assert rows == [{k: v for k, v in row.items() if k != "activities"} for row in report["communities"]]


def test_statistics_api__street_staff__only_their_street(client, stats_data):
    data = client_of(client, stats_data.b.far_staff).get("/api/business/statistics", API_QUERY).json()

    assert [row["name"] for row in data["communities"]] == ["天水商务社区"]
    assert (data["new_enterprises_1m"], data["new_enterprises_1m_yoy"], data["building_tax"]) == (1, None, 6000.0)


def test_statistics_api__from_after_to__400(client, stats_data):
    response = client_of(client, stats_data.b.staff).get("/api/business/statistics",
                                                         {"from": "2024-05-01", "to": "2024-04-01"})
    assert response.status_code == 400


def test_statistics_page__more_rows__same_queries(client, stats_data):
    b = stats_data.b
    c = client_of(client, b.staff)
    c.get("/business/statistics/", QUERY)
    with CaptureQueriesContext(connection) as few:
        assert c.get("/business/statistics/", QUERY).status_code == 200
        assert c.get("/api/business/statistics", API_QUERY).status_code == 200
    extra = place_create(code="330105001-BC09", name="新建商务社区", kind=PlaceKind.BUSINESS_COMMUNITY,
                         parent=b.tree.street)
    tower = place_create(code="330105001-BC09-OB01", name="新建大厦", kind=PlaceKind.OFFICE_BUILDING, parent=extra,
                         floor_area_m2=Decimal("9000"))
    for n in range(6):
        firm = enterprise_create(actor=b.staff, credit_code=make_credit_code(200 + n), name=f"批量公司{n}",
                                 registered_on=datetime.date(2024, 1, 2), registered_capital=Decimal("1500000"),
                                 building=tower)
        tax_record_set(actor=b.staff, enterprise=firm, year=2024, month=1, amount=Decimal("100"))
    with CaptureQueriesContext(connection) as many:
        assert c.get("/business/statistics/", QUERY).status_code == 200
        assert c.get("/api/business/statistics", API_QUERY).status_code == 200

    assert len(many.captured_queries) == len(few.captured_queries)
