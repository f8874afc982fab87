"""Writing a roster: CSV (UTF-8 with BOM, so Excel reads the Chinese) or XLSX."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from .readers import FORMULA_CHARS

FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def safe_text(value: str) -> str:
    """Text Excel would run as a formula (“=…”, “+…”) gets an apostrophe; the reader removes it."""
    return "'" + value if value[:1] in FORMULA_CHARS else value


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime.date, Decimal, int)):
        return str(value)
    return safe_text(str(value))


def xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        return safe_text(value)
    return value


def write_csv(headers: list[str], rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(headers: list[str], rows: Iterable[list[Any]], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_table(fmt: str, headers: list[str], rows: Iterable[list[Any]], *, title: str) -> bytes:
    if fmt == "csv":
        return write_csv(headers, rows)
    if fmt == "xlsx":
        return write_xlsx(headers, rows, title=title)
    raise ValueError(fmt)
