"""Reading signals: the sensors a user sees, a sensor's hourly series (from readings by their (sensor, hour) index)
and daily series (SensorDay), and a place's series by kind summed over the units under it (UnitHour, UnitDay;
an averaged kind as the mean of its readings). No series scans the readings table beyond one sensor's range."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import Place, User
from commonground.core.models.places import within_q
from commonground.core.permissions import access_object, visible_to

from .models import AVERAGED_KINDS, Reading, Sensor, SensorDay, SignalSource, UnitDay, UnitHour
from .models.signals import UNIT_PATH_LENGTH

MAX_HOURLY_DAYS = 31
MAX_DAILY_DAYS = 366


def sensors_for(actor: User, action: str = "sensor.view", *, kind: str = "", place: Place | None = None
                ) -> QuerySet[Sensor]:
    sensors = visible_to(actor, action, Sensor.objects.select_related("source", "place"))
    if kind:
        sensors = sensors.filter(kind=kind)
    if place is not None:
        sensors = sensors.filter(within_q("place_path", [place.path]))
    return sensors.order_by("place_path", "code", "pk")


def access_sensor(actor: User, pk: int, action: str = "sensor.view") -> Sensor:
    return access_object(actor, sensors_for(actor), action, view_action="sensor.view",
                         missing=_("No such sensor."), pk=pk)


def sources_for(actor: User) -> QuerySet[SignalSource]:
    return visible_to(actor, "signalsource.view", SignalSource.objects.all()).order_by("name")


def access_source(actor: User, pk: int, action: str = "signalsource.view") -> SignalSource:
    return access_object(actor, sources_for(actor), action, view_action="signalsource.view",
                         missing=_("No such signal source."), pk=pk)


def access_place(actor: User, code: str, action: str = "reading.view") -> Place:
    """A place whose series `actor` may read (Http404 otherwise)."""
    place = visible_to(actor, action, Place.objects.filter(code=code)).first() if code else None
    if place is None:
        raise Http404(_("No such place."))
    return place


@dataclass
class Point:
    at: Any  # an aware hour or a day
    value: Decimal
    readings: int


def _local_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def check_range(start: datetime.date, end: datetime.date, limit: int) -> None:
    from django.core.exceptions import ValidationError

    if end < start:
        raise ValidationError({"end": _("The range ends before it starts.")})
    if (end - start).days + 1 > limit:
        raise ValidationError({"end": _("A range of at most %(days)d days.") % {"days": limit}})


def default_range(days: int) -> tuple[datetime.date, datetime.date]:
    end = clock.today()
    return end - datetime.timedelta(days=days - 1), end


def sensor_hours(sensor: Sensor, start: datetime.date, end: datetime.date) -> list[Point]:
    """The sensor's readings of the local days start..end, hour by hour (hours without a reading left out)."""
    check_range(start, end, MAX_HOURLY_DAYS)
    rows = (Reading.objects.filter(sensor=sensor, hour__gte=_local_start(start),
                                   hour__lt=_local_start(end + datetime.timedelta(days=1)))
            .order_by("hour").values_list("hour", "value"))
    return [Point(hour, value, 1) for hour, value in rows]


def sensor_days(sensor: Sensor, start: datetime.date, end: datetime.date) -> list[Point]:
    check_range(start, end, MAX_DAILY_DAYS)
    rows = (SensorDay.objects.filter(sensor=sensor, day__gte=start, day__lte=end, readings__gt=0)
            .order_by("day").values_list("day", "total", "readings"))
    averaged = sensor.kind in AVERAGED_KINDS
    return [Point(day, (total / count).quantize(Decimal("0.01")) if averaged else total, count)
            for day, total, count in rows]


def _units_q(place: Place) -> Any:
    """The unit roll-ups under `place` (a place below a unit reads its unit's)."""
    if len(place.path) >= UNIT_PATH_LENGTH:
        from django.db.models import Q

        return Q(unit_path=place.path[:UNIT_PATH_LENGTH])
    return within_q("unit_path", [place.path])


def place_series(place: Place, kind: str, start: datetime.date, end: datetime.date, *, hourly: bool) -> list[Point]:
    """The kind's readings summed over the units under `place`, by hour or by day; an averaged kind as the mean."""
    check_range(start, end, MAX_HOURLY_DAYS if hourly else MAX_DAILY_DAYS)
    if hourly:
        model, key = UnitHour, "hour"
        rows = UnitHour.objects.filter(kind=kind, hour__gte=_local_start(start),
                                       hour__lt=_local_start(end + datetime.timedelta(days=1)))
    else:
        model, key = UnitDay, "day"
        rows = UnitDay.objects.filter(kind=kind, day__gte=start, day__lte=end)
    del model
    rows = (rows.filter(_units_q(place)).values(key).annotate(sum=Sum("total"), count=Sum("readings"))
            .filter(count__gt=0).order_by(key).values_list(key, "sum", "count"))
    averaged = kind in AVERAGED_KINDS
    return [Point(at, (total / count).quantize(Decimal("0.01")) if averaged else total, count)
            for at, total, count in rows]


def latest_days(sensor_ids: list[int], days: int = 7) -> dict[int, Decimal]:
    """Each sensor's total of the last `days` days (one query over SensorDay)."""
    start = clock.today() - datetime.timedelta(days=days - 1)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for sensor, total in (SensorDay.objects.filter(sensor_id__in=sensor_ids, day__gte=start)
                          .values("sensor").annotate(t=Sum("total")).values_list("sensor", "t")):
        totals[sensor] = total
    return totals
