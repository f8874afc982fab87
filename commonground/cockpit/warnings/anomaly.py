"""Anomaly against a seasonal baseline (异常客流): a sensor's hour compared with the same hour on the same weekday
over the previous N weeks — only days of the same kind (working day or rest day, after the Chinese calendar with its
adjusted working days); when too few such days exist (a holiday on a weekday), the same hour of the most recent days
of that kind. Baseline: their median; scale: the MAD (×1.4826), never below the counting noise √median nor a tenth of
the median. An hour is unusual when its robust z is beyond `z` AND it differs from the median by at least
`ratio`; an alert needs `persistence` consecutive unusual hours in the same direction (so single spikes and noise
do not page anyone; ≤ 1 false alert per sensor per 4 weeks on the benchmark)."""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar

from .. import rules

HOURS_PER_WEEK = 168
MAD_SCALE = 1.4826


@lru_cache(maxsize=4096)
def day_kind(day: datetime.date) -> str:
    """"work", "rest" (a weekend) or "holiday" (a public holiday's day off), after the Chinese calendar with its
    adjusted working days."""
    try:
        if chinese_calendar.is_workday(day):
            return "work"
        return "holiday" if chinese_calendar.get_holiday_detail(day)[1] is not None else "rest"
    except NotImplementedError:
        return "rest" if day.weekday() >= 5 else "work"


def is_rest_day(day: datetime.date) -> bool:
    return day_kind(day) != "work"


@dataclass(frozen=True)
class Episode:
    """Consecutive unusual hours: indexes [start, end), direction +1/-1, the strongest robust z."""

    start: int
    end: int
    direction: int
    z: float
    alert_at: int  # the hour index at which the alert is raised (start + persistence - 1)


def references(index: int, start: datetime.datetime, weeks: int) -> list[int]:
    """Indexes of the hours the baseline of hour `index` is made of (series starting at local hour `start`): the
    same hour on the same weekday of the previous weeks that were days of the same kind; too few of those (a
    holiday, a working Saturday), the same hour of the most recent days of that kind (a holiday: of the same
    holiday, the last 10 days; its first day has no baseline and raises nothing)."""
    day = (start + datetime.timedelta(hours=index)).date()
    kind = day_kind(day)
    found = []
    if kind != "holiday":
        for k in range(1, 2 * weeks + 1):
            other = index - k * HOURS_PER_WEEK
            if other < 0 or len(found) == weeks:
                break
            if day_kind(day - datetime.timedelta(days=7 * k)) == kind:
                found.append(other)
        if len(found) >= max(2, weeks // 2 + 1):
            return found
        found = []
    for k in range(1, (10 if kind == "holiday" else 7 * weeks) + 1):
        other = index - 24 * k
        if other < 0 or len(found) == weeks:
            break
        if day_kind(day - datetime.timedelta(days=k)) == kind:
            found.append(other)
    return found


def band(values: Sequence[float | None], refs: list[int]) -> tuple[float, float] | None:
    """(median, scale) of the reference hours, or None when fewer than 2 have a value."""
    history = [values[i] for i in refs if values[i] is not None]
    if len(history) < 2:
        return None
    median = statistics.median(history)
    mad = statistics.median(abs(v - median) for v in history)
    scale = max(MAD_SCALE * mad, median ** 0.5, 0.1 * median, 1.0)
    return median, scale


def unusual(value: float, median: float, scale: float, *, z: float, ratio: float) -> int:
    """+1 (too high), -1 (too low) or 0."""
    score = (value - median) / scale
    if abs(score) < z or abs(value - median) < ratio * max(median, 1.0):
        return 0
    return 1 if score > 0 else -1


def detect(values: Sequence[float | None], start: datetime.datetime, *, first: int = 0,
           params: rules.AnomalyParams | None = None) -> list[Episode]:
    """The episodes among hours `first`.. of `values` (hourly, from local hour `start`; None: no reading)."""
    p = params or rules.anomaly_params()
    episodes: list[Episode] = []
    run_start, run_dir, run_z = None, 0, 0.0
    for index in range(first, len(values) + 1):
        direction, score = 0, 0.0
        if index < len(values) and values[index] is not None:
            found = band(values, references(index, start, p.weeks))
            if found is not None:
                median, scale = found
                direction = unusual(values[index], median, scale, z=p.z, ratio=p.ratio)
                score = (values[index] - median) / scale
        if direction and direction == run_dir:
            run_z = max(run_z, abs(score))
            continue
        if run_start is not None and index - run_start >= p.persistence:
            episodes.append(Episode(run_start, index, run_dir, round(run_z, 2), run_start + p.persistence - 1))
        run_start, run_dir, run_z = (index, direction, abs(score)) if direction else (None, 0, 0.0)
    return episodes


EVIDENCE_HOURS = 48


def evidence(values: Sequence[float | None], start: datetime.datetime, episode: Episode,
             params: rules.AnomalyParams) -> dict:
    """The chart of a warning: the hours around the episode, its band (median ± z·scale) and the marked hours."""
    first = max(0, episode.start - EVIDENCE_HOURS + 12)
    last = min(len(values), max(episode.end, first + EVIDENCE_HOURS))
    labels, shown, median, low, high = [], [], [], [], []
    for index in range(first, last):
        labels.append((start + datetime.timedelta(hours=index)).strftime("%m-%d %H:00"))
        shown.append(values[index])
        found = band(values, references(index, start, params.weeks))
        m, s = found if found else (None, None)
        median.append(None if m is None else round(m, 1))
        low.append(None if m is None else round(max(0.0, m - params.z * s), 1))
        high.append(None if m is None else round(m + params.z * s, 1))
    marked = [labels[i - first] for i in range(episode.start, episode.end) if first <= i < last]
    return {"kind": "hourly", "labels": labels, "values": shown, "baseline": median, "low": low, "high": high,
            "marked": marked, "z": episode.z, "direction": episode.direction}


def findings(moment: datetime.datetime) -> list:
    """Anomalies of the counting sensors in the hours before `moment` (the last `scan_hours`): the readings of
    each sensor over the baseline's weeks, by the (sensor, hour) index."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from ..models import Reading, Sensor, SignalKind
    from . import Finding

    p = rules.anomaly_params()
    scan_hours = rules.warning_setting("anomaly", "scan_hours")
    end = moment.replace(minute=0, second=0, microsecond=0)
    hours = 2 * p.weeks * HOURS_PER_WEEK + scan_hours
    first_hour = end - datetime.timedelta(hours=hours)
    sensors = list(Sensor.objects.filter(is_active=True, kind__in=[SignalKind.FOOT_TRAFFIC, SignalKind.METRO_GATE])
                   .select_related("place"))
    if not sensors:
        return []
    by_sensor: dict[int, dict] = {sensor.pk: {} for sensor in sensors}
    rows = (Reading.objects.filter(sensor_id__in=list(by_sensor), hour__gte=first_hour, hour__lt=end)
            .order_by().values_list("sensor_id", "hour", "value"))
    for sensor_id, hour, value in rows.iterator(chunk_size=10_000):
        by_sensor[sensor_id][hour] = float(value)
    local_start = timezone.localtime(first_hour).replace(tzinfo=None)
    result = []
    for sensor in sensors:
        known = by_sensor[sensor.pk]
        if not known:
            continue
        values = [known.get(first_hour + datetime.timedelta(hours=i)) for i in range(hours)]
        # episodes whose alert hour lies in the scan window, found from a day before it (their true first hour)
        for episode in detect(values, local_start, first=hours - scan_hours - 24, params=p):
            if episode.alert_at < hours - scan_hours:
                continue
            direction = _("more people than usual") if episode.direction > 0 else _("fewer people than usual")
            began = first_hour + datetime.timedelta(hours=episode.start)
            result.append(Finding(
                rule="anomaly", key=f"anomaly:{sensor.pk}", severity=3 if episode.z >= 2 * p.z else 2,
                title=_("%(sensor)s: %(direction)s since %(time)s") % {
                    "sensor": sensor.name, "direction": direction,
                    "time": timezone.localtime(began).strftime("%m-%d %H:00")},
                place=sensor.place, sensor=sensor, began_at=began,
                evidence=evidence(values, local_start, episode, p)))
    return result
