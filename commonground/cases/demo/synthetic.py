"""`commonground demo --cases N`: N more cases with their event logs, cloned from the demo's own, so the case
engine can be measured at a district's size (four years of 拱墅区 is about 2 million cases).

Each clone copies one demo case and its whole event log, moved in time: about 99% are copies of closed cases
(closed, rated or turned away) reported between 2019-09-01 and the demo's today, closed before it; about 1% are
copies of the demo's open cases, moved back by up to three weeks, so some of them are now past their deadline.
A clone's number is written as intake writes it (its day and its id); the clones are counted into the roll-ups
with their batch. Not cloned: the originals' mediation
records, attachments and notifications (the queue, dashboard, map and report read the case and event tables).

The rows are copied by the database (INSERT … SELECT through a table of clone → original, shift and number), in
committed batches of BATCH cases: Python only plans which original, how far it moves and the number.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, models, transaction

from commonground.core import clock
from commonground.core.bulk import reserve_ids

from ..models import OPEN_STAGES, Case, CaseEvent
from ..services.intake import case_number
from ..services.tallies import tallies_add

FIRST_DAY = datetime.datetime(2019, 9, 1, tzinfo=datetime.UTC)
OPEN_SHARE = 0.01
OPEN_SHIFT_DAYS = 21
BATCH = 50_000
PLAN_TABLE = "cg_case_clone_plan"


@dataclass(frozen=True)
class Original:
    pk: int
    created_at: datetime.datetime
    lasted: datetime.timedelta  # from reported to its last event


def originals() -> tuple[list[Original], list[Original]]:
    """The demo's cases to copy: (closed, open); cases merged into another are left out."""
    rows = (Case.objects.filter(merged_into__isnull=True).order_by("pk")
            .values_list("pk", "created_at", "stage", "closed_at", "updated_at"))
    closed, still_open = [], []
    for pk, created_at, stage, closed_at, updated_at in rows:
        original = Original(pk, created_at, max(closed_at or updated_at, updated_at) - created_at)
        (still_open if stage in OPEN_STAGES else closed).append(original)
    return closed, still_open


def plan(count: int, rng: random.Random, now: datetime.datetime,
         closed: list[Original], still_open: list[Original]) -> list[tuple[int, int]]:
    """(original, shift in seconds) for each clone, in the order of their new ids."""
    planned = []
    for _ in range(count):
        if still_open and rng.random() < OPEN_SHARE:
            original = rng.choice(still_open)
            shift = -rng.uniform(0, OPEN_SHIFT_DAYS * 86400)
        else:
            original = rng.choice(closed)
            latest = now - original.lasted - datetime.timedelta(days=1)
            reported = FIRST_DAY + (latest - FIRST_DAY) * rng.random()
            shift = (reported - original.created_at).total_seconds()
        planned.append((original.pk, round(shift)))
    return planned


def _shifted(column: str) -> str:
    """SQL for a datetime column of the original moved by the plan's shift (seconds)."""
    if connection.vendor == "postgresql":
        return f"o.{column} + p.shift * interval '1 second'"
    return f"strftime('%Y-%m-%d %H:%M:%f', o.{column}, p.shift || ' seconds')"


def _copy_sql(model: type[models.Model], target_of: dict[str, str], join: str) -> str:
    """INSERT … SELECT of `model`'s rows from their originals `o` through the plan `p`."""
    quote = connection.ops.quote_name
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.attname in target_of:
            value = target_of[field.attname]
        elif field.primary_key:
            continue  # the database numbers copied events
        elif isinstance(field, models.DateTimeField):
            value = _shifted(quote(field.column))
        else:
            value = f"o.{quote(field.column)}"
        columns.append(quote(field.column))
        values.append(value)
    return (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) SELECT {', '.join(values)} "
            f"FROM {PLAN_TABLE} p JOIN {quote(model._meta.db_table)} o ON {join} ORDER BY p.new_id, o.id")


def add_cases(count: int, *, seed: int, progress: Callable[[int], None] = lambda n: None) -> int:
    """Add `count` cloned cases (and their events) to a database holding the demo; returns events written."""
    closed, still_open = originals()
    if not closed:
        raise ValueError("no closed cases to copy: build the demo first")
    rng = random.Random(seed)
    now = clock.now()
    case_sql = _copy_sql(Case, {"id": "p.new_id", "number": "p.number", "merged_into_id": "NULL"}, "o.id = p.original")
    event_sql = _copy_sql(CaseEvent, {"case_id": "p.new_id"}, "o.case_id = p.original")
    created_of = dict(Case.objects.values_list("pk", "created_at"))
    events = 0
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {PLAN_TABLE} "
                       "(new_id bigint PRIMARY KEY, original bigint, shift bigint, number varchar(20))")
        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            ids = reserve_ids(Case, size)
            rows = [(pk, original, shift, _number(pk, created_of[original], shift))
                    for pk, (original, shift) in zip(ids, plan(size, rng, now, closed, still_open), strict=True)]
            with transaction.atomic():
                cursor.execute(f"DELETE FROM {PLAN_TABLE}")
                cursor.executemany(f"INSERT INTO {PLAN_TABLE} VALUES (%s, %s, %s, %s)", rows)
                cursor.execute(case_sql)
                cursor.execute(event_sql)
                events += cursor.rowcount
                tallies_add(Case.objects.filter(pk__gte=ids[0], pk__lte=ids[-1]))
            progress(size)
        cursor.execute(f"DROP TABLE {PLAN_TABLE}")
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else
                       f"ANALYZE {Case._meta.db_table}, {CaseEvent._meta.db_table}")
    return events


def _number(pk: int, created_at: datetime.datetime, shift: int) -> str:
    return case_number(created_at + datetime.timedelta(seconds=shift), pk)

