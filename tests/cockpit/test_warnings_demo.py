"""The cockpit's demo step on the small tree: sensors, readings through the ingest (roll-ups agree), the ground
truth kept, warnings raised at their own time, a few acknowledged and one turned into a case."""

from __future__ import annotations

import datetime
import random
from types import SimpleNamespace

import pytest
from django.db.models import Count

from commonground.cases.services.categories import category_seed
from commonground.cockpit.demo.signals import SETTING_KEY, build
from commonground.cockpit.models import Alert, Reading, Sensor, SignalSource, WarningState
from commonground.cockpit.services.signals import rollups_compare
from commonground.core.models import Setting, User

from .signals_fixtures import NOW

pytestmark = pytest.mark.django_db


def test_demo_build__small_tree__sensors_readings_truth_and_warnings(tree, make_user):
    from commonground.core.models import RoleKind

    category_seed()
    User.objects.create(username="demo-admin", is_superuser=True, is_active=True)
    make_user(RoleKind.STREET_STAFF, tree.street)
    counts: dict[str, int] = {}
    ctx = SimpleNamespace(
        seed=7, business_communities={"新天地商务社区": tree.community, "武林路商务社区": tree.far_community},
        office_buildings=[tree.building], streets={"武林": tree.street, "天水": tree.other_street},
        rng=lambda step: random.Random(f"7:{step}"),
        add_count=lambda name, n: counts.__setitem__(name, counts.get(name, 0) + n))
    build(ctx, days=70, feed_days=14, now=NOW)

    assert SignalSource.objects.count() == 6
    codes = set(Sensor.objects.values_list("code", flat=True))
    assert {"KL-01-1", "KL-01-2", "KL-01-3", "KL-01-4", "DT-01", "XF-01", "JQ-01", "ZF-02", "JT-02"} <= codes
    per_sensor = dict(Reading.objects.values_list("sensor__code").annotate(n=Count("pk")).order_by())
    assert per_sensor["KL-01-1"] == 70 * 24 and per_sensor["JQ-01"] == 14 * 24
    assert rollups_compare() == {"sensorday": 0, "unithour": 0, "unitday": 0}
    truth = Setting.objects.get(key=SETTING_KEY).value
    assert truth and {"sensor", "kind", "start", "hours", "factor"} == set(truth[0])
    assert counts["injected anomalies"] == len(truth)
    alerts = Alert.objects.filter(rule="anomaly")
    assert alerts.exists()
    assert all(a.began_at <= a.last_seen_at <= NOW + datetime.timedelta(hours=1) for a in alerts)
    assert Alert.objects.filter(state=WarningState.ACKNOWLEDGED).count() <= 3
    if Alert.objects.filter(state__in=["open", "acknowledged", "assigned", "case"]).count() > 3:
        assert Alert.objects.filter(state=WarningState.CASE, case__isnull=False).count() == 1
