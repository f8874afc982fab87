"""What an import reports: row errors and the summary, and the progress hook."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    """One problem, located as the spreadsheet shows it (the header is row 1)."""

    row: int
    column: str  # the header as the file wrote it (or the column's Chinese label)
    message: str
    key: str = ""  # the column's key, for code that reads the errors
    code: str = ""  # a stable error code, for code that reads the errors

    def __str__(self) -> str:
        if not self.row:  # about the whole file
            return self.message
        return _("Row %(row)d “%(column)s”: %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message,
        }


@dataclass
class ImportResult:
    roster: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    write_seconds: float = 0.0  # how long the write transaction (SQLite: the database's write lock) was held

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_rows(self) -> int:
        return len({error.row for error in self.errors})

    def summary(self) -> str:
        if self.dry_run:
            text = _("Dry run, nothing written: would create %(created)d, update %(updated)d, leave %(unchanged)d unchanged.")
        else:
            text = _("created %(created)d, updated %(updated)d, unchanged %(unchanged)d")
        return text % {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


class ProgressBar(Protocol):
    def update(self, n: int = 1) -> object: ...

    def close(self) -> object: ...


class ProgressFactory(Protocol):
    def __call__(self, *, desc: str, total: int) -> ProgressBar: ...


class _NoProgress:
    def update(self, n: int = 1) -> None:
        return None

    def close(self) -> None:
        return None


def no_progress(*, desc: str, total: int) -> ProgressBar:
    return _NoProgress()
