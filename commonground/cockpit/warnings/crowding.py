"""Crowding (人流拥挤): a sensor's hour above its capacity (people an hour). Serious from `serious_ratio` × capacity.
Reads the readings of the last hours of the sensors that have a capacity, by the (sensor, hour) index."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from .. import rules
from . import Finding

SCAN_HOURS = 3


def crowded(values: Sequence[float | None], capacity: float, ratio: float = 1.0) -> list[int]:
    """Indexes of the hours above `ratio` × capacity."""
    return [i for i, value in enumerate(values) if value is not None and value > capacity * ratio]


def findings(moment: datetime.datetime) -> list[Finding]:
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from ..models import Reading, Sensor

    end = moment.replace(minute=0, second=0, microsecond=0)
    first = end - datetime.timedelta(hours=SCAN_HOURS)
    ratio = rules.warning_setting("crowding", "ratio")
    serious = rules.warning_setting("crowding", "serious_ratio")
    sensors = {sensor.pk: sensor for sensor in Sensor.objects.filter(is_active=True, capacity__isnull=False)
               .select_related("place")}
    if not sensors:
        return []
    found: dict[int, list[tuple[datetime.datetime, float]]] = {}
    rows = (Reading.objects.filter(sensor_id__in=list(sensors), hour__gte=first, hour__lt=end)
            .order_by("sensor_id", "hour").values_list("sensor_id", "hour", "value"))
    for sensor_id, hour, value in rows:
        found.setdefault(sensor_id, []).append((hour, float(value)))
    result = []
    for sensor_id, series in found.items():
        sensor = sensors[sensor_id]
        over = crowded([value for _hour, value in series], sensor.capacity, ratio)
        if not over:
            continue
        peak = max(series[i][1] for i in over)
        began = series[over[0]][0]
        result.append(Finding(
            rule="crowding", key=f"crowding:{sensor_id}",
            severity=3 if peak > sensor.capacity * serious else 2,
            title=_("%(sensor)s: %(people)d people an hour, above its capacity of %(capacity)d") % {
                "sensor": sensor.name, "people": round(peak), "capacity": sensor.capacity},
            place=sensor.place, sensor=sensor, began_at=began,
            evidence={"kind": "hourly", "labels": [timezone.localtime(h).strftime("%m-%d %H:00") for h, _v in series],
                      "values": [v for _h, v in series], "capacity": sensor.capacity,
                      "marked": [timezone.localtime(series[i][0]).strftime("%m-%d %H:00") for i in over]}))
    return result
