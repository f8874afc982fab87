"""Adding to roll-up tables: rows of (key…, measures…) summed into a table with a unique key, one
`INSERT … ON CONFLICT DO UPDATE` per 500 keys, which SQLite and PostgreSQL both run. A model that is a roll-up
names its `key_fields` (columns of its unique constraint) and `measure_fields` (what is added)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models

CHUNK = 500


def rollup_add(model: type[models.Model], rows: Mapping[tuple, Sequence[Any]]) -> None:
    """Add each key's measures to the stored ones (a new key starts from them); keys adding nothing are left out."""
    rows = {key: measures for key, measures in rows.items() if any(measures)}
    if not rows:
        return
    connection = connections[DEFAULT_DB_ALIAS]  # the connection itself: the proxy looks it up on every use
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    fields = [model._meta.get_field(name) for name in (*model.key_fields, *model.measure_fields)]  # type: ignore
    keys = [quote(field.column) for field in fields[:len(model.key_fields)]]  # type: ignore[attr-defined]
    measures = [quote(field.column) for field in fields[len(keys):]]
    width = len(keys) + len(measures)
    assign = ", ".join(f"{m} = {table}.{m} + EXCLUDED.{m}" for m in measures)
    for chunk in _chunks(list(rows.items()), CHUNK):
        values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(chunk))
        # as the ORM would store them (an aware time as SQLite's text in UTC, a Decimal as the column's type)
        params = [field.get_db_prep_save(value, connection)
                  for key, row in chunk for field, value in zip(fields, (*key, *row), strict=True)]
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({', '.join(keys + measures)}) VALUES {values} "
                           f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {assign}", params)


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
