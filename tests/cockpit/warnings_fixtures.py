"""The warnings fixture: the `signals` fixture (a foot-traffic source, sensors gate/square in 武林街道 and far in
天水街道, the clock at 2024-05-06 12:00 Shanghai) plus the case categories, and helpers that feed a sensor hourly
readings and raise a warning at a place."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from commonground.cases.models import Category
from commonground.cases.services.categories import category_seed
from commonground.cockpit.models import Alert, Sensor
from commonground.cockpit.services.signals import readings_ingest
from commonground.cockpit.services.warnings import alert_raise
from commonground.cockpit.warnings import Finding
from commonground.core import clock

from .signals_fixtures import NOW, Signals


def feed(signals: Signals, sensor: Sensor, values: list[float], *, end: datetime.datetime = NOW) -> None:
    """Readings of `sensor` for the len(values) hours before `end` (the last value is the hour before it)."""
    first = end - datetime.timedelta(hours=len(values))
    rows = [(i, sensor.code, first + datetime.timedelta(hours=i), value) for i, value in enumerate(values)]
    for start in range(0, len(rows), 2000):
        result = readings_ingest(source=signals.source, rows=rows[start:start + 2000])
        assert not result.errors


def finding(place, *, key: str = "anomaly:test", rule: str = "anomaly", sensor=None, severity: int = 2,
            title: str = "小区大门: more people than usual") -> Finding:
    return Finding(rule=rule, key=key, severity=severity, title=title, place=place, sensor=sensor,
                   began_at=clock.now() - datetime.timedelta(hours=2),
                   evidence={"kind": "hourly", "labels": ["05-06 10:00", "05-06 11:00"], "values": [900, 950],
                             "baseline": [400, 410], "low": [300, 310], "high": [500, 510],
                             "marked": ["05-06 10:00", "05-06 11:00"]})


@dataclass
class Warnings:
    s: Signals
    alert: Alert  # an open anomaly warning at the gate's estate (武林街道)
    far_alert: Alert  # one at 武林路社区 (天水街道)
    category: Category  # 预警事件


@pytest.fixture
def warnings(signals) -> Warnings:
    category_seed()
    alert, _created = alert_raise(finding=finding(signals.gate.place, key=f"anomaly:{signals.gate.pk}",
                                                  sensor=signals.gate))
    far_alert, _created = alert_raise(finding=finding(signals.far.place, key=f"crowding:{signals.far.pk}",
                                                      rule="crowding", sensor=signals.far, severity=3,
                                                      title="武林路口: 400 people an hour"))
    return Warnings(signals, alert, far_alert, Category.objects.get(code="early-warning"))
