"""The one table writer: formulas neutralised, control characters dropped, types kept; nothing else writes tables."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from commonground.core.tables import Sheet, Styled, csv_bytes, safe_text, sheet_title, xlsx_book, xlsx_bytes

APP_CODE = Path(__file__).resolve().parents[2] / "commonground"


@pytest.mark.parametrize(("raw", "written"), [
    ("=1+1", "'=1+1"), ("+86 138", "'+86 138"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("a=1", "a=1"), ("王小明", "王小明"), ("x\x00y\x0b", "xy"),
    ("\x00=1", "'=1"),
])
def test_safe_text(raw, written):
    assert safe_text(raw) == written


def test_csv_bytes__bom_types_and_safe_text():
    data = csv_bytes(["名称", "=header"], [["=cmd|' /C calc'!A0", Decimal("75.50")],
                                         [datetime.date(2023, 8, 31), True], [None, 3]])
    assert data.decode("utf-8") == (
        "\ufeff名称,'=header\r\n'=cmd|' /C calc'!A0,75.50\r\n2023-08-31,1\r\n,3\r\n")


def test_xlsx_book__styles_types_and_unique_titles():
    data = xlsx_book([
        Sheet("报告", [[Styled("标题", bold=True)], ["=1+1", Styled(0.25, number_format="0.00%"), 7]], widths=(40,)),
        Sheet("报告", [["a\x00b"]]),
        Sheet("'a:b/c", [[]]),
    ])
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["报告", "报告 2", "a b c"]
    first = book["报告"]
    assert first["A1"].font.bold and first["A2"].value == "'=1+1" and first["A2"].data_type == "s"
    assert (first["B2"].value, first["B2"].number_format, first["C2"].value) == (0.25, "0.00%", 7)
    assert book["报告 2"]["A1"].value == "ab"


def test_xlsx_bytes__header_bold():
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["编号"], [["SX1"]], title="事项"))).active
    assert sheet.title == "事项" and sheet["A1"].font.bold and sheet["A2"].value == "SX1"


def test_sheet_title__at_most_31_characters():
    assert len(sheet_title("很长的标题" * 10)) <= 31


def test_app_code__writes_tables_only_through_core_tables():
    """Every CSV/XLSX export goes through core.tables, so no export escapes its neutralising."""
    writers = re.compile(r"csv\.writer\(|csv\.DictWriter\(|Workbook\(")
    offenders = [str(path.relative_to(APP_CODE)) for path in APP_CODE.rglob("*.py")
                 if path.name != "tables.py" and writers.search(path.read_text())]
    assert offenders == []
