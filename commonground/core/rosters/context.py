"""State shared by one import: the rows, the user's scope, collected errors, audit details."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import bulk, clock
from ..permissions import scope_paths
from .results import ProgressFactory, RowError
from .specs import RosterSpec

T = TypeVar("T")
P = TypeVar("P", bound="Parsed")
IN_CHUNK = 500  # stay far below SQLite's limit on query parameters
PROGRESS_STEP = 1000


class Invalid:
    """The value of a cell that failed to parse (its error is already recorded)."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = Invalid()


def chunked(items: Iterable[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class Row:
    """One data row: its spreadsheet number and its cells by column key."""

    __slots__ = ("cells", "number", "ok")

    def __init__(self, number: int, cells: dict[str, str]) -> None:
        self.number = number
        self.cells = cells
        self.ok = True


class Parsed:
    """Base of a roster's parsed row: it keeps its Row for error reports."""

    row: Row


class Plan:
    """What an import will do, worked out before anything is written."""

    created = 0
    updated = 0
    unchanged = 0

    def statements(self, ctx: ImportContext) -> list[bulk.Statement]:
        """The writes, prepared outside the write transaction (primary keys reserved, values converted)."""
        raise NotImplementedError


class ImportContext:
    def __init__(self, *, spec: RosterSpec, user: Any, headers: dict[str, str], progress: ProgressFactory) -> None:
        self.spec = spec
        self.user = user  # None: the system (CLI without --user), not scope-checked
        self.headers = headers  # column key → header text as the file wrote it
        self.progress = progress
        self.errors: list[RowError] = []
        self.now = clock.now()
        self._paths: dict[str, list[str] | None] = {}

    # errors -----------------------------------------------------------------------------------
    def column_name(self, key: str) -> str:
        return self.headers.get(key) or self.spec.column(key).label

    def error(self, row: Row, key: str, message: str, code: str) -> None:
        row.ok = False
        self.errors.append(RowError(row.number, self.column_name(key), str(message), key, code))

    def parse(self, row: Row, key: str, parser: Callable[..., Any], *, required: bool = False, **options: Any) -> Any:
        """The parsed cell, None when blank, or INVALID after recording the error."""
        try:
            value = parser(row.cells.get(key, ""), **options)
        except ValidationError as error:
            self.error(row, key, error.messages[0], error.code or "invalid")
            return INVALID
        if value is None and required:
            self.error(row, key, _("This cell is required."), "required")
            return INVALID
        return value

    def first_rows(self, items: list[P], key: Callable[[P], Any], column: str) -> dict[Any, P]:
        """Map each key to its first parsed row; later rows with the same key are reported as duplicates."""
        seen: dict[Any, P] = {}
        for item in items:
            value = key(item)
            if value is None:
                continue
            if value in seen:
                first = seen[value].row.number
                self.error(item.row, column, _("This repeats row %(row)d.") % {"row": first}, "duplicate")
            else:
                seen[value] = item
        return seen

    # scope ------------------------------------------------------------------------------------
    def paths(self, action: str) -> list[str] | None:
        if self.user is None:
            return None
        if action not in self._paths:
            self._paths[action] = scope_paths(self.user, action)
        return self._paths[action]

    def may(self, action: str, path: str | None) -> bool:
        """May the importing user do `action` at the place with this path (None: the top level)?"""
        paths = self.paths(action)
        if paths is None:
            return True
        return path is not None and any(path.startswith(prefix) for prefix in paths)

    def may_somewhere(self, action: str) -> bool:
        """May the importing user do `action` anywhere (for records with no place, such as a new person)?"""
        paths = self.paths(action)
        return paths is None or bool(paths)

    def refuse(self, row: Row, key: str) -> None:
        self.error(row, key, _("This is outside your area of responsibility."), "out_of_scope")

    # progress and writing ---------------------------------------------------------------------
    def counted(self, items: list[T], desc: str) -> Iterator[T]:
        """Iterate `items`, moving a progress bar every PROGRESS_STEP items."""
        bar = self.progress(desc=desc, total=len(items))
        try:
            for index, item in enumerate(items, start=1):
                yield item
                if index % PROGRESS_STEP == 0:
                    bar.update(PROGRESS_STEP)
            bar.update(len(items) % PROGRESS_STEP)
        finally:
            bar.close()

    def audit(self) -> bulk.Audit:
        """Who, when, why (a fixed text, not translated) for the audit rows of this import."""
        return bulk.Audit(getattr(self.user, "pk", None), self.now, f"roster import: {self.spec.name}")

    def insert(self, model: type[Any], objs: list[Any]) -> list[bulk.Statement]:
        return bulk.insert(model, objs, audit=self.audit())

    def update(self, model: type[Any], objs: list[Any], fields: Iterable[str]) -> list[bulk.Statement]:
        return bulk.update(model, objs, fields, audit=self.audit())
