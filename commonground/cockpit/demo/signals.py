"""Sensors and a year of hourly readings for the demo, and the warnings the engine raises over them.

Sources: 客流计数 (foot traffic: one or two sensors per business community, three more at 新天地), 地铁闸机 (the
metro gate at 新天地), and per street 公安警情, 城管执法 and 交通拥堵指数, with 银联刷卡消费 (card spending) at 新天地.
Foot traffic and the metro gate run a year to the demo's today; the feeds its last 90 days. The series come from
`cockpit.synthetic` (daily and weekly rhythm, holidays, anomalies injected at known times), go in through
`readings_ingest` in batches (the roll-ups are kept by it), and the anomalies injected are kept as the demo's ground
truth in the setting "cockpit_demo_anomalies" (sensor code, kind, first hour, hours, factor).

The warning engine then runs over the demo: the anomaly rule's detector over each counting sensor's last 90 days
(the same pure function the hourly scan calls), each alert raised at its own hour through `alert_raise`; warnings
older than a week are closed by the street a day after they began (the cool-down then holds the next back, as it
would have); the scan runs once at the demo's now for the other rules; a few open warnings are acknowledged and
one is turned into a case."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import RoleKind, User

from .. import rules, synthetic
from ..models import Alert, Reading, Sensor, SensorDay, SignalKind, UnitDay, UnitHour
from ..models.warnings import OPEN_STATES
from ..services.signals import readings_ingest, sensor_create, source_create
from ..services.warnings import (
    alert_acknowledge,
    alert_close,
    alert_raise,
    alert_to_case,
    default_category,
    warnings_scan,
)
from ..warnings import Finding, anomaly

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2023, 8, 31, 16, 0, tzinfo=TZ)
BATCH = 5000
XINTIANDI = "新天地"
SOURCES = (("客流计数", SignalKind.FOOT_TRAFFIC), ("地铁闸机", SignalKind.METRO_GATE), ("公安警情", SignalKind.POLICE),
           ("城管执法", SignalKind.ENFORCEMENT), ("交通拥堵指数", SignalKind.TRAFFIC), ("银联刷卡消费", SignalKind.SPENDING))
SETTING_KEY = "cockpit_demo_anomalies"
CENT = Decimal("0.01")


def _param_time(moment: datetime.datetime) -> Any:
    """An aware time as the database driver takes it (SQLite: UTC text, as Django stores it)."""
    if connection.vendor == "sqlite":
        return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
    return moment


def _upsert(model: Any, rows: dict[tuple, list], sqlite: bool) -> None:
    """rollup_add's upsert, its keys' times and days already as the driver takes them."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [quote(model._meta.get_field(name).column) for name in (*model.key_fields, *model.measure_fields)]
    keys = columns[:len(model.key_fields)]
    assign = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in columns[len(keys):])
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
           f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {assign}")
    params = [(*key, str(total) if sqlite else total, count) for key, (total, count) in rows.items()]
    with connection.cursor() as cursor:
        for first in range(0, len(params), BATCH):
            cursor.executemany(sql, params[first:first + BATCH])


SHANGHAI_OFFSET = datetime.timedelta(hours=8)  # no summer time since 1991


class _Bulk:
    """New sensors' hourly series stored as `readings_ingest` would store them (same rows, same roll-ups), in bulk:
    the demo writes a year for ~30 sensors and the service checks each row of a batch one by one. The sensors are
    new, so every row is an insert; `rollups_compare` finds no difference afterwards (tested)."""

    def __init__(self) -> None:
        self.readings: list[tuple] = []
        self.rollups: dict[Any, dict[tuple, list]] = {SensorDay: {}, UnitHour: {}, UnitDay: {}}
        self.sqlite = connection.vendor == "sqlite"
        self.received = _param_time(clock.now())

    def add(self, sensor: Sensor, start: datetime.datetime, values: list[float]) -> None:
        sensor_days, unit_hours, unit_days = (self.rollups[m] for m in (SensorDay, UnitHour, UnitDay))
        unit, kind, pk, sqlite = sensor.unit_path, sensor.kind, sensor.pk, self.sqlite
        utc_start = start.astimezone(datetime.UTC).replace(tzinfo=None)
        step = datetime.timedelta(hours=1)
        naive, aware = utc_start, start
        readings = self.readings
        for raw in values:
            value = Decimal(raw).quantize(CENT) if isinstance(raw, int) else Decimal(str(raw)).quantize(CENT)
            hour = naive.isoformat(" ") if sqlite else aware
            day = (naive + SHANGHAI_OFFSET).date()
            if sqlite:
                day = day.isoformat()
            readings.append((pk, hour, str(value) if sqlite else value, self.received))
            for table, key in ((sensor_days, (pk, day)), (unit_days, (unit, kind, day)),
                               (unit_hours, (unit, kind, hour))):
                total = table.get(key)
                if total is None:
                    table[key] = [value, 1]
                else:
                    total[0] += value
                    total[1] += 1
            naive += step
            aware += step

    def write(self) -> None:
        table = connection.ops.quote_name(Reading._meta.db_table)
        with connection.cursor() as cursor:
            for first in range(0, len(self.readings), BATCH):
                cursor.executemany(f"INSERT INTO {table} (sensor_id, hour, value, received_at) "
                                   "VALUES (%s, %s, %s, %s)", self.readings[first:first + BATCH])
        for model, rows in self.rollups.items():
            _upsert(model, rows, self.sqlite)


def _ingest_checked(source, code: str, start: datetime.datetime, values: list[float]) -> None:
    """The same through the service (batches of BATCH): what the demo's last day goes through, to show the path."""
    rows = [(i, code, start + datetime.timedelta(hours=i), value) for i, value in enumerate(values)]
    for first in range(0, len(rows), BATCH):
        readings_ingest(source=source, rows=rows[first:first + BATCH])


def build(ctx: Any, *, days: int = 365, feed_days: int = 90, now: datetime.datetime = NOW) -> None:
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if admin is None or not ctx.business_communities:
        return
    rng = ctx.rng("cockpit-signals")
    end = now.replace(minute=0, second=0, microsecond=0)
    hours, feed_hours = days * 24, min(feed_days, days) * 24
    start, feed_start = end - datetime.timedelta(hours=hours), end - datetime.timedelta(hours=feed_hours)
    local_start = start.astimezone(TZ).replace(tzinfo=None)
    truth: list[dict] = []
    series: dict[int, tuple[Sensor, list[int]]] = {}
    with clock.frozen_at(now):
        bulk = _Bulk()
        sources = {kind: source_create(actor=admin, name=name, kind=kind)[0] for name, kind in SOURCES}
        counting: list[tuple[str, str, Any, int | None, float | None, Any]] = []  # code, name, place, capacity
        for index, (name, place) in enumerate(sorted(ctx.business_communities.items())):
            counting.append((f"KL-{index + 1:02d}-1", f"{name}主入口", place, None, None, sources[SignalKind.FOOT_TRAFFIC]))
            buildings = [b for b in ctx.office_buildings if b.path.startswith(place.path)]
            extra = 3 if XINTIANDI in name else (1 if buildings and rng.random() < 0.5 else 0)
            for n in range(extra):
                building = buildings[n % len(buildings)] if buildings else place
                counting.append((f"KL-{index + 1:02d}-{n + 2}", f"{building.name}广场", building, None, None,
                                 sources[SignalKind.FOOT_TRAFFIC]))
            if XINTIANDI in name:
                counting.append(("DT-01", "地铁新天地站闸机", place, None, 1400.0, sources[SignalKind.METRO_GATE]))
        for n, (code, name, place, _capacity, level, source) in enumerate(counting):
            seed = ctx.seed * 1000 + n
            values, events = synthetic.foot_traffic(seed, local_start, hours, events_per_week=0.5, level=level)
            recent = sorted(values[-24 * 28:])
            peak = recent[int(0.995 * len(recent))]
            capacity = int(round(peak * 1.1, -1)) if n % 3 == 0 else None  # a third have a capacity
            sensor = sensor_create(actor=admin, source=source, code=code, name=name, place=place, capacity=capacity)
            bulk.add(sensor, start, values[:-24])
            _ingest_checked(source, code, end - datetime.timedelta(hours=24), values[-24:])
            series[sensor.pk] = (sensor, values)
            truth += [{"sensor": code, "kind": e.kind, "start": (start + datetime.timedelta(hours=e.start))
                       .astimezone(TZ).isoformat(), "hours": e.length, "factor": round(e.factor, 2)} for e in events]
        feeds = []
        for index, (short, street) in enumerate(sorted(ctx.streets.items())):
            for kind, prefix, label, level in ((SignalKind.POLICE, "JQ", "警情", 0.8),
                                               (SignalKind.ENFORCEMENT, "ZF", "执法事件", 0.5),
                                               (SignalKind.TRAFFIC, "JT", "交通拥堵指数", 1.4)):
                feeds.append((kind, f"{prefix}-{index + 1:02d}", f"{short}{label}", street, level))
        xintiandi = next((p for n, p in ctx.business_communities.items() if XINTIANDI in n), None)
        if xintiandi is not None:
            feeds.append((SignalKind.SPENDING, "XF-01", "新天地刷卡消费", xintiandi, 60000.0))
        feed_local = feed_start.astimezone(TZ).replace(tzinfo=None)
        for n, (kind, code, name, place, level) in enumerate(feeds):
            source = sources[kind]
            sensor = sensor_create(actor=admin, source=source, code=code, name=name, place=place)
            values = synthetic.feed(ctx.seed * 2000 + n, feed_local, feed_hours, level=level,
                                    counts=kind != SignalKind.TRAFFIC)
            bulk.add(sensor, feed_start, values)
        bulk.write()
    from commonground.core.services.accounts import setting_set

    setting_set(key=SETTING_KEY, value=truth)
    ctx.add_count("sensors", len(counting) + len(feeds))
    ctx.add_count("injected anomalies", len(truth))
    _warnings(ctx, series, local_start, start, end, feed_hours, admin)


def _street_actor(alert: Alert, admin: User) -> User:
    user = (User.objects.filter(role_assignments__role=RoleKind.STREET_STAFF,
                                role_assignments__scope__path=alert.street_path, is_active=True)
            .order_by("pk").first())
    return user or admin


def _warnings(ctx: Any, series: dict, local_start: datetime.datetime, start: datetime.datetime,
              end: datetime.datetime, scored_hours: int, admin: User) -> None:
    """The anomaly rule over the last `scored_hours` of each counting sensor, alerts raised at their own hour."""
    params = rules.anomaly_params()
    week_ago = end - datetime.timedelta(days=7)
    hours = len(next(iter(series.values()))[1]) if series else 0
    for sensor, values in series.values():
        for episode in anomaly.detect(values, local_start, first=hours - scored_hours, params=params):
            at = start + datetime.timedelta(hours=episode.alert_at + 1)  # the scan after the alert hour
            began = start + datetime.timedelta(hours=episode.start)
            direction = _("more people than usual") if episode.direction > 0 else _("fewer people than usual")
            finding = Finding(
                rule="anomaly", key=f"anomaly:{sensor.pk}", severity=3 if episode.z >= 2 * params.z else 2,
                title=_("%(sensor)s: %(direction)s since %(time)s") % {
                    "sensor": sensor.name, "direction": direction,
                    "time": began.astimezone(TZ).strftime("%m-%d %H:00")},
                place=sensor.place, sensor=sensor, began_at=began,
                evidence=anomaly.evidence(values, local_start, episode, params))
            with clock.frozen_at(at):
                alert, created = alert_raise(finding=finding)
            if created and at < week_ago:
                with clock.frozen_at(at + datetime.timedelta(days=1)):
                    alert_close(actor=_street_actor(alert, admin), alert=alert)
    with clock.frozen_at(end):
        warnings_scan(moment=end)
    ctx.add_count("early warnings", Alert.objects.count())
    open_alerts = list(Alert.objects.filter(state__in=OPEN_STATES).select_related("place").order_by("began_at"))
    with clock.frozen_at(end):
        for alert in open_alerts[:3]:
            alert_acknowledge(actor=_street_actor(alert, admin), alert=alert)
        if len(open_alerts) > 3:
            alert = open_alerts[3]
            category = default_category(alert)
            if category is not None:
                try:
                    alert_to_case(actor=_street_actor(alert, admin), alert=alert, category=category)
                except (PermissionDenied, ValidationError):
                    alert_to_case(actor=admin, alert=alert, category=category)
