"""The case engine at a district's size: `commonground bench cases --size 100k,500k,2m`.

Builds the demo into a throwaway database, then grows it to each size with `demo --cases` (clones of the demo's
cases, spread over 2019-09 to the demo's today, ~1% open, ANALYZEd) and measures, in process through Django's
test client as the demo's street and district logins: the queue (open, page 1; all stages), the district queue,
the dashboard (district, street), the open-cases map data (street) and GET /api/report (district). Each row:
median of 7 after one warm-up, the queries it ran, and a hand-written SQL floor that reads the same rows in the
same run (a page of the queue and its capped count from the case table; the figures' sums from the roll-ups; the
map's rows; the report's sums over its year), with the ratio of the two.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from commonground.cases.demo.synthetic import add_cases
from commonground.cases.figure_selectors import Window
from commonground.cases.models import OPEN_STAGES, Case
from commonground.cases.services.tallies import tallies_compare
from commonground.core import clock
from commonground.core.models import Place, PlaceKind, User
from commonground.core.models.places import path_upper_bound
from commonground.core.pagination import COUNT_CAP
from commonground.demo.builder import build_demo

from .harness import median_seconds, throwaway_database

SIZES = {"100k": 100_000, "500k": 500_000, "1m": 1_000_000, "2m": 2_000_000}
OPEN = "(" + ", ".join(f"'{stage}'" for stage in OPEN_STAGES) + ")"
PAGE = 20
PLAIN_STATIC = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


def size_of(text: str) -> int:
    text = text.strip().lower()
    return SIZES[text] if text in SIZES else int(text.replace("_", ""))


def _rows(sql: str, params: list | tuple = ()) -> Callable[[], None]:
    def run() -> None:
        with connection.cursor() as cursor:
            for statement in sql.split(";"):
                if statement.strip():
                    cursor.execute(statement, params if "%s" in statement else ())
                    cursor.fetchall()
    return run


def floors(street: Place) -> dict[str, Callable[[], None]]:
    """The same rows each endpoint reads, in hand-written SQL over the same tables: the queue's page and its
    capped count from the case table (the scope as the row's own path), the figures' sums from the roll-ups."""
    path = [street.path, path_upper_bound(street.path)]
    in_street = "c.street_path = %s"
    unit_in_street = "t.unit_path >= %s AND t.unit_path < %s"
    is_open = f"c.stage IN {OPEN}"
    since = Window.months_to(clock.today()).first.isoformat()
    order = "c.deadline, c.created_at DESC, c.id" if connection.vendor == "sqlite" else \
        "c.deadline NULLS FIRST, c.created_at DESC, c.id"

    def page(where: str) -> str:
        return ("SELECT c.id, c.number, c.stage, c.deadline, c.created_at, "
                "(SELECT name FROM cases_category WHERE id = c.category_id), "
                f"(SELECT name FROM core_place WHERE id = c.place_id) FROM cases_case c WHERE {where} "
                f"ORDER BY {order} LIMIT {PAGE};"
                f"SELECT count(*) FROM (SELECT 1 FROM cases_case c WHERE {where} LIMIT {COUNT_CAP + 1}) s")

    def figures(where: str, *, rankings: bool) -> str:
        sums = "sum(t.n), sum(t.rated), sum(t.rating_sum)"
        statements = [
            f"SELECT t.stage, t.is_overdue, t.closed_level, {sums}, sum(t.handled), sum(t.handling_seconds) "
            f"FROM cases_standingtally t WHERE {where} GROUP BY 1, 2, 3",
            f"SELECT t.month, {sums} FROM cases_reportedtally t WHERE t.month >= '{since}' AND {where} GROUP BY 1",
            f"SELECT t.month, t.is_overdue, {sums} FROM cases_closedtally t WHERE t.month >= '{since}' AND {where} "
            "GROUP BY 1, 2",
            f"SELECT coalesce(p.code, g.code), t.state, sum(t.n) FROM cases_reportedcategorytally t "
            "JOIN cases_category g ON g.id = t.category_id LEFT JOIN cases_category p ON p.id = g.parent_id "
            f"WHERE t.month >= '{since}' AND {where} GROUP BY 1, 2",
        ]
        for length in (20, 30) if rankings else (30,):
            statements.append(f"SELECT substr(t.unit_path, 1, {length}), t.state, {sums} "
                              f"FROM cases_reportedtally t WHERE t.month >= '{since}' AND {where} GROUP BY 1, 2")
        return ";".join(statements)

    return {
        "street queue, waiting at my level": _rows(page(f"{is_open} AND {in_street}"), [street.path]),
        "street queue, all stages": _rows(page(in_street), [street.path]),
        "district queue, waiting at my level": _rows(page(is_open)),
        "dashboard, district": _rows(figures("1 = 1", rankings=True)),
        "dashboard, street": _rows(figures(unit_in_street, rankings=False), path),
        "open-cases map, street": _rows("SELECT c.number, c.latitude, c.longitude, c.stage, c.category_id "
                                        f"FROM cases_case c WHERE {is_open} AND {in_street}", [street.path]),
        "GET /api/report, district": _rows(";".join([
            *(f"SELECT t.{column}, sum(t.n), sum(t.rated), sum(t.rating_sum) FROM {table} t "
              f"WHERE t.month >= '{since}' GROUP BY 1"
              for table, column in (("cases_reportedtally", "state"), ("cases_closedtally", "closed_level"),
                                    ("cases_closedtally", "is_overdue"))),
            "SELECT count(*) FROM cases_case c JOIN cases_category g ON g.id = c.category_id WHERE g.is_dispute "
            f"AND c.stage IN ('closed', 'evaluated') AND c.closed_at >= '{since}'"])),
    }


def endpoints(street_client: Client, district_client: Client) -> dict[str, Callable[[], object]]:
    def get(client: Client, url: str) -> Callable[[], object]:
        def run() -> object:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: {response.status_code}")
            return response
        return run

    return {
        "street queue, waiting at my level": get(street_client, "/cases/"),
        "street queue, all stages": get(street_client, "/cases/?stage=all"),
        "district queue, waiting at my level": get(district_client, "/cases/"),
        "dashboard, district": get(district_client, "/cases/figures/"),
        "dashboard, street": get(street_client, "/cases/figures/"),
        "open-cases map, street": get(street_client, "/cases/map/open.geojson"),
        "GET /api/report, district": get(district_client, "/api/report"),
    }


def queries(call: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def measure(label: str, street: Place, clients: tuple[Client, Client], repeat: int) -> None:
    print(f"\n{label}: {Case.objects.count():,} cases ({Case.objects.filter(stage__in=OPEN_STAGES).count():,} open)")
    print(f"  {'endpoint':<36} {'ours ms':>10} {'queries':>8} {'floor ms':>10} {'ratio':>7}")
    ours, floor_of = endpoints(*clients), floors(street)
    for name, call in ours.items():
        count = queries(call)
        seconds = median_seconds(call, repeat=repeat)
        floor = median_seconds(floor_of[name], repeat=repeat)
        print(f"  {name:<36} {seconds * 1000:10.1f} {count:8d} {floor * 1000:10.1f} {seconds / floor:7.1f}")


def run(sizes: str = "100k") -> None:
    wanted = sorted(size_of(text) for text in sizes.split(","))
    repeat = int(os.environ.get("CG_BENCH_REPEAT", "7"))
    with throwaway_database() as name, override_settings(ALLOWED_HOSTS=["*"], STORAGES=PLAIN_STATIC):
        started = time.perf_counter()
        build_demo(progress=False)
        print(f"\nbench_cases: throwaway {connection.vendor} database {name}; demo built in "
              f"{time.perf_counter() - started:.0f} s; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        street = Place.objects.filter(kind=PlaceKind.STREET).order_by("pk").first()
        clients = (Client(), Client())
        for client, username in zip(clients, ("street", "district"), strict=True):
            client.force_login(User.objects.get(username=username))
        measure("demo", street, clients, repeat)
        for size in wanted:
            missing = size - Case.objects.count()
            if missing > 0:
                started = time.perf_counter()
                add_cases(missing, seed=size)
                print(f"\n(added {missing:,} cases in {time.perf_counter() - started:.0f} s)")
            measure(f"{size:,}", street, clients, repeat)
            started = time.perf_counter()
            differences = tallies_compare()
            print(f"  roll-ups against a recount of every case: {differences} keys differ "
                  f"({time.perf_counter() - started:.0f} s)")
