"""The query plans of the pages that grow with the district: the queues, the figures, the map and the report never
read the whole case table or the whole event table, whatever the data size. SQLite's plans are read without
statistics (it then trusts every index, as it does a big table's), PostgreSQL's with sequential scans priced out,
so a scan that is left is one no index can serve."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection

from commonground.cases.services.intake import case_report
from commonground.cases.services.workflow import case_accept, case_dispatch, case_feedback, case_verify

from .conftest import at, frozen

WATCHED = ("cases_case", "cases_caseevent")
PAGES = [
    ("street", "/cases/"),
    ("street", "/cases/?stage=all"),
    ("street", "/cases/?stage=all&sort=newest"),
    ("district", "/cases/"),
    ("district", "/cases/figures/"),
    ("street", "/cases/figures/"),
    ("worker", "/cases/figures/"),
    ("street", "/cases/map/open.geojson"),
    ("district", "/api/report"),
    ("street", "/api/cases"),
]


@pytest.fixture
def some_cases(located, categories, people):
    for hour in range(4):
        with frozen(at(2024, 5, 1, 9 + hour)):
            case = case_report(actor=people["resident"], category=categories["rubbish"], place=located.building,
                               description="楼道堆满杂物")
            if hour % 2:
                case_accept(case=case, actor=people["worker"])
                case = case_dispatch(case=case, actor=people["worker"])
                case_feedback(case=case, actor=people["grid"], note="已处理")
                case_verify(case=case, actor=people["checker"], approved=True)


def statements_of(client, url: str) -> list[tuple[str, tuple]]:
    """The SQL (with its parameters) the page ran that reads a watched table."""
    ran: list[tuple[str, tuple]] = []

    def keep(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT") and any(f'"{table}"' in sql for table in WATCHED):
            ran.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        response = client.get(url)
    assert response.status_code == 200, url
    return ran


def full_scans(sql: str, params: tuple) -> list[str]:
    """The watched tables the plan reads whole."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
            nodes = _nodes(json.loads(plan) if isinstance(plan, str) else plan)
            return [node["Relation Name"] for node in nodes
                    if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in WATCHED]
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        details = [row[3] for row in cursor.fetchall()]
    whole = re.compile(rf"SCAN ({'|'.join(WATCHED)})( AS \w+)?")
    return [detail for detail in details if whole.fullmatch(detail)]


def _nodes(plan) -> list[dict]:
    found = []
    stack = list(plan) if isinstance(plan, list) else [plan]
    while stack:
        node = stack.pop()
        node = node.get("Plan", node)
        found.append(node)
        stack.extend(node.get("Plans", []))
    return found


@pytest.mark.parametrize(("login", "url"), PAGES)
def test_pages_that_grow_with_the_district__no_full_scan_of_cases_or_events(some_cases, people, client, login,
                                                                            url):
    client.force_login(people[login])
    statements = statements_of(client, url)
    scans = {sql: found for sql, params in statements if (found := full_scans(sql, params))}
    assert not scans, scans


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's planner reads bound values")
@pytest.mark.parametrize(("login", "url"), [("street", "/cases/map/open.geojson"), ("street", "/cases/"),
                                            ("district", "/cases/")])
def test_open_cases__read_through_the_partial_indexes_of_open_cases(some_cases, people, client, login, url):
    """SQLite takes a partial index only when the query states its condition word for word (`Case.objects.open()`
    writes the stages into the SQL): else it walks every case of the street."""
    with connection.cursor() as cursor:  # statistics, as the demo build and `demo --cases` leave them
        cursor.execute("ANALYZE")
    client.force_login(people[login])
    plans = []
    for sql, params in statements_of(client, url):
        if "IN ('collect'" in sql:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                plans.append(" ".join(row[3] for row in cursor.fetchall()))
    assert plans and all("case_open_" in plan for plan in plans), plans
