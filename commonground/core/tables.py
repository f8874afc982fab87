"""The one table writer: every CSV and XLSX export of every app goes through it.

Text cells lose the control characters no person types (`core.text.clean_text`: openpyxl refuses them, so one
such character in a description made every XLSX export fail) and text a spreadsheet would run as a formula
(=, +, -, @, or a leading tab/carriage return; OWASP "CSV injection") gets an apostrophe in front, which
spreadsheets show as text and our roster reader removes. Numbers, dates and booleans stay typed. Personal
fields arrive here already masked (`core.masking.shown`).

CSV is UTF-8 with a BOM so Excel reads the Chinese; it can be streamed line by line.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse

from .text import clean_text

FORMULA_CHARS = ("=", "+", "-", "@", "\t", "\r")
CSV_BOM = "\ufeff"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SHEET_TITLE_MAX = 31  # Excel's limit


def safe_text(value: str) -> str:
    """Text as a spreadsheet may hold it: no control characters, never a formula."""
    text = clean_text(value)
    return "'" + text if text[:1] in FORMULA_CHARS else text


def xlsx_value(value: Any) -> Any:
    """A cell value for openpyxl: text made safe, aware datetimes as local wall time, the rest as it is."""
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, (bool, int, float, Decimal, datetime.date, datetime.datetime)):
        return value
    return safe_text(str(value))


def csv_value(value: Any) -> str:
    """A cell as CSV text: dates as ISO, times to the minute (local), booleans as 1/0, text made safe."""
    value = xlsx_value(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (datetime.date, Decimal, int, float)):
        return str(value)
    return value


def csv_lines(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV text line by line, the first starting with a BOM (for streaming responses)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([safe_text(str(header)) for header in headers])
    yield CSV_BOM + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_value(value) for value in row])
        yield buffer.getvalue()


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    return "".join(csv_lines(headers, rows)).encode("utf-8")


@dataclass(frozen=True)
class Styled:
    """A cell with a style: bold (headers, table titles) and/or a number format ("0.00%")."""

    value: Any
    bold: bool = False
    number_format: str = ""


@dataclass
class Sheet:
    """One worksheet: its title, its rows (values or `Styled` cells), column widths from A on."""

    title: str
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int | None] = field(default_factory=tuple)


def sheet_title(title: str, taken: Sequence[str] = ()) -> str:
    """A worksheet name Excel accepts: no []:*?/\\, at most 31 characters, unique in the book."""
    clean = "".join(" " if char in "[]:*?/\\" else char for char in clean_text(title)).strip(" '")[:28] or "Sheet"
    candidate, n = clean, 2
    while candidate in taken:
        candidate, n = f"{clean} {n}", n + 1
    return candidate


def xlsx_book(sheets: Iterable[Sheet]) -> bytes:
    """A workbook, written in openpyxl's write-only mode (memory stays flat whatever the rows)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    taken: list[str] = []
    for spec in sheets:
        taken.append(sheet_title(spec.title, taken))
        sheet = workbook.create_sheet(title=taken[-1])
        for index, width in enumerate(spec.widths, start=1):
            if width:
                sheet.column_dimensions[get_column_letter(index)].width = width
        for row in spec.rows:
            cells: list[Any] = []
            for value in row:
                if isinstance(value, Styled):
                    cell = WriteOnlyCell(sheet, value=xlsx_value(value.value))
                    if value.bold:
                        cell.font = bold
                    if value.number_format:
                        cell.number_format = value.number_format
                    cells.append(cell)
                else:
                    cells.append(xlsx_value(value))
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str,
               widths: Sequence[int | None] = ()) -> bytes:
    """One sheet: a bold header row, then the rows."""
    header = [Styled(str(header), bold=True) for header in headers]
    return xlsx_book([Sheet(title, _prepend(header, rows), widths)])


def _prepend(first: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    yield first
    yield from rows


def table_bytes(fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str,
                widths: Sequence[int | None] = ()) -> bytes:
    if fmt == "csv":
        return csv_bytes(headers, rows)
    if fmt == "xlsx":
        return xlsx_bytes(headers, rows, title=title, widths=widths)
    raise ValueError(fmt)


def table_response(fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, filename: str, title: str,
                   widths: Sequence[int | None] = ()) -> HttpResponse | StreamingHttpResponse:
    """A download: CSV streamed row by row, XLSX built whole; `filename` without its extension (ASCII)."""
    if fmt == "csv":
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            csv_lines(headers, rows), content_type=CONTENT_TYPES["csv"])
    else:
        response = HttpResponse(table_bytes(fmt, headers, rows, title=title, widths=widths),
                                content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
