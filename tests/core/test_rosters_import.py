"""Roster import: good files of each roster (CSV and XLSX), bad rows reported by row and column with
nothing written, GBK files, parents later in the file, updates, scope and the CLI."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import Workbook

from commonground.core.models import (
    Household,
    HouseholdMember,
    OrganisationKind,
    Ownership,
    Person,
    Place,
    PlaceKind,
    Relation,
    RoleKind,
)
from commonground.core.models.places import path_segment
from commonground.core.permissions import visible_to
from commonground.core.rosters import read_table, roster_import
from commonground.core.services.organisations import organisation_create
from commonground.core.services.people import person_create
from commonground.core.services.places import place_create
from commonground.core.validators import credit_code_check_char
from tests.conftest import make_id_number

PEOPLE_HEADERS = ["身份证号", "姓名", "联系电话"]
PLACE_HEADERS = ["编码", "名称", "类型", "上级编码", "纬度", "经度", "建筑面积(㎡)", "建成年份", "户数", "地址"]
HOUSEHOLD_HEADERS = ["房屋编码", "身份证号", "与户主关系"]
OWNERSHIP_HEADERS = ["房屋编码", "产权人身份证号", "产权单位信用代码", "专有部分面积(㎡)", "取得日期"]


def csv_bytes(headers: list[str], rows: list[list[object]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(headers: list[str], rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(roster: str, headers: list[str], rows: list[list[object]], fmt: str = "csv", **options):
    data = csv_bytes(headers, rows) if fmt == "csv" else xlsx_bytes(headers, rows)
    return roster_import(roster=roster, table=read_table(data, f"roster.{fmt}"), **options)


def located(result) -> list[tuple[int, str, str]]:
    return [(error.row, error.key, error.code) for error in result.errors]


def credit_code(serial: int) -> str:
    first17 = f"91330105{serial:06d}ABC"
    return first17 + credit_code_check_char(first17)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Place, Person, Household, HouseholdMember, Ownership)}


@pytest.fixture
def new_flat(tree) -> Place:
    return place_create(code="330105001001-E1-B1-U1-102", name="102室", kind=PlaceKind.FLAT, parent=tree.corridor)


# --- good files --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_roster_import__people__created_with_derived_fields(tree, fmt):
    man, woman = make_id_number(birth="19900215", seq=21), make_id_number(birth="19851130", seq=22)
    result = run("people", PEOPLE_HEADERS, [[man, "王小明", "13900000001"], [woman, "陈丽", ""]], fmt)
    assert (result.ok, result.created, result.updated, result.unchanged) == (True, 2, 0, 0)
    wang = Person.objects.get(id_number=man)
    assert (wang.name, wang.name_pinyin, wang.phone, wang.gender, wang.birth_date) == (
        "王小明", "wang xiao ming", "13900000001", "M", datetime.date(1990, 2, 15))
    chen = Person.objects.get(id_number=woman)
    assert (chen.gender, chen.birth_date, chen.phone) == ("F", datetime.date(1985, 11, 30), "")
    assert wang.history.count() == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_roster_import__places__parents_later_in_file_get_paths(tree, fmt):
    rows = [
        ["N-B1-U1-101", "101室", "房屋", "N-B1-U1", "", "", "", "", "", ""],
        ["N-B1-U1", "1单元", "单元", "N-B1", "", "", "", "", "", ""],
        ["N-B1", "1幢", "building", "N", "", "", "1200.50", "1998", "24", "竹竿巷1号"],
        ["N", "新小区", "小区", tree.community.code, "30.281234", "120.161234", "", "", "", ""],
    ]
    result = run("places", PLACE_HEADERS, rows, fmt)
    assert (result.ok, result.created, result.updated) == (True, 4, 0)
    estate = Place.objects.get(code="N")
    assert (estate.parent, estate.depth, estate.latitude) == (tree.community, 3, Decimal("30.281234"))
    assert estate.path == tree.community.path + path_segment(estate.pk)
    flat = Place.objects.get(code="N-B1-U1-101")
    assert (flat.kind, flat.depth) == (PlaceKind.FLAT, 6)
    assert [place.code for place in flat.get_ancestors()][-3:] == ["N", "N-B1", "N-B1-U1"]
    building = Place.objects.get(code="N-B1")
    assert (building.floor_area_m2, building.year_built, building.households, building.address) == (
        Decimal("1200.50"), 1998, 24, "竹竿巷1号")
    assert set(Place.objects.within(tree.community).values_list("code", flat=True)) >= {"N", "N-B1-U1-101"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_roster_import__households__new_household_with_head(tree, new_flat, fmt):
    head = person_create(name="赵六", id_number=make_id_number(seq=31))
    child = person_create(name="赵小六", id_number=make_id_number(birth="20100101", seq=32))
    result = run("households", HOUSEHOLD_HEADERS,
                 [[new_flat.code, child.id_number, "子女"], [new_flat.code, head.id_number, "户主"]], fmt)
    assert (result.ok, result.created) == (True, 2)
    household = Household.objects.get(flat=new_flat)
    assert household.head == head
    assert dict(household.memberships.values_list("person_id", "relation")) == {
        head.pk: Relation.HEAD, child.pk: Relation.CHILD}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_roster_import__ownership__person_and_developer(tree, new_flat, fmt):
    developer = organisation_create(name="某置业公司", kind=OrganisationKind.DEVELOPER, place=tree.district,
                                    credit_code=credit_code(1))
    co_owner = person_create(name="王五", id_number=make_id_number(seq=41))
    rows = [
        [tree.flat.code, co_owner.id_number, "", "75.50", "2015-06-01"],  # joins the registered owner
        [new_flat.code, "", developer.credit_code, "88", ""],
    ]
    result = run("ownership", OWNERSHIP_HEADERS, rows, fmt)
    assert (result.ok, result.created) == (True, 2)
    title = Ownership.objects.get(flat=tree.flat, person=co_owner)
    assert (title.exclusive_area_m2, title.acquired_on) == (Decimal("75.50"), datetime.date(2015, 6, 1))
    assert Ownership.objects.get(flat=new_flat).organisation == developer


def test_roster_import__english_headers_any_case_and_spacing__accepted(tree):
    number = make_id_number(seq=51)
    result = run("people", [" ID_Number ", "NAME", "Phone "], [[number, "孙七", "0571-87654321"]])
    assert result.ok
    assert Person.objects.get(id_number=number).phone == "0571-87654321"


def test_roster_import__gbk_csv__decoded(tree):
    number = make_id_number(seq=52)
    data = csv_bytes(PEOPLE_HEADERS, [[number, "钱八", "13900000008"]], encoding="gbk")
    result = roster_import(roster="people", table=read_table(data, "花名册.csv"))
    assert result.ok
    assert Person.objects.get(id_number=number).name == "钱八"


def test_roster_import__relation_values_and_labels__accepted(tree, new_flat):
    people = [person_create(name=f"成员{n}", id_number=make_id_number(seq=60 + n)) for n in range(4)]
    rows = [[new_flat.code, people[0].id_number, "head"], [new_flat.code, people[1].id_number, "配偶"],
            [new_flat.code, people[2].id_number, "孙子女"], [new_flat.code, people[3].id_number, "Tenant"]]
    assert run("households", HOUSEHOLD_HEADERS, rows).ok
    assert sorted(HouseholdMember.objects.filter(household__flat=new_flat).values_list("relation", flat=True)) == [
        "grandchild", "head", "spouse", "tenant"]


def test_roster_import__households__query_count_does_not_grow_with_rows(tree):
    def import_flats(first: int, count: int) -> int:
        rows = []
        for n in range(first, first + count):
            flat = place_create(code=f"Q{n}", name=f"{n}室", kind=PlaceKind.FLAT, parent=tree.corridor)
            person = person_create(name=f"户主{n}", id_number=make_id_number(seq=400 + n))
            rows.append([flat.code, person.id_number, "户主"])
        with CaptureQueriesContext(connection) as captured:
            assert run("households", HOUSEHOLD_HEADERS, rows).created == count
        return len(captured)

    assert import_flats(0, 2) == import_flats(10, 12)


# --- updates -----------------------------------------------------------------------------------


def test_roster_import__people_update__name_pinyin_and_phone_changed(tree, make_user):
    admin = make_user(RoleKind.DISTRICT_ADMIN, tree.district)
    unchanged = [tree.neighbour_owner.id_number, "李四", "13800000002"]
    result = run("people", PEOPLE_HEADERS, [[tree.owner.id_number, "张叁", "13911112222"], unchanged], actor=admin)
    assert (result.ok, result.created, result.updated, result.unchanged) == (True, 0, 1, 1)
    owner = Person.objects.get(pk=tree.owner.pk)
    assert (owner.name, owner.name_pinyin, owner.phone) == ("张叁", "zhang san", "13911112222")
    latest = owner.history.latest()
    assert (latest.history_type, latest.history_user, latest.name) == ("~", admin, "张叁")


def test_roster_import__places_update__name_and_attributes_changed_path_kept(tree):
    path = tree.estate.path
    result = run("places", ["code", "name", "kind", "parent_code", "floor_area_m2"],
                 [[tree.estate.code, "竹竿巷新村", "小区", tree.community.code, "52000"]])
    assert (result.ok, result.created, result.updated) == (True, 0, 1)
    estate = Place.objects.get(pk=tree.estate.pk)
    assert (estate.name, estate.floor_area_m2, estate.path) == ("竹竿巷新村", Decimal("52000.00"), path)


def test_roster_import__households_update__head_changes_hands(tree):
    spouse = person_create(name="张妻", id_number=make_id_number(birth="19820101", seq=71))
    rows = [[tree.flat.code, tree.owner.id_number, "配偶"], [tree.flat.code, spouse.id_number, "户主"]]
    result = run("households", HOUSEHOLD_HEADERS, rows)
    assert (result.ok, result.created, result.updated) == (True, 1, 1)
    household = Household.objects.get(flat=tree.flat)
    assert household.head == spouse
    assert dict(household.memberships.values_list("person_id", "relation")) == {
        tree.owner.pk: Relation.SPOUSE, spouse.pk: Relation.HEAD}


def test_roster_import__ownership_update__area_and_date(tree):
    result = run("ownership", OWNERSHIP_HEADERS, [[tree.flat.code, tree.owner.id_number, "", "76.00", "2010-01-02"]])
    assert (result.ok, result.updated) == (True, 1)
    title = Ownership.objects.get(flat=tree.flat, person=tree.owner)
    assert (title.exclusive_area_m2, title.acquired_on) == (Decimal("76.00"), datetime.date(2010, 1, 2))


# --- bad rows: reported by row and column, nothing written --------------------------------------


def test_roster_import__people_bad_rows__each_reported_and_nothing_written(tree, nothing_written):
    good = make_id_number(seq=81)
    valid = make_id_number(seq=82)
    bad_check = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    with nothing_written():
        rows = [
            [good, "好人", "13900000081"],          # row 2: fine
            [bad_check, "错号", ""],                 # row 3: checksum
            [good, "重复", ""],                      # row 4: repeats row 2
            [make_id_number(seq=83), "", "123"],     # row 5: no name, bad phone
            ["3.30105E+17", "科学计数", ""],          # row 6: Excel's scientific notation
        ]
        result = run("people", PEOPLE_HEADERS, rows)
        assert located(result) == [
            (3, "id_number", "id_checksum"), (4, "id_number", "duplicate"), (5, "name", "required"),
            (5, "phone", "phone"), (6, "id_number", "id_scientific"),
        ]
        assert [error.column for error in result.errors[:2]] == ["身份证号", "身份证号"]
    assert not Person.objects.filter(id_number=good).exists()


def test_roster_import__places_bad_rows__each_reported_and_nothing_written(tree, nothing_written):
    with nothing_written():
        rows = [
            ["X1", "飞地", "小区", "NOPE", "", "", "", "", "", ""],                       # unknown parent
            ["X2", "错层", "房屋", tree.street.code, "", "", "", "", "", ""],              # flat under a street
            [tree.estate.code, "竹竿巷小区", "小区", tree.neighbour.code, "", "", "", "", "", ""],  # a move
            ["L1", "环1", "楼幢", "L2", "", "", "", "", "", ""],                            # loop (and a
            ["L2", "环2", "楼幢", "L1", "", "", "", "", "", ""],                            # building under one)
            ["X3", "坏面积", "小区", tree.community.code, "95", "", "-3", "", "", ""],      # latitude, area
            ["X4", "", "星球", tree.community.code, "", "", "", "", "", ""],               # no name, bad kind
        ]
        result = run("places", PLACE_HEADERS, rows)
        assert located(result) == [
            (2, "parent_code", "unknown_parent"), (3, "parent_code", "parent_kind"), (4, "parent_code", "move_needed"),
            (5, "parent_code", "parent_kind"), (5, "parent_code", "loop"), (6, "parent_code", "parent_kind"),
            (6, "parent_code", "loop"), (7, "latitude", "out_of_range"),
            (7, "floor_area_m2", "area_positive"), (8, "name", "required"), (8, "kind", "choice"),
        ]


def test_roster_import__households_bad_rows__second_head_unknown_person_not_a_flat(tree, new_flat, nothing_written):
    stranger = make_id_number(seq=91)
    person = person_create(name="周九", id_number=make_id_number(seq=92))
    with nothing_written():
        rows = [
            [tree.flat.code, person.id_number, "户主"],     # the flat already has a head
            [new_flat.code, stranger, "户主"],              # nobody with this ID
            [tree.building.code, person.id_number, "户主"],  # not a flat
            [new_flat.code, person.id_number, "子女"],       # no head remains for new_flat
            ["NOPE", person.id_number, "姐妹"],              # unknown flat, bad relation
        ]
        result = run("households", HOUSEHOLD_HEADERS, rows)
        assert located(result) == [
            (2, "relation", "second_head"), (3, "id_number", "unknown_person"), (4, "flat_code", "not_a_flat"),
            (5, "relation", "no_head"), (6, "flat_code", "unknown_flat"), (6, "relation", "choice"),
        ]


def test_roster_import__ownership_bad_rows__areas_holders_dates(tree, new_flat, nothing_written):
    co_owner = person_create(name="吴十", id_number=make_id_number(seq=93))
    with nothing_written():
        rows = [
            [tree.flat.code, co_owner.id_number, "", "80.00", ""],               # registered owner has 75.50
            [new_flat.code, co_owner.id_number, credit_code(2), "60", ""],       # two holders
            [new_flat.code, "", credit_code(3), "60", "2020-13-01"],             # unknown organisation, bad date
            [new_flat.code, "", "", "0", ""],                                    # no holder, area not positive
        ]
        result = run("ownership", OWNERSHIP_HEADERS, rows)
        assert located(result) == [
            (2, "exclusive_area_m2", "area_differs"), (3, "owner_id_number", "two_holders"),
            (4, "owner_credit_code", "unknown_organisation"), (4, "acquired_on", "date"),
            (5, "owner_id_number", "no_holder"), (5, "exclusive_area_m2", "area_positive"),
        ]


def test_roster_import__missing_column__reported_on_header_row(tree):
    with translation.override("en"):
        result = run("people", ["身份证号", "电话"], [[make_id_number(seq=94), "13900000000"]])
        assert str(result.errors[0]) == "Row 1 “姓名”: This column is missing; the file needs it."
    assert located(result) == [(1, "name", "missing_column")]
    with translation.override("zh-hans"):
        chinese = run("people", ["身份证号", "电话"], [[make_id_number(seq=94), "13900000000"]])
        assert str(chinese.errors[0]).startswith("第1行“姓名”：")


def test_roster_import__dry_run__counts_but_writes_nothing(tree, nothing_written):
    with nothing_written():
        result = run("people", PEOPLE_HEADERS, [[make_id_number(seq=95), "郑一", ""]], dry_run=True)
        assert (result.ok, result.dry_run, result.created) == (True, True, 1)


# --- scope ---------------------------------------------------------------------------------------


def test_roster_import__without_roster_import_permission__denied(tree, role_users, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied):
        run("people", PEOPLE_HEADERS, [[make_id_number(seq=96), "冯二", ""]], actor=role_users[RoleKind.GRID_WORKER])


def test_roster_import__new_people_by_scoped_user__registered_in_their_scope(tree, role_users):
    worker = role_users[RoleKind.COMMUNITY_WORKER]
    number = make_id_number(seq=102)
    assert run("people", PEOPLE_HEADERS, [[number, "秦九", ""]], actor=worker).ok
    person = Person.objects.get(id_number=number)
    assert person.registered_place == tree.community
    assert visible_to(worker, "person.view", Person.objects.filter(pk=person.pk)).count() == 1


def test_roster_import__new_people_by_system__not_registered_anywhere(tree):
    number = make_id_number(seq=103)
    assert run("people", PEOPLE_HEADERS, [[number, "尤十", ""]]).ok
    assert Person.objects.get(id_number=number).registered_place is None


def test_roster_import__places_outside_scope__refused_and_nothing_written(tree, role_users, nothing_written):
    worker = role_users[RoleKind.COMMUNITY_WORKER]  # scoped to tree.community
    with nothing_written():
        rows = [
            ["OK-E2", "本社区新小区", "小区", tree.community.code, "", "", "", "", "", ""],
            ["NB-E2", "邻社区新小区", "小区", tree.neighbour.code, "", "", "", "", "", ""],
            [tree.neighbour_estate.code, "改名", "", "", "", "", "", "", "", ""],
            ["S3", "新街道", "街道", tree.district.code, "", "", "", "", "", ""],
        ]
        result = run("places", PLACE_HEADERS, rows, actor=worker)
        assert located(result) == [
            (3, "parent_code", "out_of_scope"), (4, "code", "out_of_scope"), (5, "parent_code", "out_of_scope"),
        ]
    assert Place.objects.get(pk=tree.neighbour_estate.pk).name == "龙游小区"


@pytest.mark.parametrize("dry_run", [True, False])
def test_roster_import__people_known_only_outside_scope__answered_as_unknown_and_left_alone(tree, role_users, dry_run):
    """The roster must not tell a clerk whether an ID number is registered in another community."""
    worker = role_users[RoleKind.COMMUNITY_WORKER]
    unknown = make_id_number(seq=104)
    outside = [[tree.neighbour_owner.id_number, "李肆", "13900000004"]]

    result_outside = run("people", PEOPLE_HEADERS, outside, actor=worker, dry_run=True)
    result_unknown = run("people", PEOPLE_HEADERS, [[unknown, "李肆", "13900000004"]], actor=worker, dry_run=True)
    assert (result_outside.ok, result_outside.created, result_outside.updated, result_outside.unchanged,
            located(result_outside)) == (result_unknown.ok, result_unknown.created, result_unknown.updated,
                                         result_unknown.unchanged, located(result_unknown)) == (True, 1, 0, 0, [])

    run("people", PEOPLE_HEADERS, outside, actor=worker, dry_run=dry_run)
    neighbour = Person.objects.get(pk=tree.neighbour_owner.pk)
    assert (neighbour.name, neighbour.phone, neighbour.registered_place_id) == ("李四", "13800000002", None)
    assert Person.objects.filter(id_number=tree.neighbour_owner.id_number).count() == 1


def test_roster_import__people_in_scope__updated_and_unchanged(tree, role_users):
    worker = role_users[RoleKind.COMMUNITY_WORKER]
    result = run("people", PEOPLE_HEADERS, [[tree.owner.id_number, "张三", "13800000001"]], actor=worker)
    assert (result.ok, result.created, result.updated, result.unchanged) == (True, 0, 0, 1)


def test_roster_import__households_and_ownership_outside_scope__refused(tree, role_users, nothing_written):
    worker = role_users[RoleKind.COMMUNITY_WORKER]
    newcomer = person_create(name="褚三", id_number=make_id_number(seq=97))
    with nothing_written():
        households = run("households", HOUSEHOLD_HEADERS, [[tree.neighbour_flat.code, newcomer.id_number, "租户"]],
                         actor=worker)
        titles = run("ownership", OWNERSHIP_HEADERS, [[tree.neighbour_flat.code, newcomer.id_number, "", "60.00", ""]],
                     actor=worker)
        assert located(households) == [(2, "flat_code", "out_of_scope")]
        assert located(titles) == [(2, "flat_code", "out_of_scope")]


# --- the command line ---------------------------------------------------------------------------


def test_import_command__good_file__prints_summary(tree, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(PEOPLE_HEADERS, [[make_id_number(seq=98), "卫四", ""]]))
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("import", "people", str(path), stdout=out, stderr=err)
    assert out.getvalue().strip() == "created 1, updated 0, unchanged 0"
    assert "Checking" in err.getvalue() and "Writing" in err.getvalue()  # the progress bars
    assert Person.objects.filter(name="卫四").count() == 1


def test_import_command__bad_rows__lists_errors_and_exits_1(tree, tmp_path, make_user, nothing_written):
    path = tmp_path / "people.xlsx"
    path.write_bytes(xlsx_bytes(PEOPLE_HEADERS, [[make_id_number(seq=99), "蒋五", ""], ["123", "沈六", ""]]))
    admin = make_user(RoleKind.DISTRICT_ADMIN, tree.district)
    with nothing_written():
        err = io.StringIO()
        with translation.override("en"), pytest.raises(CommandError) as raised:
            call_command("import", "people", str(path), "--user", admin.username, stdout=io.StringIO(), stderr=err)
        assert raised.value.returncode == 1
        assert "Row 3 “身份证号”: A resident ID number has 18 characters." in err.getvalue()


def test_import_command__dry_run__writes_nothing(tree, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(PEOPLE_HEADERS, [[make_id_number(seq=100), "韩七", ""]]))
    out = io.StringIO()
    with translation.override("en"):
        call_command("import", "people", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip() == "Dry run, nothing written: would create 1, update 0, leave 0 unchanged."
    assert not Person.objects.filter(name="韩七").exists()


def test_import_command__user_without_permission__refused(tree, tmp_path, role_users):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(PEOPLE_HEADERS, [[make_id_number(seq=101), "杨八", ""]]))
    with pytest.raises(CommandError):
        call_command("import", "people", str(path), "--user", role_users[RoleKind.RESIDENT].username,
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert not Person.objects.filter(name="杨八").exists()



def test_roster_import__places_floors__read_and_checked(tree, nothing_written):
    headers = [*PLACE_HEADERS, "地上层数"]
    with nothing_written():
        result = run("places", headers, [["F0", "0层楼", "楼幢", tree.estate.code, "", "", "", "", "", "", "0"],
                                         ["F1", "楼", "楼幢", tree.estate.code, "", "", "", "", "", "", "六"]])
        assert located(result) == [(2, "floors", "out_of_range"), (3, "floors", "integer")]
    result = run("places", headers, [["F6", "6层楼", "楼幢", tree.estate.code, "", "", "", "", "", "", "6"]])
    assert result.ok
    assert Place.objects.get(code="F6").floors == 6
