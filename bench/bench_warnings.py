"""The early warnings scored on anomalies injected at known times: `commonground bench warnings`.

Series come from `commonground.cockpit.synthetic` with HELD-BACK seeds (the rules were tuned on seeds 0–99; these
are 100000+). Scoring is event-wise, without point-adjust: an injected event is found when an alert begins inside
it or at most 2 hours after its start; an alert beginning in no event is false (an alert on an injected spike or
outage is not false, but only level shifts are counted for recall).

1. Level shifts of ±50% lasting 3–12 hours: SENSORS sensors × WEEKS weeks (the first 4 weeks are the baseline's
   history, not scored): precision, recall, false alerts per sensor-month and per sensor per 4 weeks
   (goal: recall ≥ 0.8 with ≤ 1 false alert per sensor per 4 weeks).
2. Case-category surges of 3× lasting 2–4 days: PLACES places × DAYS days (goal: recall ≥ 0.8).
3. The database path on a small set: DB_SENSORS sensors' series ingested through `readings_ingest` and the anomaly
   rule's `findings` scanned over the last DB_DAYS days (scan windows tiling them), in a transaction rolled back at the end; the
   alerts it finds are compared with the pure detector's on the same series (they agree when both lists match).
"""

from __future__ import annotations

import datetime
import time
import zoneinfo

from django.db import transaction

from commonground.cockpit import rules, synthetic
from commonground.cockpit.warnings import anomaly, case_surge, scoring

SEEDS = 100_000  # held back: never used while tuning
SENSORS, WEEKS, BASELINE_WEEKS = 200, 16, 4
PLACES, DAYS = 300, 180
DB_SENSORS, DB_WEEKS, DB_DAYS = 3, 7, 14
START = datetime.datetime(2023, 1, 2, 0)  # a Monday, local time; the series run across Spring Festival,
# Qingming, Labour Day and Dragon Boat holidays
GAMES_START = datetime.datetime(2023, 7, 3, 0)  # a second set runs across Mid-Autumn, National Day and the Games


def _shifts(start: datetime.datetime, seeds: range, params: rules.AnomalyParams) -> tuple[scoring.Score, dict, int]:
    total, by_kind, hours = scoring.Score(), {}, 0
    for seed in seeds:
        values, events = synthetic.foot_traffic(seed, start, WEEKS * 168)
        first = BASELINE_WEEKS * 168
        alerts = [e.alert_at for e in anomaly.detect(values, start, first=first, params=params)]
        total.add(scoring.score(events, alerts, scored_kinds={synthetic.SHIFT}))
        for kind in (synthetic.SPIKE, synthetic.OUTAGE):
            by_kind.setdefault(kind, scoring.Score()).add(scoring.score(events, alerts, scored_kinds={kind}))
        hours += WEEKS * 168 - first
    return total, by_kind, hours


def run() -> None:
    params = rules.anomaly_params()
    print(f"\nbench_warnings: anomaly rule {params}; held-back seeds from {SEEDS}")
    print(f"1. level shifts ±50% lasting 3–12 h: {SENSORS} sensors × {WEEKS} weeks ({BASELINE_WEEKS} of history)")
    grand, grand_hours = scoring.Score(), 0
    for label, start, seeds in (("Jan–Apr 2023", START, range(SEEDS, SEEDS + SENSORS // 2)),
                                ("Jul–Oct 2023 (Asian Games)", GAMES_START,
                                 range(SEEDS + SENSORS // 2, SEEDS + SENSORS))):
        began = time.perf_counter()
        total, by_kind, hours = _shifts(start, seeds, params)
        grand.add(total)
        grand_hours += hours
        months, four_weeks = hours / (24 * 30.44), hours / (4 * 168)
        print(f"   {label:<28} events {total.events:4d} found {total.found:4d} alerts {total.alerts:4d} "
              f"false {total.false_alerts:3d} | precision {total.precision:.3f} recall {total.recall:.3f} "
              f"false alerts per sensor-month {total.false_alerts / months:.3f} "
              f"(per sensor per 4 weeks {total.false_alerts / four_weeks:.3f}) "
              f"[spikes found {by_kind['spike'].recall:.2f}, outages found {by_kind['outage'].recall:.2f}] "
              f"{time.perf_counter() - began:.1f} s")
    print(f"   {'all':<28} precision {grand.precision:.3f} recall {grand.recall:.3f} false alerts per sensor-month "
          f"{grand.false_alerts / (grand_hours / (24 * 30.44)):.3f} "
          f"(per sensor per 4 weeks {grand.false_alerts / (grand_hours / 672):.3f})")
    surge = rules.surge_params()
    total, place_days = scoring.Score(), 0
    for seed in range(SEEDS, SEEDS + PLACES):
        counts, events = synthetic.case_counts(seed, DAYS)
        alerts = [s.alert_at for s in case_surge.detect(counts, first=surge.days, params=surge)]
        total.add(scoring.score(events, alerts, grace=0))
        place_days += DAYS - surge.days
    print(f"2. case-category surges 3× lasting 2–4 days: {PLACES} places × {DAYS} days: events {total.events} "
          f"found {total.found} | recall {total.recall:.3f} precision {total.precision:.3f} "
          f"false alerts per place-month {total.false_alerts / (place_days / 30.44):.3f}")
    _database_path(params)


class _Rollback(Exception):
    pass


def _database_path(params: rules.AnomalyParams) -> None:
    from commonground.cockpit.models import SignalKind
    from commonground.cockpit.services.signals import readings_ingest, sensor_create, source_create
    from commonground.core import clock
    from commonground.core.models import PlaceKind, User
    from commonground.core.services.places import place_create

    tz = zoneinfo.ZoneInfo("Asia/Shanghai")
    hours = DB_WEEKS * 168
    end_local = datetime.datetime(2023, 8, 28, 0)  # a Monday
    start_local = end_local - datetime.timedelta(hours=hours)
    start = start_local.replace(tzinfo=tz)
    began = time.perf_counter()
    pure, database = [], []
    try:
        with transaction.atomic(), clock.frozen_at(end_local.replace(tzinfo=tz)):
            actor = User.objects.create(username="bench-warnings", is_superuser=True, is_active=True)
            district = place_create(code="990000", name="测试区", kind=PlaceKind.DISTRICT)
            street = place_create(code="990000001", name="测试街道", kind=PlaceKind.STREET, parent=district)
            unit = place_create(code="990000001001", name="测试社区", kind=PlaceKind.COMMUNITY, parent=street)
            source, _key = source_create(actor=actor, name="bench-warnings 客流", kind=SignalKind.FOOT_TRAFFIC)
            for n in range(DB_SENSORS):
                seed = SEEDS + 50_000 + n
                values, _events = synthetic.foot_traffic(seed, start_local, hours, events_per_week=1.5)
                sensor = sensor_create(actor=actor, source=source, code=f"B-{n}", name=f"测试点{n}", place=unit)
                rows = [(i, sensor.code, start + datetime.timedelta(hours=i), v) for i, v in enumerate(values)]
                for first in range(0, len(rows), 1000):
                    readings_ingest(source=source, rows=rows[first:first + 1000])
                first = hours - DB_DAYS * 24
                pure += sorted((sensor.pk, start + datetime.timedelta(hours=e.start))
                               for e in anomaly.detect(values, start_local, first=first - 24, params=params)
                               if e.alert_at >= first)
            seen = set()
            scan_hours = rules.warning_setting("anomaly", "scan_hours")
            for step in range(0, DB_DAYS * 24, scan_hours):  # scans whose windows tile the days scored
                moment = start + datetime.timedelta(hours=hours - DB_DAYS * 24 + step + scan_hours)
                for found in anomaly.findings(moment):
                    seen.add((found.sensor.pk, found.began_at))
            database = sorted(seen)
            raise _Rollback
    except _Rollback:
        pass
    agree = database == pure
    print(f"3. database path: {DB_SENSORS} sensors × {DB_WEEKS} weeks ingested, anomaly findings scanned over "
          f"{DB_DAYS} days (windows tiling them): {len(database)} alerts, pure detector {len(pure)}: "
          f"{'they agree' if agree else 'THEY DIFFER'} ({time.perf_counter() - began:.1f} s)")
    if not agree:
        print(f"   database {database}\n   pure     {pure}")
