"""The dashboards' world: the `signals` fixture's sensors and people plus the business fixture's business
communities, a sensor in 武林商务社区 with readings today and on the three Mondays before, an office ledger, cases
and open warnings on both streets. The clock stands at 2024-05-06 12:00 (a Monday).

    武林街道 (tree.street)
      竹竿巷社区 (tree.community)      gate G-1 (estate; 120 people 08:00–11:00 today), square S-1
        estate: 2 open cases at the building (pins), an open warning
      武林商务社区 (business.community) B-1 at 武林大厦: 300 today 10:00; 100, 200, 300 on the Mondays before
        武林大厦 ledger: 20,000 m², 5,000 vacant; firms 星河, 云帆, 远航 (none new in 30 days)
    天水街道 (tree.other_street)
      武林路社区 (tree.far_community)  F-1, an open case, an open warning
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from commonground.business.services.ledgers import building_ledger_set
from commonground.cases.models import Case, Category, Level, ReporterKind
from commonground.cases.services.intake import case_report
from commonground.cockpit.models import Alert, Sensor, Severity, WarningRule
from commonground.cockpit.services.signals import readings_ingest, sensor_create
from commonground.core.models import Place, RoleKind, User
from commonground.core.models.places import scope_columns
from tests.business import business_fixtures
from tests.business.business_fixtures import Business

from .signals_fixtures import Signals, hour

LOCATIONS = {"estate": ("30.280000", "120.160000"), "building": ("30.280100", "120.160100"),
             "far_community": ("30.300000", "120.150000"), "street": ("30.285000", "120.155000")}


business = business_fixtures.business  # the business tests' fixture, offered to the cockpit's tests


@dataclass
class Dash:
    signals: Signals
    business: Business
    category: Category
    office_sensor: Sensor
    cases: list[Case]
    far_case: Case
    alert: Alert
    far_alert: Alert
    district: User


def alert_at(place: Place, key: str, severity: int = Severity.WARNING, sensor: Sensor | None = None) -> Alert:
    """An open warning, written as the warnings engine writes one (that part's service is not there yet)."""
    moment = hour(6, 9)
    return Alert.objects.create(rule=WarningRule.CROWDING, key=key, severity=severity, title=f"{place.name}人流过密",
                                place=place, sensor=sensor, began_at=moment, last_seen_at=moment,
                                **scope_columns(Alert, place.path))


def report(actor: User, category: Category, place: Place, n: int = 1) -> list[Case]:
    return [case_report(actor=actor, category=category, place=place, description="门口堆放杂物",
                        latitude=place.latitude, longitude=place.longitude) for _ in range(n)]


@pytest.fixture
def dash(signals, business, make_user) -> Dash:
    tree = signals.tree
    for name, (lat, lng) in LOCATIONS.items():
        Place.objects.filter(pk=getattr(tree, name).pk).update(latitude=Decimal(lat), longitude=Decimal(lng))
        getattr(tree, name).refresh_from_db()
    office_sensor = sensor_create(actor=signals.staff, source=signals.source, code="B-1", name="武林大厦大堂",
                                  place=business.office)
    rows = [(1, "G-1", hour(6, h), 30) for h in range(8, 12)]
    rows += [(2, "B-1", hour(6, 10), 300)]
    for weeks, value in ((1, 100), (2, 200), (3, 300)):
        rows.append((3, "B-1", hour(6, 10) - datetime.timedelta(weeks=weeks), value))
        rows.append((4, "G-1", hour(6, 9) - datetime.timedelta(weeks=weeks), 10 * weeks))
    rows.append((5, "F-1", hour(6, 9), 77))
    result = readings_ingest(source=signals.source, rows=rows)
    assert not result.errors
    building_ledger_set(actor=business.staff, building=business.office, vacant_area_m2=Decimal("5000"))
    category = Category.objects.create(code="exposed-rubbish", name="暴露垃圾", sla_hours=4,
                                       default_level=Level.COMMUNITY,
                                       open_to=[ReporterKind.RESIDENT, ReporterKind.STAFF, ReporterKind.PUBLIC])
    cases = report(signals.worker, category, tree.building, 2)
    far_worker = make_user(RoleKind.COMMUNITY_WORKER, tree.far_community)
    far_case = report(far_worker, category, tree.far_community)[0]
    alert = alert_at(tree.estate, "crowding:estate", sensor=signals.gate)
    far_alert = alert_at(tree.far_community, "crowding:far", Severity.SERIOUS)
    district = make_user(RoleKind.DISTRICT_ADMIN, tree.district)
    return Dash(signals, business, category, office_sensor, cases, far_case, alert, far_alert, district)
