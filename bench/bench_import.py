"""The households roster at a district's size: CG_BENCH_IMPORT_ROWS member rows (450,000 by default: 150,000
flats of three) imported from CSV and from XLSX into a throwaway database, against a raw executemany of the
same rows (the households, their members and the audit rows of both) through the database driver.

Printed per format, medians of CG_BENCH_REPEAT runs (3): the whole import (read, check, prepare, write) in
rows per second; the write transaction alone (on SQLite the time the database's write lock is held); the
floor; and the ratios write/floor and whole/floor.
"""

from __future__ import annotations

import datetime
import os
import statistics
import time
from collections.abc import Callable

from django.db import connection, transaction

from commonground.core import bulk
from commonground.core.models import Household, HouseholdMember, Person, Place, PlaceKind
from commonground.core.models.places import path_segment
from commonground.core.rosters import read_table, roster_import
from commonground.core.rosters.context import ImportContext, Row
from commonground.core.rosters.importing import PLANNERS, map_headers
from commonground.core.rosters.specs import ROSTERS
from commonground.core.services.places import place_create
from commonground.core.tables import table_bytes
from commonground.core.validators import id_number_check_char

from .harness import throwaway_database

ROWS = int(os.environ.get("CG_BENCH_IMPORT_ROWS", "450000"))
REPEAT = int(os.environ.get("CG_BENCH_REPEAT", "3"))
MEMBERS = ("户主", "配偶", "子女")  # the relation of each member of a flat
FLATS_PER_BUILDING = 120
HEADERS = ["房屋编码", "身份证号", "与户主关系"]
BORN = datetime.date(1940, 1, 1)


def id_number(n: int) -> str:
    """Distinct valid numbers: 900 people born on each day from 1940-01-01 on."""
    first = f"330105{BORN + datetime.timedelta(days=n // 900):%Y%m%d}{n % 900 + 100:03d}"
    return first + id_number_check_char(first)


def build(flats: int) -> list[list[str]]:
    """The district's flats and people, written in bulk; the household rows that place the people in the flats."""
    district = place_create(code="B330105", name="基准区", kind=PlaceKind.DISTRICT)
    street = place_create(code="B330105001", name="基准街道", kind=PlaceKind.STREET, parent=district)
    community = place_create(code="B330105001001", name="基准社区", kind=PlaceKind.COMMUNITY, parent=street)
    estate = place_create(code="B330105001001-E1", name="基准小区", kind=PlaceKind.ESTATE, parent=community)
    buildings = [Place(code=f"{estate.code}-B{b:04d}", name=f"{b}幢", kind=PlaceKind.BUILDING, parent_id=estate.pk,
                       depth=estate.depth + 1) for b in range(flats // FLATS_PER_BUILDING + 1)]
    ids = iter(bulk.reserve_ids(Place, len(buildings)))
    for building in buildings:
        building.pk = next(ids)
        building.path = estate.path + path_segment(building.pk)
    flat_rows = [Place(code=f"{buildings[n // FLATS_PER_BUILDING].code}-{n:06d}", name=f"{n % FLATS_PER_BUILDING}室",
                       kind=PlaceKind.FLAT, parent_id=buildings[n // FLATS_PER_BUILDING].pk, depth=estate.depth + 2)
                 for n in range(flats)]
    by_pk = {building.pk: building for building in buildings}
    for flat, pk in zip(flat_rows, bulk.reserve_ids(Place, flats), strict=True):
        flat.pk = pk
        flat.path = by_pk[flat.parent_id].path + path_segment(pk)
    people = [Person(name=f"居民{n}", id_number=id_number(n)) for n in range(flats * len(MEMBERS))]
    with transaction.atomic():
        bulk.run(bulk.insert(Place, buildings) + bulk.insert(Place, flat_rows) + bulk.insert(Person, people))
    return [[flat.code, people[n * len(MEMBERS) + m].id_number, relation]
            for n, flat in enumerate(flat_rows) for m, relation in enumerate(MEMBERS)]


def clear() -> None:
    """Remove what an import wrote, so the next run imports the same rows again: plain DELETEs, since the ORM's
    delete would fetch every row and write a history record for each (an hour at 450,000 rows)."""
    models = (HouseholdMember.history.model, Household.history.model, HouseholdMember, Household)
    with transaction.atomic(), connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def floor(data: bytes, filename: str) -> tuple[float, int]:
    """The same statements the import writes, prepared beforehand, run with the driver's executemany."""
    table = read_table(data, filename)
    spec = ROSTERS["households"]
    positions, written, _errors, _ignored = map_headers(spec, table.headers)
    rows = [Row(number, {key: cells[p] for p, key in positions.items()}) for number, cells in table.rows]
    ctx = ImportContext(spec=spec, user=None, headers=written, progress=lambda **_: _Quiet())
    statements = PLANNERS["households"](ctx, rows).statements(ctx)
    placeholder = "?" if connection.vendor == "sqlite" else "%s"
    connection.ensure_connection()
    raw = connection.connection
    started = time.perf_counter()
    with transaction.atomic():
        cursor = raw.cursor()
        for statement in statements:
            cursor.executemany(statement.sql.replace("%s", placeholder), statement.rows)
    seconds = time.perf_counter() - started
    return seconds, sum(len(statement.rows) for statement in statements)


class _Quiet:
    def update(self, n: int = 1) -> None:
        return None

    def close(self) -> None:
        return None


def timed(func: Callable[[], float | tuple[float, ...]]) -> list:
    results = []
    for _ in range(REPEAT):
        clear()
        results.append(func())
    clear()
    return results


def run() -> None:
    flats = ROWS // len(MEMBERS)
    with throwaway_database() as name:
        started = time.perf_counter()
        rows = build(flats)
        files = {"CSV": (table_bytes("csv", HEADERS, rows, title="户籍"), "households.csv"),
                 "XLSX": (table_bytes("xlsx", HEADERS, rows, title="户籍"), "households.xlsx")}
        print(f"\nbench_import: throwaway {connection.vendor} database {name}; {len(rows):,} household rows "
              f"({flats:,} flats, {flats * len(MEMBERS):,} people) built and written to CSV "
              f"({len(files['CSV'][0]) / 2**20:.1f} MB) and XLSX ({len(files['XLSX'][0]) / 2**20:.1f} MB) in "
              f"{time.perf_counter() - started:.0f} s; medians of {REPEAT}; {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.1f}")
        for label, (data, filename) in files.items():
            measure(label, data, filename, len(rows))


def measure(label: str, data: bytes, filename: str, count: int) -> None:
    def whole() -> tuple[float, float]:
        start = time.perf_counter()
        result = roster_import(roster="households", table=read_table(data, filename))
        assert result.ok, result.errors[:3]
        return time.perf_counter() - start, result.write_seconds

    imports = timed(whole)
    floors = timed(lambda: floor(data, filename))
    total = statistics.median(seconds for seconds, _write in imports)
    write = statistics.median(write for _seconds, write in imports)
    base = statistics.median(seconds for seconds, _rows in floors)
    print(f"  {label:<5} whole import {total:7.2f} s ({count / total:9,.0f} rows/s)   write transaction {write:6.2f} s"
          f"   raw executemany floor {base:6.2f} s ({floors[0][1]:,} rows incl. audit)"
          f"   write/floor x{write / base:.2f}   whole/floor x{total / base:.1f}")
