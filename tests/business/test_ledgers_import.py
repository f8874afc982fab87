"""Imports of the ledgers: upserts, and each kind of bad row reported by row and column header with nothing
written."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from commonground.business.models import (
    BuildingLedger,
    Enterprise,
    EnterpriseStatus,
    EnterpriseTier,
    TaxRecord,
)
from commonground.business.services.ledgers_import import (
    ENTERPRISE_COLUMNS,
    building_columns,
    ledger_import,
    template_headers,
)
from commonground.core.tables import table_bytes

from .business_fixtures import make_credit_code

pytestmark = pytest.mark.django_db

HEADERS = template_headers(ENTERPRISE_COLUMNS)
OFFICE, OTHER, FAR = "330105001-BC01-OB01", "330105001-BC01-OB02", "330105002-BC01-OB01"


def upload(rows, headers=None, fmt="csv"):
    data = table_bytes(fmt, headers or HEADERS, rows, title="导入")
    return SimpleUploadedFile(f"ledger.{fmt}", data)


def firm(code, name="杭州新来科技有限公司", capital="3000000", registered_on="2023-05-04", building=OFFICE,
         registered_building=OFFICE, status="经营中", tier="重点企业"):
    return [code, name, "I6510", capital, registered_on, "杭州市拱墅区环城北路1号", building, registered_building, "8",
            "801", "25", status, tier, "2023-06-01", ""]


def errors(excinfo):
    return excinfo.value.message_dict.get("rows") or excinfo.value.message_dict.get("file")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_enterprises_import__new_and_existing__upserted(business, fmt):
    new_code = make_credit_code(30)
    star = firm(business.star.credit_code, name="杭州星河科技股份有限公司", capital="8000000", tier="一般企业")
    summary = ledger_import(actor=business.staff, kind="enterprises",
                            upload=upload([firm(new_code), star], fmt=fmt))
    assert (summary.rows, summary.created, summary.updated) == (2, 1, 1)
    new = Enterprise.objects.get(credit_code=new_code)
    assert (new.name, new.registered_capital, new.registered_on, new.building, new.tier, new.headcount) == (
        "杭州新来科技有限公司", Decimal("3000000.00"), datetime.date(2023, 5, 4), business.office, EnterpriseTier.KEY, 25)
    assert new.community_path == business.community.path
    business.star.refresh_from_db()
    assert (business.star.name, business.star.registered_capital, business.star.tier) == (
        "杭州星河科技股份有限公司", Decimal("8000000.00"), EnterpriseTier.ORDINARY)


@pytest.mark.parametrize(("row", "message"), [
    (firm("91330105MA0000001X"),
     "Row 2, 统一社会信用代码: The check character of this credit code is wrong; please check for a typing error."),
    (firm(make_credit_code(31), building="330105001-BC01-OB99", registered_building=""),
     "Row 2, 所在楼宇编码: no building of a business community has the code 330105001-BC01-OB99."),
    (firm(make_credit_code(31), building=FAR, registered_building=""),
     "Row 2, 所在楼宇编码: 天水大厦 is outside the places you manage."),
    (firm(make_credit_code(31), capital="-5"), "Row 2, 注册资本（元）: Enter a number from 0 to 99999999999999.99."),
    (firm(make_credit_code(31), registered_on="2023-02-30"),
     "Row 2, 成立日期: Enter a date as YYYY-MM-DD, such as 2023-04-22."),
    (firm(make_credit_code(31), status="歇业"),
     "Row 2, 经营状态: “歇业” is not allowed here; use one of: 经营中, 在营, 存续, 已迁出, 迁出, 已注销, 注销."),
    (firm(make_credit_code(31), registered_on="2030-01-01"),
     "Row 2, 成立日期: The registration date cannot be in the future."),
    (firm(make_credit_code(31), building="", registered_building=""),
     "Row 2, 所在楼宇编码: give the building where the enterprise is or where it is registered."),
])
def test_enterprises_import__bad_row__reported_by_row_and_column_nothing_written(business, nothing_written, row,
                                                                                 message):
    good = firm(make_credit_code(32))
    with nothing_written(), pytest.raises(ValidationError) as excinfo:
        ledger_import(actor=business.staff, kind="enterprises", upload=upload([row, good]))
    assert errors(excinfo) == [message]


def test_enterprises_import__duplicate_code_in_file__second_row_reported(business, nothing_written):
    code = make_credit_code(33)
    with nothing_written(), pytest.raises(ValidationError) as excinfo:
        ledger_import(actor=business.staff, kind="enterprises",
                      upload=upload([firm(code), firm(make_credit_code(34)), firm(code.lower())]))
    assert errors(excinfo) == ["Row 4, 统一社会信用代码: the same credit code as row 2."]


def test_enterprises_import__every_error_at_once(business, nothing_written):
    with nothing_written(), pytest.raises(ValidationError) as excinfo:
        ledger_import(actor=business.staff, kind="enterprises", upload=upload([
            firm(make_credit_code(35), capital="abc", registered_on=""), firm("123")]))
    assert errors(excinfo) == [
        "Row 2, 注册资本（元）: Enter a number.",
        "Row 2, 成立日期: this cell is empty.",
        "Row 3, 统一社会信用代码: A unified social credit code has 18 characters.",
    ]


def test_enterprises_import__firm_of_other_street__refused(business, nothing_written):
    with nothing_written(), pytest.raises(ValidationError) as excinfo:
        ledger_import(actor=business.staff, kind="enterprises",
                      upload=upload([firm(business.far.credit_code, building=OFFICE)]))
    assert errors(excinfo) == [
        "Row 2, 统一社会信用代码: this enterprise is in the ledger of a place you do not manage."]


def test_enterprises_import__missing_column_or_user_without_rights__refused(business, nothing_written):
    with nothing_written(), pytest.raises(ValidationError) as excinfo:
        ledger_import(actor=business.staff, kind="enterprises",
                      upload=upload([["x"]], headers=["企业名称"]))
    assert errors(excinfo) == ["Columns missing: 统一社会信用代码、成立日期."]
    with nothing_written(), pytest.raises(PermissionDenied):
        ledger_import(actor=business.commissioner_user, kind="enterprises",
                      upload=upload([firm(make_credit_code(36))]))


def test_enterprises_import__moved_out__status_and_day(business):
    row = firm(business.cloud.credit_code, building=OTHER, registered_building="", status="已迁出")
    row[-1] = "2024-05-01"
    ledger_import(actor=business.staff, kind="enterprises", upload=upload([row]))
    business.cloud.refresh_from_db()
    assert (business.cloud.status, business.cloud.moved_out_on) == (EnterpriseStatus.MOVED_OUT,
                                                                    datetime.date(2024, 5, 1))


TAX_HEADERS = ["统一社会信用代码", "年度", "月份", "税收（元）"]


def test_tax_import__upsert_by_code_year_month(business):
    ledger_import(actor=business.staff, kind="tax", upload=upload(
        [[business.star.credit_code, "2023", "1", "1000.50"], [business.star.credit_code, "2023", "0", "9000"]],
        headers=TAX_HEADERS))
    summary = ledger_import(actor=business.staff, kind="tax", upload=upload(
        [[business.star.credit_code, "2023", "1", "1200"], [business.cloud.credit_code, "2024", "2", "50"]],
        headers=TAX_HEADERS))
    assert (summary.created, summary.updated) == (1, 1)
    assert sorted(TaxRecord.objects.values_list("enterprise__name", "year", "month", "amount")) == [
        ("杭州云帆贸易有限公司", 2024, 2, Decimal("50.00")),
        ("杭州星河科技有限公司", 2023, 0, Decimal("9000.00")),
        ("杭州星河科技有限公司", 2023, 1, Decimal("1200.00")),
    ]


def test_tax_import__bad_rows__reported_nothing_written(business, nothing_written):
    star = business.star.credit_code
    with nothing_written(), pytest.raises(ValidationError) as excinfo:
        ledger_import(actor=business.staff, kind="tax", upload=upload([
            [star, "2023", "13", "10"],
            [star, "2023", "2", "-10"],
            [business.far.credit_code, "2023", "2", "10"],
            [star, "2023", "3", "10"],
            [star, "2023", "3", "11"],
            [make_credit_code(40), "2023", "3", "11"],
        ], headers=TAX_HEADERS))
    assert errors(excinfo) == [
        "Row 2, 月份: Enter a whole number from 0 to 12.",
        "Row 3, 税收（元）: Enter a number from 0 to 999999999999.99.",
        "Row 6, 月份: the same credit code, year and month as row 5.",
        "Row 4, 统一社会信用代码: no enterprise of your ledger has this credit code.",
        "Row 7, 统一社会信用代码: no enterprise of your ledger has this credit code.",
    ]


def test_buildings_import__vacant_area_and_indicators__graded(business):
    headers = ["楼宇编码", "空置面积（m²）", "L1 轨道交通可达性", "E1"]
    summary = ledger_import(actor=business.staff, kind="buildings", upload=upload(
        [[OFFICE, "1200.5", "5", "5"], [OTHER, "0", "", ""]], headers=headers))
    assert (summary.rows, summary.created) == (2, 2)
    office = BuildingLedger.objects.get(building=business.office)
    assert (office.vacant_area_m2, office.grade_score, office.grade) == (Decimal("1200.50"), Decimal("7.00"), "C")
    assert BuildingLedger.objects.get(building=business.other_office).grade == ""


def test_buildings_import__bad_rows__reported_nothing_written(business, nothing_written):
    headers = ["楼宇编码", "空置面积", "L1"]
    with nothing_written(), pytest.raises(ValidationError) as excinfo:
        ledger_import(actor=business.staff, kind="buildings", upload=upload([
            ["330105001-BC01-OB99", "1", ""],
            [OFFICE, "-1", ""],
            [OTHER, "30000", ""],
            ["330105001-BC01-AB01", "1", "9"],
            [FAR, "1", ""],
            [OFFICE, "2", ""],
        ], headers=headers))
    assert errors(excinfo) == [
        "Row 2, 楼宇编码: no building of a business community has the code 330105001-BC01-OB99.",
        "Row 3, 空置面积: Enter a number from 0 to 9999999999.99.",
        "Row 4, 空置面积: the vacant area cannot exceed the building's floor area.",
        "Row 5, L1: enter a number from 0 to 5.",
        "Row 6, 楼宇编码: 天水大厦 is outside the places you manage.",
    ]


def test_building_template__has_every_indicator():
    headers = template_headers(building_columns())
    assert headers[:2] == ["楼宇编码", "空置面积（m²）"]
    assert len(headers) == 42 and headers[2] == "L1 轨道交通可达性"
