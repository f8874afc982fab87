"""The ingest service: idempotent on (sensor, hour), corrections, validation by row, the source's bad-row policy,
and roll-ups equal to sums of the readings."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from commonground.cockpit.models import BadRows, Reading, SensorDay, UnitDay, UnitHour
from commonground.cockpit.services.signals import readings_ingest, rollups_compare, rollups_rebuild
from commonground.core.services.places import place_move

from .signals_fixtures import hour

AGREE = {"sensorday": 0, "unithour": 0, "unitday": 0}


def rows(*readings):
    return [(n, *reading) for n, reading in enumerate(readings, 1)]


def test_ingest__new_readings__stored_and_rolled_up(signals):
    result = readings_ingest(source=signals.source, rows=rows(("G-1", hour(5, 8), 120), ("G-1", hour(5, 9), 80),
                                                              ("S-1", hour(5, 9), "40.5"), ("F-1", hour(5, 9), 7)))
    assert (result.added, result.unchanged, result.corrected, result.errors) == (4, 0, 0, [])
    assert rollups_compare() == AGREE
    day = SensorDay.objects.get(sensor=signals.gate, day=datetime.date(2024, 5, 5))
    assert (day.total, day.readings) == (Decimal("200.00"), 2)
    nine = UnitHour.objects.get(unit_path=signals.tree.community.path, hour=hour(5, 9))
    assert (nine.total, nine.readings) == (Decimal("120.50"), 2)  # the gate's estate lies in the community
    assert UnitDay.objects.get(unit_path=signals.tree.far_community.path).total == Decimal("7.00")


def test_ingest__the_same_batch_again__changes_nothing(signals, nothing_written):
    batch = rows(("G-1", hour(5, 8), 120), ("S-1", hour(5, 8), 30))
    readings_ingest(source=signals.source, rows=batch)
    with nothing_written():
        result = readings_ingest(source=signals.source, rows=batch)
    assert (result.added, result.unchanged, result.corrected) == (0, 2, 0)


def test_ingest__another_value_for_a_stored_hour__a_correction_moves_the_roll_ups(signals):
    readings_ingest(source=signals.source, rows=rows(("G-1", hour(5, 8), 120)))
    result = readings_ingest(source=signals.source, rows=rows(("G-1", hour(5, 8, ), 100)))
    assert (result.added, result.corrected) == (0, 1)
    assert Reading.objects.get().value == Decimal("100.00")
    assert SensorDay.objects.get().total == Decimal("100.00") and SensorDay.objects.get().readings == 1
    assert rollups_compare() == AGREE


def test_ingest__minutes_within_an_hour__one_bucket(signals):
    at = hour(5, 8) + datetime.timedelta(minutes=37)
    readings_ingest(source=signals.source, rows=rows(("G-1", at.isoformat(), 12)))
    assert Reading.objects.get().hour == hour(5, 8)


def test_ingest__late_data__accepted(signals):
    old = hour(5, 8) - datetime.timedelta(days=200)
    assert readings_ingest(source=signals.source, rows=rows(("G-1", old, 5))).added == 1


@pytest.mark.parametrize(("reading", "field"), [
    (("NOPE", hour(5, 8), 1), "sensor"),
    (("G-1", "yesterday", 1), "at"),
    (("G-1", hour(6, 14), 1), "at"),  # two hours ahead of the clock
    (("G-1", hour(5, 8) - datetime.timedelta(days=500), 1), "at"),
    (("G-1", hour(5, 8), -3), "value"),
    (("G-1", hour(5, 8), "NaN"), "value"),
    (("G-1", hour(5, 8), "many"), "value"),
    (("G-1", hour(5, 8), True), "value"),
])
def test_ingest__a_bad_row__reported_by_row_and_field_and_skipped(signals, reading, field):
    result = readings_ingest(source=signals.source, rows=rows(("S-1", hour(5, 8), 1), reading))
    assert [(error.row, error.field) for error in result.errors] == [(2, field)]
    assert result.added == 1 and Reading.objects.count() == 1


def test_ingest__two_values_for_one_hour_in_a_batch__the_second_is_refused(signals):
    result = readings_ingest(source=signals.source, rows=rows(("G-1", hour(5, 8), 1), ("G-1", hour(5, 8), 2)))
    assert [(error.row, error.field) for error in result.errors] == [(2, "at")]
    assert Reading.objects.get().value == 1


def test_ingest__a_source_that_refuses_bad_batches__nothing_written(signals, nothing_written):
    signals.source.bad_rows = BadRows.REJECT
    signals.source.save()
    with nothing_written(), pytest.raises(ValidationError) as refused:
        readings_ingest(source=signals.source, rows=rows(("G-1", hour(5, 8), 1), ("G-1", hour(5, 9), -1)))
    assert list(refused.value.message_dict) == ["row 2: value"]


def test_ingest__another_sources_sensor__unknown(signals):
    from commonground.cockpit.services.signals import source_create

    other, _key = source_create(actor=signals.admin, name="地铁闸机", kind="metro_gate")
    result = readings_ingest(source=other, rows=rows(("G-1", hour(5, 8), 1)))
    assert [error.field for error in result.errors] == ["sensor"] and not Reading.objects.exists()


def test_roll_ups__many_batches__equal_the_sums_of_the_readings(signals):
    for day in range(1, 6):
        readings_ingest(source=signals.source, rows=rows(*[(code, hour(day, h), day * h)
                                                           for code in ("G-1", "S-1", "F-1") for h in range(24)]))
    assert rollups_compare() == AGREE
    raw = Reading.objects.aggregate(total=Sum("value"))["total"]
    assert UnitDay.objects.aggregate(total=Sum("total"))["total"] == raw
    assert UnitHour.objects.aggregate(total=Sum("total"))["total"] == raw


def test_place_move__an_estate_to_another_community__its_sensors_counts_move(signals):
    readings_ingest(source=signals.source, rows=rows(("G-1", hour(5, 8), 120), ("S-1", hour(5, 8), 30)))
    place_move(place=signals.tree.estate, new_parent=signals.tree.neighbour)
    assert rollups_compare() == AGREE
    assert UnitDay.objects.get(unit_path=signals.tree.neighbour.path).total == 120


def test_rebuild__a_tampered_roll_up__mended(signals):
    readings_ingest(source=signals.source, rows=rows(("G-1", hour(5, 8), 120)))
    UnitDay.objects.update(total=1)
    assert rollups_compare()["unitday"] == 1
    rollups_rebuild()
    assert rollups_compare() == AGREE
