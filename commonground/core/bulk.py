"""Bulk writes prepared outside the write lock and written with one executemany per table.

Django's bulk_create prepares every value and compiles an INSERT per batch inside the call, and
django-simple-history builds an audit object per row on top: a 300,000-person import held SQLite's one write
lock for 40 s and every filing on the site waited. Here the primary keys are reserved first (SQLite: a moment
on `sqlite_sequence`; PostgreSQL: `nextval`), every row and its audit row is turned into database values
before the write transaction, and the transaction only runs the prepared statements.

    statements = insert(Person, people, audit=Audit(user_id, now, "roster import: people"))
    with transaction.atomic():
        run(statements)
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, models, router, transaction

from . import clock
from .models.base import ClockDateTimeField

CHUNK = 20_000  # rows per executemany call: the progress bar moves, memory stays flat
PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.AutoField,
                models.BigAutoField, models.PositiveIntegerField, models.PositiveSmallIntegerField,
                models.SmallIntegerField, models.BigIntegerField)


@dataclass(frozen=True)
class Audit:
    """Who, when and why, for the audit rows written beside the data (django-simple-history's table)."""

    user_id: int | None
    at: datetime.datetime
    reason: str


@dataclass
class Statement:
    """One SQL statement and the rows to run it with."""

    sql: str
    rows: list[Sequence[Any]]
    alias: str  # the database to run it on


def _connection(model: type[models.Model]) -> Any:
    return connections[router.db_for_write(model)]


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys nobody else will take, reserved now (a failed write leaves a harmless gap)."""
    if count <= 0:
        return []
    connection = _connection(model)
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [quote(table), pk, count])
            return [row[0] for row in cursor.fetchall()]
        with transaction.atomic(using=connection.alias):  # AUTOINCREMENT: new rows go above sqlite_sequence
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            cursor.execute(f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}")
            top = max(row[0] if row else 0, cursor.fetchone()[0])
            if row:
                cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [top + count, table])
            else:
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, top + count])
        return list(range(top + 1, top + count + 1))


def _preparer(field: models.Field, connection: Any) -> Callable[[Any], Any] | None:
    """How a Python value of `field` becomes a database value (None: as it is)."""
    if type(field) in PLAIN_FIELDS:
        return None
    if isinstance(field, models.ForeignKey) and type(field.target_field) in PLAIN_FIELDS:
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _rows(fields: list[models.Field], objs: Iterable[Any], connection: Any,
          values: Callable[[Any, models.Field], Any] = lambda obj, field: getattr(obj, field.attname),
          ) -> list[tuple[Any, ...]]:
    preparers = [_preparer(field, connection) for field in fields]
    return [tuple(value if prepare is None or value is None else prepare(value)
                  for prepare, value in zip(preparers, (values(obj, field) for field in fields), strict=True))
            for obj in objs]


def _insert_sql(table: str, columns: list[str], connection: Any) -> str:
    quote = connection.ops.quote_name
    return (f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})")


def _stamp(model: type[models.Model], objs: Sequence[Any], *, add: bool, audit: Audit | None) -> None:
    """Timestamps once for all rows (what each row's save() would have written): the audit's moment, so the
    rows and their audit rows agree, or the one clock's now."""
    now = audit.at if audit else clock.now()
    for field in model._meta.concrete_fields:
        if isinstance(field, ClockDateTimeField) and (field.auto_now or (field.auto_now_add and add)):
            for obj in objs:
                setattr(obj, field.attname, now)


def insert(model: type[models.Model], objs: Sequence[Any], *, audit: Audit | None = None) -> list[Statement]:
    """INSERTs for `objs` (their primary keys reserved here unless set) and, for audited models, their
    audit rows ("+" created)."""
    if not objs:
        return []
    connection = _connection(model)
    missing = [obj for obj in objs if obj.pk is None]
    for obj, pk in zip(missing, reserve_ids(model, len(missing)), strict=True):
        obj.pk = pk
    _stamp(model, objs, add=True, audit=audit)
    fields = list(model._meta.concrete_fields)
    statements = [Statement(_insert_sql(model._meta.db_table, [f.column for f in fields], connection),
                            _rows(fields, objs, connection), connection.alias)]
    return statements + _audit_rows(model, objs, "+", audit, connection)


def update(model: type[models.Model], objs: Sequence[Any], fields: Iterable[str], *,
           audit: Audit | None = None) -> list[Statement]:
    """UPDATEs of `fields` (and `updated_at`) by primary key, and their audit rows ("~" changed)."""
    if not objs:
        return []
    connection = _connection(model)
    _stamp(model, objs, add=False, audit=audit)
    names = sorted({*fields, *(f.name for f in model._meta.concrete_fields
                              if isinstance(f, ClockDateTimeField) and f.auto_now)})
    columns = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(model._meta.db_table), ", ".join(f"{quote(c.column)} = %s" for c in columns),
        quote(model._meta.pk.column))
    rows = [(*row, obj.pk) for row, obj in zip(_rows(columns, objs, connection), objs, strict=True)]
    return [Statement(sql, rows, connection.alias), *_audit_rows(model, objs, "~", audit, connection)]


def _audit_rows(model: type[models.Model], objs: Sequence[Any], kind: str, audit: Audit | None,
                connection: Any) -> list[Statement]:
    history = getattr(model, "history", None)
    if audit is None or history is None or not hasattr(history, "model"):
        return []
    historical = history.model
    fields = [f for f in historical._meta.concrete_fields if f.name != "history_id"]
    extra = {"history_date": audit.at, "history_type": kind, "history_user_id": audit.user_id,
             "history_change_reason": audit.reason}

    def value(obj: Any, field: models.Field) -> Any:
        return extra[field.attname] if field.attname in extra else getattr(obj, field.attname)

    return [Statement(_insert_sql(historical._meta.db_table, [f.column for f in fields], connection),
                      _rows(fields, objs, connection, value), connection.alias)]


def run(statements: Iterable[Statement], progress: Callable[[int], None] = lambda n: None) -> None:
    """Run the prepared statements in order (inside the caller's transaction), in chunks of CHUNK rows."""
    for statement in statements:
        with connections[statement.alias].cursor() as cursor:
            for start in range(0, len(statement.rows), CHUNK):
                chunk = statement.rows[start:start + CHUNK]
                cursor.executemany(statement.sql, chunk)
                progress(len(chunk))
