"""Writing signals: sources and their keys, sensors, and the ingest of readings with the roll-ups kept exact.

Ingest is idempotent on (sensor, hour): a reading the database already holds with the same value changes nothing,
one with another value is a correction (the roll-ups move by the difference), late readings are accepted up to
`rules.late_days()`. Each row is checked (a sensor of this source, a time neither too old nor ahead of the clock, a
finite value ≥ 0); bad rows are reported by row number and field, and either skipped or refuse the whole batch,
as the source's policy says. A batch is a handful of statements whatever its size: the sensors of the source, the
stored readings of the batch's sensors and hours, one insert, one update of corrections, one upsert per roll-up.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import Place, User
from commonground.core.models.places import place_moved, scope_columns, within_q
from commonground.core.permissions import require, scope_paths
from commonground.core.rollups import rollup_add
from commonground.core.text import clean_text

from .. import rules
from ..models import ROLLUPS, BadRows, Reading, Sensor, SensorDay, SignalKind, SignalSource, UnitDay, UnitHour
from ..models.signals import UNIT_PATH_LENGTH

MAX_VALUE = Decimal("1000000000000")
SENSOR_CHUNK = 500  # sensor ids per IN list (SQLite's parameter limit)
HOUR = datetime.timedelta(hours=1)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def source_create(*, actor: User, name: str, kind: str, bad_rows: str = BadRows.SKIP) -> tuple[SignalSource, str]:
    """A new source and its API key (shown once: only its digest is stored)."""
    require(actor, "signalsource.manage")
    name = clean_text(name).strip()
    if not name:
        raise ValidationError({"name": _("Name the source.")})
    if SignalSource.objects.filter(name=name).exists():
        raise ValidationError({"name": _("There is already a source of this name.")})
    if kind not in SignalKind.values:
        raise ValidationError({"kind": _("Choose a kind of signal.")})
    key = secrets.token_urlsafe(32)
    source = SignalSource.objects.create(name=name, kind=kind, bad_rows=bad_rows, key_digest=key_digest(key))
    return source, key


@transaction.atomic
def source_rotate_key(*, actor: User, source: SignalSource) -> str:
    """A new key for `source`; the old one stops working at once."""
    require(actor, "signalsource.manage")
    key = secrets.token_urlsafe(32)
    SignalSource.objects.filter(pk=source.pk).update(key_digest=key_digest(key), updated_at=clock.now())
    return key


@transaction.atomic
def sensor_create(*, actor: User, source: SignalSource, code: str, name: str, place: Place,
                  capacity: int | None = None, latitude: Decimal | None = None,
                  longitude: Decimal | None = None) -> Sensor:
    """A sensor of `source` at `place` (the actor manages sensors there)."""
    require(actor, "sensor.manage", place)
    code, name = clean_text(code).strip(), clean_text(name).strip()
    errors = {}
    if not code:
        errors["code"] = _("Give the sensor's code, as its source sends it.")
    elif Sensor.objects.filter(source=source, code=code).exists():
        errors["code"] = _("This source already has a sensor with this code.")
    if not name:
        errors["name"] = _("Name the sensor.")
    if capacity is not None and capacity <= 0:
        errors["capacity"] = _("A capacity is a number of people above zero.")
    if errors:
        raise ValidationError(errors)
    return Sensor.objects.create(source=source, code=code, name=name, kind=source.kind, place=place,
                                 capacity=capacity, latitude=latitude, longitude=longitude,
                                 **scope_columns(Sensor, place.path))


@dataclass
class RowError:
    row: int
    field: str
    message: str


@dataclass
class IngestResult:
    received: int = 0
    added: int = 0
    unchanged: int = 0
    corrected: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len({error.row for error in self.errors})


class BatchRefused(ValidationError):
    """The source refuses batches with bad rows and this one has some: nothing was written; `rows`: the bad rows."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__({f"row {error.row}: {error.field}": [error.message] for error in errors})
        self.rows = errors


class Good(NamedTuple):
    row: int
    sensor: int
    hour: datetime.datetime
    value: Decimal


def hour_of(moment: datetime.datetime) -> datetime.datetime:
    """The start of the hour `moment` lies in (an hour is the same in UTC and in Shanghai time)."""
    return moment.replace(minute=0, second=0, microsecond=0)


def _parse_time(value: Any) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        moment = datetime.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)  # a time without a zone is the district's (Asia/Shanghai)
    return moment.astimezone(datetime.UTC)


def _parse_value(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise InvalidOperation
    number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    if not number.is_finite():
        raise InvalidOperation
    return number


def _check(rows: Iterable[tuple[int, Any, Any, Any]], sensors: dict[str, int],
           now: datetime.datetime) -> tuple[list[Good], list[RowError]]:
    earliest = now - datetime.timedelta(days=rules.late_days())
    latest = now + datetime.timedelta(minutes=rules.future_minutes())
    good: dict[tuple[int, datetime.datetime], Good] = {}
    errors: list[RowError] = []
    # A batch repeats a handful of times and many values: each is read once (by type too: True is not 1).
    hours: dict[Any, tuple[datetime.datetime | None, str]] = {}
    values: dict[Any, tuple[Decimal | None, str]] = {}
    for row, code, at, raw in rows:
        sensor = sensors.get(code) if type(code) is str else None
        if sensor is None and code is not None:
            sensor = sensors.get(str(code).strip())
        if sensor is None:
            errors.append(RowError(row, "sensor", _("No sensor of this source has the code “%(code)s”.")
                                   % {"code": clean_text(str(code))[:64]}))
            continue
        try:
            hour, problem = hours[at]
        except (KeyError, TypeError):
            hour, problem = _read_time(at, earliest, latest)
            if isinstance(at, str):
                hours[at] = (hour, problem)
        if hour is None:
            errors.append(RowError(row, "at", problem))
            continue
        try:
            value, problem = values[(type(raw), raw)]
        except (KeyError, TypeError):
            value, problem = _read_value(raw)
            if isinstance(raw, (str, int, float)):
                values[(type(raw), raw)] = (value, problem)
        if value is None:
            errors.append(RowError(row, "value", problem))
            continue
        key = (sensor, hour)
        earlier = good.get(key)
        if earlier is not None:
            if earlier.value != value:
                errors.append(RowError(row, "at", _("Row %(row)d gives this sensor's hour another value.")
                                       % {"row": earlier.row}))
            continue
        good[key] = Good(row, sensor, hour, value)
    return list(good.values()), errors


def _read_time(at: Any, earliest: datetime.datetime, latest: datetime.datetime
               ) -> tuple[datetime.datetime | None, str]:
    """(the hour `at` lies in, "") or (None, why not)."""
    try:
        moment = _parse_time(at)
    except (TypeError, ValueError, OverflowError):
        return None, _("Give the time as 2023-09-01T08:00:00+08:00.")
    if not earliest <= moment <= latest:
        return None, _("The time is more than %(days)d days old or ahead of the clock.") % {"days": rules.late_days()}
    return hour_of(moment), ""


def _read_value(raw: Any) -> tuple[Decimal | None, str]:
    try:
        value = _parse_value(raw)
    except (InvalidOperation, TypeError, ValueError):
        return None, _("The value is not a number.")
    if value < 0 or value >= MAX_VALUE:
        return None, _("A reading is a number from 0 up.")
    return value.quantize(Decimal("0.01")), ""


def _stored(readings: Sequence[Good]) -> dict[tuple[int, datetime.datetime], tuple[int, Decimal]]:
    """(sensor, hour) → (pk, value) of the stored readings among `readings`."""
    if not readings:
        return {}
    wanted = {(good.sensor, good.hour) for good in readings}
    first, last = min(good.hour for good in readings), max(good.hour for good in readings)
    sensor_ids = sorted({good.sensor for good in readings})
    found = {}
    for start in range(0, len(sensor_ids), SENSOR_CHUNK):
        rows = (Reading.objects.filter(sensor_id__in=sensor_ids[start:start + SENSOR_CHUNK],
                                       hour__gte=first, hour__lte=last)
                .values_list("pk", "sensor_id", "hour", "value"))
        for pk, sensor, hour, value in rows:
            if (sensor, hour) in wanted:
                found[(sensor, hour)] = (pk, value)
    return found


def readings_ingest(*, source: SignalSource, rows: Iterable[tuple[int, Any, Any, Any]],
                    within: list[str] | None = None) -> IngestResult:
    """Store a batch of (row number, sensor code, time, value) for `source` and move the roll-ups. Raises a
    ValidationError listing the bad rows when the source refuses batches with bad rows (nothing is written).
    `within`: only the sensors under these place paths count (a person importing on the source's behalf)."""
    rows = list(rows)
    for attempt in range(2):
        try:
            return _ingest(source=source, rows=rows, within=within)
        except IntegrityError:  # another request stored the same sensor-hour meanwhile: read again, once
            if attempt:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _ingest(*, source: SignalSource, rows: list[tuple[int, Any, Any, Any]],
            within: list[str] | None = None) -> IngestResult:
    now = clock.now()
    found = Sensor.objects.filter(source=source, is_active=True)
    if within is not None:
        found = found.filter(within_q("place_path", within)) if within else found.none()
    sensors = {code: (pk, unit, kind) for pk, code, unit, kind in
               found.values_list("pk", "code", "unit_path", "kind")}
    good, errors = _check(rows, {code: info[0] for code, info in sensors.items()}, now)
    result = IngestResult(received=len(rows), errors=errors)
    if errors and source.bad_rows == BadRows.REJECT:
        raise BatchRefused(errors)
    stored = _stored(good)
    added: list[Good] = []
    corrected: list[Reading] = []
    deltas: list[tuple[Good, Decimal, int]] = []
    for reading in good:
        before = stored.get((reading.sensor, reading.hour))
        if before is None:
            added.append(reading)
            deltas.append((reading, reading.value, 1))
        elif before[1] != reading.value:
            corrected.append(Reading(pk=before[0], value=reading.value, received_at=now))
            deltas.append((reading, reading.value - before[1], 0))
    with transaction.atomic():
        _insert(added, now)
        Reading.objects.bulk_update(corrected, ["value", "received_at"], batch_size=500)
    _move_rollups(deltas, {pk: (unit, kind) for pk, unit, kind in sensors.values()})
    result.added, result.corrected = len(added), len(corrected)
    result.unchanged = len(good) - len(added) - len(corrected)
    return result


def _insert(readings: list[Good], now: datetime.datetime) -> None:
    """The new readings in one executemany (what bulk_create would write, without a model object per row: an
    aware time as the database stores it, prepared once per hour)."""
    if not readings:
        return
    from django.db import connection

    field = Reading._meta.get_field("hour")
    hours: dict[datetime.datetime, Any] = {}
    for reading in readings:
        if reading.hour not in hours:
            hours[reading.hour] = field.get_db_prep_save(reading.hour, connection)
    received = field.get_db_prep_save(now, connection)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Reading._meta.get_field(name).column) for name in ("sensor", "hour", "value",
                                                                                 "received_at"))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(Reading._meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s)",
                           [(r.sensor, hours[r.hour], r.value, received) for r in readings])


def _move_rollups(deltas: Iterable[tuple[Good, Decimal, int]], units: dict[int, tuple[str, str]]) -> None:
    by_sensor_day: dict[tuple, list] = defaultdict(lambda: [Decimal(0), 0])
    by_unit_hour: dict[tuple, list] = defaultdict(lambda: [Decimal(0), 0])
    by_unit_day: dict[tuple, list] = defaultdict(lambda: [Decimal(0), 0])
    days: dict[datetime.datetime, datetime.date] = {}
    for reading, value, count in deltas:
        unit, kind = units[reading.sensor]
        day = days.get(reading.hour)
        if day is None:
            day = days[reading.hour] = timezone.localtime(reading.hour).date()
        for table, key in ((by_sensor_day, (reading.sensor, day)), (by_unit_hour, (unit, kind, reading.hour)),
                           (by_unit_day, (unit, kind, day))):
            table[key][0] += value
            table[key][1] += count
    rollup_add(SensorDay, by_sensor_day)
    rollup_add(UnitHour, by_unit_hour)
    rollup_add(UnitDay, by_unit_day)


def rollups_recount(sensors=None) -> dict[type, dict[tuple, list]]:
    """The roll-ups as the readings give them (of all sensors, or of `sensors`)."""
    counted: dict[type, dict[tuple, list]] = {model: defaultdict(lambda: [Decimal(0), 0]) for model in ROLLUPS}
    readings = Reading.objects.all() if sensors is None else Reading.objects.filter(sensor__in=sensors)
    rows = readings.order_by().values_list("sensor_id", "sensor__unit_path", "sensor__kind", "hour", "value")
    for sensor, unit, kind, hour, value in rows.iterator(chunk_size=10_000):
        day = timezone.localtime(hour).date()
        for model, key in ((SensorDay, (sensor, day)), (UnitHour, (unit, kind, hour)), (UnitDay, (unit, kind, day))):
            counted[model][key][0] += value
            counted[model][key][1] += 1
    return counted


def rollups_stored() -> dict[type, dict[tuple, list]]:
    found: dict[type, dict[tuple, list]] = {}
    for model in ROLLUPS:
        width = len(model.key_fields)
        rows = model.objects.values_list(*model.key_fields, *model.measure_fields)
        found[model] = {tuple(row[:width]): list(row[width:]) for row in rows.iterator(chunk_size=10_000)
                        if any(row[width:])}
    return found


def rollups_compare() -> dict[str, int]:
    """Keys whose stored sums differ from a recount, per roll-up (all zero: they agree)."""
    counted, kept = rollups_recount(), rollups_stored()
    differences = {}
    for model in ROLLUPS:
        a = {key: [Decimal(row[0]), row[1]] for key, row in counted[model].items() if any(row)}
        b = {key: [Decimal(row[0]), row[1]] for key, row in kept[model].items()}
        differences[model._meta.model_name] = sum(1 for key in a.keys() | b.keys() if a.get(key) != b.get(key))
    return differences


@transaction.atomic
def rollups_rebuild(*, units: Iterable[str] | None = None) -> None:
    """Recount the roll-ups from the readings: all of them, or the unit roll-ups of `units` only."""
    if units is None:
        for model in ROLLUPS:
            model.objects.all().delete()
        for model, rows in rollups_recount().items():
            rollup_add(model, rows)
        return
    units = set(units)
    UnitHour.objects.filter(unit_path__in=units).delete()
    UnitDay.objects.filter(unit_path__in=units).delete()
    counted = rollups_recount(Sensor.objects.filter(unit_path__in=units))
    rollup_add(UnitHour, counted[UnitHour])
    rollup_add(UnitDay, counted[UnitDay])


@receiver(place_moved)
def _sensors_moved(sender: Any, old_path: str, new_path: str, **kwargs: Any) -> None:
    """A place below a unit moved (an estate into another community): the unit roll-ups of the unit its sensors
    left and the one they joined are recounted. A unit or a street moving keeps its rows: place_move rewrote
    their paths with the places'."""
    if len(new_path) <= UNIT_PATH_LENGTH or old_path[:UNIT_PATH_LENGTH] == new_path[:UNIT_PATH_LENGTH]:
        return
    if Sensor.objects.filter(within_q("place_path", [new_path])).exists():
        rollups_rebuild(units={old_path[:UNIT_PATH_LENGTH], new_path[:UNIT_PATH_LENGTH]})


@transaction.atomic
def source_update(*, actor: User, source: SignalSource, bad_rows: str | None = None,
                  is_active: bool | None = None) -> SignalSource:
    """Change a source's bad-row policy or switch it on or off (an inactive source's key is refused)."""
    require(actor, "signalsource.manage")
    source = SignalSource.objects.select_for_update().get(pk=source.pk)
    if bad_rows is not None:
        if bad_rows not in BadRows.values:
            raise ValidationError({"bad_rows": _("Choose what a batch with bad rows does.")})
        source.bad_rows = bad_rows
    if is_active is not None:
        source.is_active = is_active
    source.save(update_fields=["bad_rows", "is_active", "updated_at"])
    return source


@transaction.atomic
def sensor_update(*, actor: User, sensor: Sensor, name: str, place: Place, capacity: int | None = None,
                  latitude: Decimal | None = None, longitude: Decimal | None = None,
                  is_active: bool = True) -> Sensor:
    """Change a sensor; moving it to a place of another unit moves its roll-ups (both units are recounted)."""
    sensor = Sensor.objects.select_for_update().get(pk=sensor.pk)
    require(actor, "sensor.manage", sensor)
    require(actor, "sensor.manage", place)
    name = clean_text(name).strip()
    errors = {}
    if not name:
        errors["name"] = _("Name the sensor.")
    if capacity is not None and capacity <= 0:
        errors["capacity"] = _("A capacity is a number of people above zero.")
    if errors:
        raise ValidationError(errors)
    old_unit = sensor.unit_path
    sensor.name, sensor.capacity, sensor.latitude, sensor.longitude = name, capacity, latitude, longitude
    sensor.is_active = is_active
    if place.pk != sensor.place_id:
        sensor.place = place
        for column, value in scope_columns(Sensor, place.path).items():
            setattr(sensor, column, value)
    sensor.save()
    if sensor.unit_path != old_unit:
        rollups_rebuild(units={old_unit, sensor.unit_path})
    return sensor


READING_COLUMNS = {
    "sensor": ("sensor", "sensor code", "传感器", "传感器编码", "编码"),
    "at": ("at", "time", "hour", "时间", "时刻"),
    "value": ("value", "读数", "数值"),
}


def rows_from_table(table: Any, index: dict[str, int]) -> list[tuple[int, Any, Any, Any]]:
    """(row number, sensor, time, value) of a read table (core/rosters/readers.py) whose columns `index` found;
    ValidationError({"file": …}) naming the columns it lacks."""
    missing = [column for column in READING_COLUMNS if column not in index]
    if missing:
        raise ValidationError({"file": _("The file needs the columns sensor, at and value (or 传感器, 时间, 读数); "
                                         "missing: %(columns)s.") % {"columns": ", ".join(missing)}})
    s, a, v = index["sensor"], index["at"], index["value"]
    width = max(s, a, v)
    return [(number, cells[s], cells[a], cells[v]) if len(cells) > width else
            (number, *(cells[i] if i < len(cells) else "" for i in (s, a, v)))
            for number, cells in table.rows]


def readings_import(*, actor: User, source: SignalSource, table: Any, index: dict[str, int]) -> IngestResult:
    """Readings from a file, on `source`'s behalf (its policy on bad rows applies), for the sensors in the
    actor's area only: another street's sensor is a bad row."""
    require(actor, "reading.import")
    return readings_ingest(source=source, rows=rows_from_table(table, index),
                           within=scope_paths(actor, "reading.import"))
