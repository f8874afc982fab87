"""A foot-traffic source with three sensors in two streets, and the people around them.

    武林街道 (tree.street)
      竹竿巷社区 (tree.community)      gate (at the estate, capacity 500), square (at the community)
    天水街道 (tree.other_street)
      武林路社区 (tree.far_community)  far (capacity 300)

The clock stands at NOW (2024-05-06 12:00 Shanghai); readings are for the hours before it.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

import pytest

from commonground.cockpit.models import Sensor, SignalKind, SignalSource
from commonground.cockpit.services.signals import sensor_create, source_create
from commonground.core.models import RoleKind, User
from tests.conftest import Tree, start_clock_on

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2024, 5, 6)
NOW = datetime.datetime(2024, 5, 6, 12, 0, tzinfo=TZ)


def hour(day: int, h: int) -> datetime.datetime:
    """May `day`, 2024, at `h`:00 in Shanghai."""
    return datetime.datetime(2024, 5, day, h, tzinfo=TZ)


@dataclass
class Signals:
    tree: Tree
    admin: User  # district administrator: sources and keys
    staff: User  # street staff of tree.street
    far_staff: User
    worker: User  # community worker of tree.community
    source: SignalSource
    key: str
    gate: Sensor
    square: Sensor
    far: Sensor


@pytest.fixture
def signals(tree, make_user) -> Signals:
    start_clock_on(TODAY, 12)
    admin = make_user(RoleKind.DISTRICT_ADMIN, tree.district)
    staff = make_user(RoleKind.STREET_STAFF, tree.street)
    far_staff = make_user(RoleKind.STREET_STAFF, tree.other_street)
    worker = make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    source, key = source_create(actor=admin, name="客流计数", kind=SignalKind.FOOT_TRAFFIC)
    gate = sensor_create(actor=staff, source=source, code="G-1", name="小区大门", place=tree.estate, capacity=500)
    square = sensor_create(actor=staff, source=source, code="S-1", name="社区广场", place=tree.community)
    far = sensor_create(actor=far_staff, source=source, code="F-1", name="武林路口", place=tree.far_community,
                        capacity=300)
    return Signals(tree, admin, staff, far_staff, worker, source, key, gate, square, far)
