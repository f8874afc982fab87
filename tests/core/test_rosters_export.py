"""Roster export: round trips back through import, masking per role and per row, scope, the CLI."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.core.masking import mask_id_number, mask_phone
from commonground.core.models import Place, PlaceKind, RoleKind
from commonground.core.rosters import ROSTERS, read_table, roster_export, roster_import
from commonground.core.rules import ROLE_PERMISSIONS
from commonground.core.services.accounts import role_assign
from commonground.core.services.people import household_create, person_create, person_update
from commonground.core.services.places import place_create, place_update
from tests.conftest import VALID_FROM, make_id_number


def exported(roster: str, fmt: str = "csv", **options) -> list[list[str]]:
    """The exported file read back as the importer reads it: header row first."""
    table = read_table(roster_export(roster=roster, fmt=fmt, **options), f"export.{fmt}")
    return [table.headers, *[cells for _number, cells in table.rows]]


def grant_export(monkeypatch, role: str) -> None:
    """rules.py gives roster.export only to some roles; these tests lend it to others."""
    monkeypatch.setitem(ROLE_PERMISSIONS, role, ROLE_PERMISSIONS[role] | {"roster.export"})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("roster", sorted(ROSTERS))
def test_roster_export__imported_back__everything_unchanged(tree, roster, fmt):
    place_update(place=tree.building, floor_area_m2="1234.50", year_built=1995, households=40, address="=1+1号")
    data = roster_export(roster=roster, fmt=fmt)
    result = roster_import(roster=roster, table=read_table(data, f"export.{fmt}"))
    assert result.errors == []
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged > 0


def test_roster_export__headers_are_chinese_labels_and_csv_has_bom(tree):
    data = roster_export(roster="ownership", fmt="csv")
    assert data.startswith("\ufeff".encode())
    assert exported("ownership")[0] == ["房屋编码", "产权人身份证号", "产权单位信用代码", "专有部分面积(㎡)", "取得日期"]


def test_roster_export__places__parents_first_kinds_in_chinese(tree):
    rows = exported("places", scope_code=tree.community.code)
    assert [row[:4] for row in rows[1:]] == [
        [tree.community.code, "竹竿巷社区", "社区", tree.street.code],
        [tree.estate.code, "竹竿巷小区", "小区", tree.community.code],
        [tree.building.code, "1幢", "楼幢", tree.estate.code],
        [tree.corridor.code, "1单元", "楼道", tree.building.code],
        [tree.flat.code, "101室", "房屋", tree.corridor.code],
    ]


def test_roster_export__formula_like_text__escaped_and_read_back(tree):
    place_update(place=tree.flat, address="=HYPERLINK(\"x\")")
    data = roster_export(roster="places", fmt="csv", scope_code=tree.flat.code).decode("utf-8-sig")
    assert "'=HYPERLINK" in data
    assert exported("places", scope_code=tree.flat.code)[1][-1] == '=HYPERLINK("x")'


def test_roster_export__households__grid_worker_full_property_manager_masked(tree, role_users, monkeypatch):
    grant_export(monkeypatch, RoleKind.GRID_WORKER)
    grant_export(monkeypatch, RoleKind.PROPERTY_MANAGER)
    full = exported("households", user=role_users[RoleKind.GRID_WORKER])
    masked = exported("households", user=role_users[RoleKind.PROPERTY_MANAGER])
    assert full[1:] == [[tree.flat.code, tree.owner.id_number, "户主"]]
    assert masked[1:] == [[tree.flat.code, mask_id_number(tree.owner.id_number), "户主"]]
    assert masked[1][1] == tree.owner.id_number[:6] + "********" + tree.owner.id_number[-4:]


def test_roster_export__masking_decided_per_row(tree, make_user):
    """A renewal worker on one estate who sits on the owners' committee of another sees both, masked there."""
    user = make_user(RoleKind.RENEWAL_WORKER, tree.estate)
    role_assign(user=user, role=RoleKind.OWNERS_COMMITTEE_MEMBER, scope=tree.neighbour_estate, valid_from=VALID_FROM)
    rows = exported("ownership", user=user)
    assert [row[:2] for row in rows[1:]] == [
        [tree.flat.code, tree.owner.id_number],
        [tree.neighbour_flat.code, mask_id_number(tree.neighbour_owner.id_number)],
    ]


def test_roster_export__people__outside_scope_absent(tree, role_users):
    rows = exported("people", user=role_users[RoleKind.COMMUNITY_WORKER])
    assert rows[1:] == [[tree.owner.id_number, "张三", "13800000001"]]


def test_roster_export__people__masked_phone_for_owners_committee(tree, role_users, monkeypatch):
    grant_export(monkeypatch, RoleKind.OWNERS_COMMITTEE_MEMBER)
    rows = exported("people", user=role_users[RoleKind.OWNERS_COMMITTEE_MEMBER])
    assert rows[1:] == [[mask_id_number(tree.owner.id_number), "张三", mask_phone("13800000001")]]


def test_roster_export__scope_code__narrows(tree):
    rows = exported("people", scope_code=tree.neighbour.code)
    assert [row[0] for row in rows[1:]] == [tree.neighbour_owner.id_number]
    assert [row[0] for row in exported("places", scope_code=tree.neighbour_flat.code)[1:]] == [tree.neighbour_flat.code]


def test_roster_export__without_roster_export__denied(tree, role_users):
    with pytest.raises(PermissionDenied):
        roster_export(roster="places", user=role_users[RoleKind.RESIDENT])


def test_roster_export__query_count_does_not_grow_with_rows(tree, role_users):
    user = role_users[RoleKind.STREET_STAFF]

    def queries(roster: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            roster_export(roster=roster, user=user)
        return len(captured)

    roster_export(roster="places", user=user)  # loads the user's roles once
    before = {roster: queries(roster) for roster in ROSTERS}
    assert before == {"places": 1, "people": 1, "households": 1, "ownership": 1}
    for n in range(5):
        flat = place_create(code=f"F{n}", name=f"{n}室", kind=PlaceKind.FLAT, parent=tree.corridor)
        person = person_create(name=f"住户{n}", id_number=make_id_number(seq=200 + n), phone="13900000000")
        household_create(flat=flat, head=person)
    assert {roster: queries(roster) for roster in ROSTERS} == before


def test_export_command__xlsx_to_file__reads_back(tree, tmp_path, role_users):
    path = tmp_path / "people.xlsx"
    call_command("export", "people", "--format", "xlsx", "--user", role_users[RoleKind.STREET_STAFF].username,
                 "-o", str(path), stdout=io.StringIO())
    table = read_table(path)
    assert [cells[0] for _number, cells in table.rows] == [tree.neighbour_owner.id_number, tree.owner.id_number]


def test_export_command__csv_to_stdout__scoped(tree):
    person_update(person=tree.owner, phone="0571-87654321")
    out = io.StringIO()
    call_command("export", "people", "--scope", tree.community.code, stdout=out)
    assert out.getvalue().splitlines() == ["身份证号,姓名,联系电话", f"{tree.owner.id_number},张三,0571-87654321"]


def test_export_command__unknown_scope__error(tree):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("export", "places", "--scope", "NOPE", stdout=io.StringIO())
    assert Place.objects.filter(code="NOPE").count() == 0
