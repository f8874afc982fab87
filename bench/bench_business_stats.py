"""The building-economy statistics at the demo's size: `commonground bench business_stats` (on a database holding
the demo: 17 business communities, 206 office buildings, 14,000+ enterprises, their tax records of 2022 and 2023).

For the district, the street with the most enterprises and the business community with the most, over the demo's
default period (2023-01-01..2023-08-31), it measures `stats_selectors.business_stats` (every figure of the scope and
of each business community inside it: buildings, enterprises, tax, cases, visit demands) against a floor: the same
figures in hand-written SQL over the same tables (one statement per figure, grouped by business community, read
whole), in the same run. Median of N runs after one warm-up; the ratio ours / floor.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from commonground.business.models import Enterprise
from commonground.business.stats_selectors import business_stats
from commonground.core.models import Place, PlaceKind
from commonground.core.models.places import path_upper_bound
from commonground.core.place_cache import top_place
from commonground.core.reporting import Period

from .harness import median_seconds

PERIOD = Period(datetime.date(2023, 1, 1), datetime.date(2023, 8, 31))
RUNS = 9


def floor(scope: Place, period: Period) -> Callable[[], None]:
    """The figures in SQL: places (counts by kind and grade, areas), enterprises (new this period and a year
    earlier, capital, operating, present, registered here, headcount), tax (the whole months of both periods),
    cases (disputes, needs, matters) and visit demands, each grouped by business community."""
    depth = len(scope.path) // 10
    lo, hi = scope.path, path_upper_bound(scope.path)
    where = {1: "1 = 1", 2: "t.street_path = %(path)s", 3: "t.community_path = %(path)s"}.get(
        depth, "t.place_path >= %(lo)s AND t.place_path < %(hi)s")
    last = period.year_before()
    months = list(range(period.start.month, period.end.month + 1))
    month_list = ", ".join(str(m) for m in months)
    params = {"path": scope.path, "lo": lo, "hi": hi, "start": period.start, "end": period.end,
              "last_start": last.start, "last_end": last.end, "capital": 1_000_000,
              "year": period.end.year, "last_year": period.end.year - 1,
              "from_at": f"{period.start} 00:00+08", "to_at": f"{period.end + datetime.timedelta(days=1)} 00:00+08"}
    statements = [
        "SELECT path, name FROM core_place WHERE kind = 'business_community' AND path >= %(lo)s AND path < %(hi)s "
        "ORDER BY path",
        "SELECT parent.path, p.kind, l.grade, count(*), sum(p.floor_area_m2), sum(l.vacant_area_m2) FROM core_place p "
        "JOIN core_place parent ON parent.id = p.parent_id LEFT JOIN business_buildingledger l ON l.building_id = p.id "
        "WHERE p.path >= %(lo)s AND p.path < %(hi)s AND p.kind IN ('office_building', 'building') "
        "AND parent.kind = 'business_community' GROUP BY 1, 2, 3",
        "SELECT t.community_path, "
        "count(*) FILTER (WHERE t.registered_capital >= %(capital)s AND t.registered_on BETWEEN %(start)s AND %(end)s), "
        "count(*) FILTER (WHERE t.registered_capital >= %(capital)s "
        "AND t.registered_on BETWEEN %(last_start)s AND %(last_end)s), "
        "sum(t.registered_capital) FILTER (WHERE t.registered_capital >= %(capital)s "
        "AND t.registered_on BETWEEN %(start)s AND %(end)s), "
        "count(*) FILTER (WHERE t.status = 'active'), "
        "count(*) FILTER (WHERE t.status = 'active' AND t.building_id IS NOT NULL), "
        "count(*) FILTER (WHERE t.status = 'active' AND t.building_id = t.registered_building_id), "
        "sum(t.headcount) FILTER (WHERE t.status = 'active' AND t.building_id IS NOT NULL), "
        "count(*) FILTER (WHERE t.status = 'moved_out'), count(*) FILTER (WHERE t.status = 'deregistered') "
        f"FROM business_enterprise t WHERE {where} GROUP BY 1",
        f"SELECT t.community_path, sum(t.amount) FILTER (WHERE t.year = %(year)s), "
        f"sum(t.amount) FILTER (WHERE t.year = %(last_year)s) FROM business_taxrecord t WHERE {where} "
        f"AND t.year IN (%(year)s, %(last_year)s) AND t.month IN ({month_list}) GROUP BY 1",
        "SELECT substr(c.place_path, 1, 30), "
        "count(*) FILTER (WHERE g.is_dispute AND c.closed_at >= %(from_at)s AND c.closed_at < %(to_at)s), "
        "count(*) FILTER (WHERE (g.code = 'enterprise' OR pg.code = 'enterprise') AND c.closed_at >= %(from_at)s "
        "AND c.closed_at < %(to_at)s), "
        "count(*) FILTER (WHERE o.kind = 'building_committee' AND c.closed_at < %(to_at)s) "
        "FROM cases_case c JOIN cases_category g ON g.id = c.category_id "
        "LEFT JOIN cases_category pg ON pg.id = g.parent_id LEFT JOIN core_organisation o ON o.id = c.handler_id "
        "JOIN core_place bc ON bc.kind = 'business_community' AND c.place_path >= bc.path "
        "AND c.place_path < bc.path || 'z' "
        "WHERE c.stage IN ('closed', 'evaluated') AND c.place_path >= %(lo)s AND c.place_path < %(hi)s GROUP BY 1",
        f"SELECT t.community_path, count(*) FROM business_visitdemand d JOIN business_visit t ON t.id = d.visit_id "
        f"WHERE {where} AND t.visited_on <= %(end)s GROUP BY 1",
    ]

    def run() -> None:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement, params)
                cursor.fetchall()
    return run


def run() -> None:
    if connection.vendor != "postgresql":
        print("bench_business_stats: run it on PostgreSQL (the floor's SQL uses FILTER and timestamps with offsets)")
        return
    firms = Enterprise.objects.count()
    if firms < 1000:
        print(f"bench_business_stats: the database holds {firms} enterprises; build the demo first")
        return
    district = top_place()
    street_path = (Enterprise.objects.order_by().values("street_path").annotate(n=Count("pk"))
                   .order_by("-n").values_list("street_path", flat=True).first())
    community_path = (Enterprise.objects.order_by().values("community_path").annotate(n=Count("pk"))
                      .order_by("-n").values_list("community_path", flat=True).first())
    scopes = [district, Place.objects.get(path=street_path), Place.objects.get(path=community_path)]
    print(f"\nbench_business_stats: {connection.vendor} database {connection.settings_dict['NAME']}; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; {firms:,} enterprises; "
          f"period {PERIOD.start}..{PERIOD.end}; median of {RUNS} runs")
    print(f"  {'scope':<28} {'ours ms':>9} {'queries':>8} {'floor ms':>9} {'ratio':>7}")
    for scope in scopes:
        assert scope.kind in (PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.BUSINESS_COMMUNITY)
        with CaptureQueriesContext(connection) as queries:
            business_stats(scope, PERIOD)
        ours = median_seconds(lambda scope=scope: business_stats(scope, PERIOD), repeat=RUNS)
        base = median_seconds(floor(scope, PERIOD), repeat=RUNS)
        print(f"  {scope.name + ' (' + scope.kind + ')':<28} {ours * 1000:9.1f} {len(queries.captured_queries):8d} "
              f"{base * 1000:9.1f} {ours / base:7.2f}")
