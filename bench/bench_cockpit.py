"""The cockpit's dashboards at demo size and at a district's: `commonground bench cockpit --size demo,district`.

Builds the demo into a throwaway database (CG_BENCH_ON_CURRENT=1: uses the configured database as it is, meant for
a copy of a built demo), then measures GET /cockpit/<place>/ as the district login for one place of each scope
kind (district, street, business community, community, estate), in process through Django's test client: median
of CG_BENCH_REPEAT (7) after a warm-up, the queries it ran, and a hand-written SQL floor that reads the same
figures from the same roll-ups and tables (no permission conditions, no rendering), with the ratio of the two.

`district` grows the data first to 2 million cases (`add_cases`, clones of the demo's) and 400 foot-traffic
sensors with 4 years of hourly readings (about 14 million rows, written in bulk, their roll-ups summed in SQL).
No assertion on time.
"""

from __future__ import annotations

import datetime
import math
import os
import time
from collections.abc import Callable

from django.db import connection
from django.db.models import Min
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonground.cases.demo.synthetic import add_cases
from commonground.cases.models import Case
from commonground.cockpit.models import OPEN_STATES, Reading, Sensor, SignalKind, SignalSource, UnitHour
from commonground.cockpit.models.signals import UNIT_PATH_LENGTH
from commonground.cockpit.panels import hour_buckets
from commonground.cockpit.services.signals import sensor_create
from commonground.core import clock
from commonground.core.models import Place, PlaceKind, User
from commonground.core.models.places import is_root_path, path_upper_bound
from commonground.demo.builder import build_demo

from .harness import median_seconds, throwaway_database

DISTRICT_CASES = 2_000_000
DISTRICT_SENSORS = 400
DISTRICT_YEARS = 4
PLAIN_STATIC = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
CHUNK = 50_000
LOCAL_OFFSET_HOURS = 8  # Asia/Shanghai, no summer time
OPEN_LIST = "(" + ", ".join(f"'{state}'" for state in OPEN_STATES) + ")"


def scopes() -> dict[str, Place]:
    """One place of each scope kind: the district, the first business community and its street, a community of
    that street and the estate of the renewal (浙工新村)."""
    district = Place.objects.get(depth=0)
    community = Place.objects.filter(kind=PlaceKind.BUSINESS_COMMUNITY).order_by("pk").first()
    street = community.parent
    neighbourhood = Place.objects.filter(kind=PlaceKind.COMMUNITY, parent=street).order_by("pk").first() or \
        Place.objects.filter(kind=PlaceKind.COMMUNITY).order_by("pk").first()
    estate = Place.objects.filter(kind=PlaceKind.ESTATE, name="浙工新村").first() or \
        Place.objects.filter(kind=PlaceKind.ESTATE).order_by("pk").first()
    return {"district": district, "street": street, "business community": community,
            "community": neighbourhood, "estate": estate}


def _unit_where(place: Place, column: str) -> tuple[str, list]:
    if is_root_path(place.path):
        return "1 = 1", []
    if len(place.path) > UNIT_PATH_LENGTH:
        return f"{column} = %s", [place.path[:UNIT_PATH_LENGTH]]
    return f"{column} >= %s AND {column} < %s", [place.path, path_upper_bound(place.path)]


def floor(place: Place) -> Callable[[], None]:
    """The dashboard's figures for `place` in hand-written SQL: the case tallies, the foot-traffic roll-ups, the
    warnings, firms and risks, renewal households, committees and the fund, activities and the picker."""
    inside = [place.path, path_upper_bound(place.path)]
    tally, tally_params = _unit_where(place, "unit_path")
    today = clock.today()
    first = today.replace(day=1)
    before = (first - datetime.timedelta(days=1)).replace(day=1)
    now = timezone.localtime(clock.now())
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    hours = []
    for week in range(9):
        day = start - datetime.timedelta(weeks=week)
        hours += hour_buckets(day, day + (now - start))
    in_place = "place_path >= %s AND place_path < %s"
    statements: list[tuple[str, list]] = [
        ("SELECT stage, is_overdue, closed_level, sum(n), sum(rated), sum(rating_sum), sum(handled), "
         f"sum(handling_seconds) FROM cases_standingtally WHERE {tally} GROUP BY 1, 2, 3", tally_params),
        (f"SELECT sum(n) FROM cases_reportedtally WHERE month = %s AND {tally}", [first, *tally_params]),
        (f"SELECT sum(n) FROM cases_reportedtally WHERE month = %s AND {tally}", [before, *tally_params]),
        (f"SELECT hour, total FROM cockpit_unithour WHERE kind = 'foot_traffic' AND hour IN "
         f"({', '.join(['%s'] * len(hours))}) AND {tally}", [*hours, *tally_params]),
        (f"SELECT day, total FROM cockpit_unitday WHERE kind = 'foot_traffic' AND day >= %s AND {tally}",
         [today - datetime.timedelta(days=13), *tally_params]),
        (f"SELECT severity, count(*) FROM cockpit_alert WHERE {in_place} AND state IN "
         f"{OPEN_LIST} GROUP BY 1", inside),
        (f"SELECT a.id, a.title, a.severity, a.began_at, p.name FROM cockpit_alert a JOIN core_place p "
         f"ON p.id = a.place_id WHERE a.place_path >= %s AND a.place_path < %s AND a.state IN "
         f"{OPEN_LIST} ORDER BY a.began_at DESC, a.id DESC LIMIT 5", inside),
        (f"SELECT count(*) FROM business_enterprise WHERE {in_place} AND status = 'active'", inside),
        ("SELECT community_path, count(*) FROM business_riskassessment WHERE status IN ('open', 'handled') "
         f"AND {in_place} GROUP BY 1", inside),
        (f"SELECT count(*), count(signed_at) FROM renewal_household WHERE {in_place}", inside),
        ("SELECT count(*) FROM core_place WHERE kind = 'estate' AND path >= %s AND path < %s", inside),
        ("SELECT count(DISTINCT o.place_id) FROM core_organisation o JOIN core_place p ON p.id = o.place_id "
         "WHERE o.kind = 'owners_committee' AND (o.established_on IS NULL OR o.established_on <= %s) AND "
         "(o.dissolved_on IS NULL OR o.dissolved_on > %s) AND p.kind = 'estate' AND p.path >= %s AND p.path < %s",
         [today, today, *inside]),
        (f"SELECT count(*), sum(approved_amount) FROM coordination_fundproject WHERE {in_place}", inside),
        ("SELECT sum(CASE WHEN first_starts_at >= %s AND first_starts_at < %s THEN 1 ELSE 0 END), "
         "sum(CASE WHEN first_starts_at >= %s AND first_starts_at < %s THEN 1 ELSE 0 END) FROM programs_activity "
         f"WHERE status <> 'draft' AND {in_place}",
         [now - datetime.timedelta(days=30), now, now, now + datetime.timedelta(days=30), *inside]),
        ("SELECT code, name, kind, path FROM core_place WHERE kind IN ('district', 'street', 'business_community', "
         "'community') ORDER BY path LIMIT 300", []),
    ]

    ready = [(sql, [connection.ops.adapt_datetimefield_value(value) if isinstance(value, datetime.datetime)
                    else value for value in params]) for sql, params in statements]  # as the ORM stores them

    def run() -> None:
        with connection.cursor() as cursor:
            for sql, params in ready:
                cursor.execute(sql, params)
                cursor.fetchall()
    return run


def measure(label: str, client: Client, repeat: int) -> None:
    readings = Reading.objects.count()
    print(f"\n{label}: {Case.objects.count():,} cases, {Sensor.objects.count():,} sensors, {readings:,} readings, "
          f"{UnitHour.objects.count():,} unit-hours")
    print(f"  {'dashboard':<22} {'ours ms':>10} {'queries':>8} {'floor ms':>10} {'ratio':>7}")
    for name, place in scopes().items():
        url = f"/cockpit/{place.code}/"

        def ours(url: str = url) -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: {response.status_code}")
        with CaptureQueriesContext(connection) as captured:
            ours()
        count = len(captured)
        seconds = median_seconds(ours, repeat=repeat)
        floor_seconds = median_seconds(floor(place), repeat=repeat)
        print(f"  {name:<22} {seconds * 1000:10.1f} {count:8d} {floor_seconds * 1000:10.1f} "
              f"{seconds / floor_seconds:7.1f}")

    def plain() -> None:
        client.get("/me/")
    print(f"  {'a plain page, /me/':<22} {median_seconds(plain, repeat=repeat) * 1000:10.1f}   "
          "(the fixed cost of a signed-in page: session, roles, the shell)")


def grow_readings(sensors: int, years: int) -> None:
    """Foot-traffic sensors up to `sensors` (at office buildings and estates) and, for every sensor, hourly
    readings back to `years` before the demo's now where it has none yet (the demo's own year stays), written in
    bulk; the roll-ups of the readings written summed in SQL (they are told apart by their received time)."""
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    source = SignalSource.objects.filter(kind=SignalKind.FOOT_TRAFFIC).order_by("pk").first()
    places = list(Place.objects.filter(kind__in=(PlaceKind.OFFICE_BUILDING, PlaceKind.ESTATE)).order_by("pk"))
    for n in range(sensors - Sensor.objects.count()):
        sensor_create(actor=admin, source=source, code=f"BENCH-{n:04d}", name=f"计数器{n}",
                      place=places[n % len(places)])
    end = clock.now().replace(minute=0, second=0, microsecond=0)
    start = end - datetime.timedelta(hours=int(years * 365.25 * 24))
    first_of = dict(Reading.objects.order_by().values("sensor").annotate(first=Min("hour"))
                    .values_list("sensor", "first"))
    # this run's readings, told apart from the demo's and an earlier run's by their received time
    runs_before = Reading.objects.filter(received_at__gt=end).values("received_at").distinct().count()
    received = end + datetime.timedelta(microseconds=1 + runs_before)
    sqlite = connection.vendor == "sqlite"
    written = 0
    started = time.perf_counter()
    for sensor_id in Sensor.objects.order_by("pk").values_list("pk", flat=True):
        level = 50 + (sensor_id % 17) * 20
        until = first_of.get(sensor_id, end + datetime.timedelta(hours=1))
        rows = []
        moment = start
        while moment < until:
            local_hour = (moment.hour + LOCAL_OFFSET_HOURS) % 24
            value = round(level * (1.2 + math.sin((local_hour - 9) / 24 * 2 * math.pi)) + (written * 7919 % 13), 2)
            rows.append((sensor_id, moment.strftime("%Y-%m-%d %H:%M:%S") if sqlite else moment, value,
                         received.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else received))
            moment += datetime.timedelta(hours=1)
            written += 1
        _write_readings(rows)
    print(f"(readings back to {start:%Y-%m-%d} for {Sensor.objects.count()} sensors: {written:,} written in "
          f"{time.perf_counter() - started:.0f} s)")
    if not written:
        return
    started = time.perf_counter()
    _rollups_in_sql(received)
    print(f"(their roll-ups summed in SQL in {time.perf_counter() - started:.0f} s)")


def _write_readings(rows: list[tuple]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy("COPY cockpit_reading (sensor_id, hour, value, received_at) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            for i in range(0, len(rows), CHUNK):
                cursor.executemany("INSERT INTO cockpit_reading (sensor_id, hour, value, received_at) "
                                   "VALUES (%s, %s, %s, %s)", rows[i:i + CHUNK])


def _rollups_in_sql(received: datetime.datetime) -> None:
    """Add the readings received at `received` (the bench's) to the roll-ups."""
    mark = received.strftime("%Y-%m-%d %H:%M:%S.%f") if connection.vendor == "sqlite" else received
    if connection.vendor == "sqlite":
        day = f"date(r.hour, '+{LOCAL_OFFSET_HOURS} hours')"
    else:
        day = "(r.hour AT TIME ZONE 'Asia/Shanghai')::date"
    upsert = ("ON CONFLICT ({key}) DO UPDATE SET total = {table}.total + excluded.total, "
              "readings = {table}.readings + excluded.readings")
    statements = [
        (f"INSERT INTO cockpit_sensorday (sensor_id, day, total, readings) SELECT r.sensor_id, {day}, sum(r.value), "
         "count(*) FROM cockpit_reading r WHERE r.received_at = %s GROUP BY 1, 2 "
         + upsert.format(key="sensor_id, day", table="cockpit_sensorday")),
        ("INSERT INTO cockpit_unithour (unit_path, kind, hour, total, readings) SELECT s.unit_path, s.kind, r.hour, "
         "sum(r.value), count(*) FROM cockpit_reading r JOIN cockpit_sensor s ON s.id = r.sensor_id "
         "WHERE r.received_at = %s GROUP BY 1, 2, 3 "
         + upsert.format(key="unit_path, kind, hour", table="cockpit_unithour")),
        (f"INSERT INTO cockpit_unitday (unit_path, kind, day, total, readings) SELECT s.unit_path, s.kind, {day}, "
         "sum(r.value), count(*) FROM cockpit_reading r JOIN cockpit_sensor s ON s.id = r.sensor_id "
         "WHERE r.received_at = %s GROUP BY 1, 2, 3 "
         + upsert.format(key="unit_path, kind, day", table="cockpit_unitday")),
    ]
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, [mark])
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else
                       "ANALYZE cockpit_reading, cockpit_sensorday, cockpit_unithour, cockpit_unitday")


def _sums_agree() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT sum(value) FROM cockpit_reading r JOIN cockpit_sensor s ON s.id = r.sensor_id "
                       "WHERE s.kind = 'foot_traffic'), (SELECT sum(total) FROM cockpit_unitday "
                       "WHERE kind = 'foot_traffic'), (SELECT sum(total) FROM cockpit_unithour "
                       "WHERE kind = 'foot_traffic')")
        raw, by_day, by_hour = cursor.fetchone()
    return f"readings {raw}, unit-days {by_day}, unit-hours {by_hour}"


def _bench(sizes: list[str], repeat: int) -> None:
    client = Client()
    client.force_login(User.objects.get(username="district"))
    if "demo" in sizes:
        measure("demo", client, repeat)
    if "district" in sizes:
        missing = DISTRICT_CASES - Case.objects.count()
        if missing > 0:
            started = time.perf_counter()
            add_cases(missing, seed=DISTRICT_CASES)
            print(f"\n(added {missing:,} cases in {time.perf_counter() - started:.0f} s)")
        grow_readings(DISTRICT_SENSORS, DISTRICT_YEARS)
        print(f"  foot traffic summed: {_sums_agree()}")
        measure("district size", client, repeat)


def run(sizes: str = "demo") -> None:
    wanted = [text.strip().lower() for text in sizes.split(",")]
    repeat = int(os.environ.get("CG_BENCH_REPEAT", "7"))
    with override_settings(ALLOWED_HOSTS=["*"], STORAGES=PLAIN_STATIC):
        if os.environ.get("CG_BENCH_ON_CURRENT"):
            print(f"\nbench_cockpit: the configured {connection.vendor} database; {os.cpu_count()} CPUs, "
                  f"load average {os.getloadavg()[0]:.1f}")
            _bench(wanted, repeat)
            return
        with throwaway_database() as name:
            started = time.perf_counter()
            build_demo(progress=False)
            print(f"\nbench_cockpit: throwaway {connection.vendor} database {name}; demo built in "
                  f"{time.perf_counter() - started:.0f} s; {os.cpu_count()} CPUs, "
                  f"load average {os.getloadavg()[0]:.1f}")
            _bench(wanted, repeat)
