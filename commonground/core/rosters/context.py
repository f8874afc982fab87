"""State shared by one import: the rows, the user's scope, collected errors, audit details."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .. import clock
from ..permissions import scope_paths
from .results import ProgressFactory, RowError
from .specs import RosterSpec

T = TypeVar("T")
P = TypeVar("P", bound="Parsed")
IN_CHUNK = 500  # stay far below SQLite's limit on query parameters
PROGRESS_STEP = 1000
WRITE_CHUNK = 2000


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

    @property
    def writes(self) -> int:
        return self.created + self.updated

    def apply(self, ctx: ImportContext, bar: Any) -> None:
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

    def history(self) -> dict[str, Any]:
        """Audit-trail details for bulk writes: who, when, why (a fixed text, not translated)."""
        return {
            "default_user": self.user,
            "default_date": self.now,
            "default_change_reason": f"roster import: {self.spec.name}",
        }

    def create(self, model: type[Any], objs: list[Any], bar: Any) -> list[Any]:
        """bulk_create with the audit trail, in slices so the progress bar moves."""
        created: list[Any] = []
        for batch in chunked(objs, WRITE_CHUNK):
            created += bulk_create_with_history(batch, model, **self.history())
            bar.update(len(batch))
        return created

    def update(self, model: type[Any], objs: list[Any], fields: Iterable[str], bar: Any) -> None:
        """Write changed `fields` of `objs`, with the audit trail; `updated_at` is set here."""
        fields = sorted({*fields, "updated_at"})
        for batch in chunked(objs, WRITE_CHUNK):
            for obj in batch:
                obj.updated_at = self.now
            update_rows(model, batch, fields)
            # fields=[]: history records only; the rows were written just above.
            bulk_update_with_history(batch, model, [], **self.history())
            bar.update(len(batch))


def update_rows(model: type[Any], objs: list[Any], fields: list[str]) -> None:
    """One prepared UPDATE per row, sent with executemany.

    Django's bulk_update builds a CASE/WHEN expression per field per row; for 50,000 people
    on SQLite that took over a minute, this takes about a second and works on every backend.
    """
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name) for name in fields]
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(model._meta.db_table), ", ".join(f"{quote(column.column)} = %s" for column in columns),
        quote(model._meta.pk.column),
    )
    params = [[column.get_db_prep_save(getattr(obj, column.attname), connection) for column in columns] + [obj.pk]
              for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
