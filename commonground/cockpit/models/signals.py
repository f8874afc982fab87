"""Signals: the sources that push readings (each with its API key), their sensors placed in the place tree, the
readings (one value per sensor and hour, idempotent on that pair) and the roll-ups the dashboards read instead of
readings: per sensor and day, and per unit (the community or business community of the sensor's place), kind and
hour or day. The ingest service keeps the roll-ups exactly right in the transaction that writes the readings;
`commonground signals --check` compares them with a recount and `--rebuild` recounts them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import Place, TimeStampedModel
from commonground.core.models.places import SEGMENT_WIDTH

UNIT_SEGMENTS = 3  # district, street, community (or business community): the finest unit a roll-up counts
UNIT_PATH_LENGTH = UNIT_SEGMENTS * SEGMENT_WIDTH


def unit_path(place_path: str) -> str:
    """The roll-up unit of a sensor placed at `place_path`."""
    return place_path[:UNIT_PATH_LENGTH]


class SignalKind(models.TextChoices):
    """What a sensor measures per hour. Counts add up over places; an index (congestion) is averaged."""

    FOOT_TRAFFIC = "foot_traffic", _("foot traffic (people counted)")
    METRO_GATE = "metro_gate", _("metro gate entries and exits")
    POLICE = "police", _("police incidents")
    ENFORCEMENT = "enforcement", _("law-enforcement events")
    TRAFFIC = "traffic", _("traffic congestion index")
    SPENDING = "spending", _("card spending (yuan)")


AVERAGED_KINDS = {SignalKind.TRAFFIC}  # shown as the mean of the readings, not their sum


class BadRows(models.TextChoices):
    """What a source's batch does when some of its rows are bad."""

    REJECT = "reject", _("refuse the whole batch")
    SKIP = "skip", _("skip the bad rows, keep the good ones")


class SignalSource(TimeStampedModel):
    """A system that pushes readings (a counter vendor, the police feed): its key and its policy for bad rows."""

    name = models.CharField(_("source name"), max_length=100, unique=True)
    kind = models.CharField(_("signal kind"), max_length=16, choices=SignalKind.choices)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)  # SHA-256 of the key, never the key
    bad_rows = models.CharField(_("bad rows"), max_length=8, choices=BadRows.choices, default=BadRows.SKIP)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("signal source")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Sensor(TimeStampedModel):
    """One counter or feed area, at a place; `capacity` (people an hour) is what crowding warnings compare with."""

    source = models.ForeignKey(SignalSource, on_delete=models.PROTECT, related_name="sensors")
    code = models.CharField(_("sensor code"), max_length=64)
    name = models.CharField(_("sensor name"), max_length=100)
    kind = models.CharField(_("signal kind"), max_length=16, choices=SignalKind.choices)
    place = models.ForeignKey(Place, verbose_name=_("where the sensor is"), on_delete=models.PROTECT,
                              related_name="sensors")
    place_path = models.CharField(max_length=255, editable=False)
    street_path = models.CharField(max_length=255, editable=False, default="")
    unit_path = models.CharField(max_length=UNIT_PATH_LENGTH, editable=False, default="")
    capacity = models.PositiveIntegerField(_("capacity per hour"), null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    scope_path = "place_path"
    place_path_fields = ("place_path",)
    scope_prefixes = {"street_path": 2, "unit_path": UNIT_SEGMENTS}

    class Meta:
        verbose_name = _("sensor")
        ordering = ["source", "code"]
        constraints = [models.UniqueConstraint(fields=["source", "code"], name="sensor_code_unique")]
        indexes = [models.Index(fields=["place_path"], name="sensor_place_path")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Reading(models.Model):
    """A sensor's value for one hour (`hour` is the hour's start). Written only by the ingest service."""

    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="readings")
    hour = models.DateTimeField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    received_at = models.DateTimeField()

    class Meta:
        verbose_name = _("reading")
        constraints = [
            models.UniqueConstraint(fields=["sensor", "hour"], name="reading_sensor_hour"),
            models.CheckConstraint(condition=Q(value__gte=0), name="reading_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.sensor_id} {self.hour:%Y-%m-%d %H}:00 {self.value}"


class SensorDay(models.Model):
    """A sensor's readings of one local day: their sum and how many hours reported."""

    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    total = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    readings = models.IntegerField(default=0)

    key_fields = ("sensor_id", "day")
    measure_fields = ("total", "readings")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sensor", "day"], name="sensor_day_key")]

    def __str__(self) -> str:
        return f"{self.sensor_id} {self.day} {self.total}"


class UnitRollup(models.Model):
    """Readings of one kind summed over the sensors of a unit (community or business community)."""

    unit_path = models.CharField(max_length=UNIT_PATH_LENGTH)
    kind = models.CharField(max_length=16, choices=SignalKind.choices)
    total = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    readings = models.IntegerField(default=0)

    place_path_fields = ("unit_path",)  # a community moved to another street takes its roll-ups along
    key_fields: tuple[str, ...] = ()
    measure_fields = ("total", "readings")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return " ".join(str(getattr(self, name)) for name in (*self.key_fields, "total"))


class UnitHour(UnitRollup):
    hour = models.DateTimeField()

    key_fields = ("unit_path", "kind", "hour")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit_path", "kind", "hour"], name="unit_hour_key")]
        indexes = [models.Index(fields=["kind", "hour"], name="unit_hour_kind_hour")]


class UnitDay(UnitRollup):
    day = models.DateField()

    key_fields = ("unit_path", "kind", "day")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit_path", "kind", "day"], name="unit_day_key")]
        indexes = [models.Index(fields=["kind", "day"], name="unit_day_kind_day")]


ROLLUPS = (SensorDay, UnitHour, UnitDay)
