"""Rosters in and out: CSV and XLSX import and export of places, people, households and ownership.

    table = read_table(path_or_bytes, filename)            # readers
    result = roster_import(roster="people", table=table, actor=user)   # check all, then write all or nothing
    data = roster_export(roster="people", fmt="xlsx", user=user)      # what the user may see, masked
"""

from __future__ import annotations

from ..tables import CONTENT_TYPES as FORMATS
from .exporting import ExportError, export_rows, roster_export
from .importing import roster_import
from .readers import EXTENSIONS, RosterFileError, Table, read_table
from .results import ImportResult, RowError
from .specs import ROSTERS

__all__ = [
    "EXTENSIONS", "FORMATS", "ROSTERS", "ExportError", "ImportResult", "RosterFileError", "RowError", "Table",
    "export_rows", "read_table", "roster_export", "roster_import",
]
