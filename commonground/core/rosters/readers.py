"""Reading a roster file (CSV or XLSX) into rows of text, numbered as the spreadsheet shows them."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from ..tables import FORMULA_CHARS

EXTENSIONS = (".csv", ".xlsx")


class RosterFileError(ValueError):
    """The file cannot be read as a roster at all (wrong type, broken, empty)."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, cells)


def clean_cell(value: Any) -> str:
    """Text of a cell: numbers without float noise, dates as YYYY-MM-DD, spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).replace("\u3000", " ").replace("\xa0", " ").strip()
    # Undo the apostrophe our export puts before text that Excel would take for a formula.
    if text[:1] == "'" and text[1:2] in FORMULA_CHARS:
        text = text[1:]
    return text


def decode_csv(data: bytes) -> str:
    """UTF-8 with or without BOM; otherwise GB18030 (a superset of the GBK that Chinese Excel writes)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise RosterFileError(_("The file is neither UTF-8 nor GBK text; save it again as CSV or XLSX.")) from None


def _table(rows: Any) -> Table:
    table: Table | None = None
    for number, raw in enumerate(rows, start=1):
        cells = [clean_cell(value) for value in raw]
        if table is None:
            table = Table(headers=cells)
            continue
        if any(cells):
            table.rows.append((number, cells))
    if table is None or not any(table.headers):
        raise RosterFileError(_("The file is empty: the first row must hold the column headers."))
    return table


def read_csv(data: bytes) -> Table:
    return _table(csv.reader(io.StringIO(decode_csv(data), newline="")))


def read_xlsx(data: bytes) -> Table:
    """The first worksheet of an XLSX workbook, read in read-only mode."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise RosterFileError(_("This is not a readable XLSX workbook.")) from None
    try:
        return _table(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def check_roster_file(upload: Any) -> None:
    """A roster upload is a .csv or .xlsx file within the upload limit (ValidationError({"file": …}))."""
    from django.core.exceptions import ValidationError
    from django.template.defaultfilters import filesizeformat

    from ..uploads import max_upload_bytes

    if Path(upload.name or "").suffix.lower() not in EXTENSIONS:
        raise ValidationError({"file": _("Only .csv and .xlsx files can be imported.")})
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError({"file": _(
            "The file is %(size)s; files up to %(limit)s can be imported. Split it into smaller files.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}})


def read_upload(upload: Any, aliases: Mapping[str, Collection[str]]) -> tuple[Table, dict[str, int]]:
    """An uploaded table checked as a roster upload and read (ValidationError({"file": …}) when it cannot be), with
    the position of each known column: `aliases` maps a column to the lower-case headers that name it; the first
    matching header wins."""
    from django.core.exceptions import ValidationError

    check_roster_file(upload)
    try:
        table = read_table(upload.read(), upload.name)
    except RosterFileError as error:
        raise ValidationError({"file": str(error)}) from None
    index: dict[str, int] = {}
    for position, header in enumerate(table.headers):
        name = header.strip().lower()
        for column, names in aliases.items():
            if name in names and column not in index:
                index[column] = position
    return table, index


def read_table(source: bytes | IO[bytes] | Path | str, filename: str | None = None) -> Table:
    """Read a roster from bytes, a binary file or a path; the type comes from the file name."""
    if isinstance(source, (str, Path)):
        filename = filename or str(source)
        data = Path(source).read_bytes()
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read()
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".csv":
        return read_csv(data)
    if suffix == ".xlsx":
        return read_xlsx(data)
    raise RosterFileError(_("Only .csv and .xlsx files can be imported."))
