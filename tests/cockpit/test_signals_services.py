"""sensor_update (a move to another unit moves its roll-ups), source_update."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.cockpit.models import BadRows, UnitDay
from commonground.cockpit.services.signals import (
    readings_ingest,
    rollups_compare,
    sensor_update,
    source_update,
)

from .signals_fixtures import hour

AGREE = {"sensorday": 0, "unithour": 0, "unitday": 0}


def test_sensor_update__moved_to_another_unit__rollups_follow(signals):
    readings_ingest(source=signals.source, rows=[(1, "G-1", hour(5, 8), 10), (2, "S-1", hour(5, 8), 1)])
    sensor_update(actor=signals.admin, sensor=signals.gate, name="大门", place=signals.tree.far_community,
                  capacity=400)
    signals.gate.refresh_from_db()
    assert (signals.gate.unit_path, signals.gate.street_path) == (signals.tree.far_community.path,
                                                                  signals.tree.other_street.path)
    assert UnitDay.objects.get(unit_path=signals.tree.community.path).total == Decimal("1.00")
    assert UnitDay.objects.get(unit_path=signals.tree.far_community.path).total == Decimal("10.00")
    assert rollups_compare() == AGREE


def test_sensor_update__to_a_place_outside_the_actors_street__403_nothing_written(signals, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied):
        sensor_update(actor=signals.staff, sensor=signals.gate, name="x", place=signals.tree.far_community)


def test_sensor_update__no_name__refused(signals, nothing_written):
    with nothing_written(), pytest.raises(ValidationError) as error:
        sensor_update(actor=signals.staff, sensor=signals.gate, name=" ", place=signals.tree.estate, capacity=0)
    assert set(error.value.message_dict) == {"name", "capacity"}


def test_source_update__street_staff__403(signals, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied):
        source_update(actor=signals.staff, source=signals.source, bad_rows=BadRows.REJECT)
