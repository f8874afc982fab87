"""Case-engine fixtures: categories, located places, and the people who report and handle."""

from __future__ import annotations

import datetime
import zoneinfo
from contextlib import contextmanager
from decimal import Decimal

import pytest

from commonground.cases.models import Category, CategoryQuestion, Level, QuestionType, ReporterKind
from commonground.core import clock
from commonground.core.models import Place, RoleKind

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@contextmanager
def frozen(moment: datetime.datetime):
    """The one clock stands at `moment` for the services inside."""
    with clock.frozen_at(moment):
        yield


@pytest.fixture
def located(tree):
    """Centroids on the estates and buildings so pins can be resolved (about 1 km apart)."""
    coordinates = {
        tree.estate.pk: ("30.280000", "120.160000"), tree.building.pk: ("30.280100", "120.160100"),
        tree.neighbour_estate.pk: ("30.290000", "120.160000"),
    }
    for pk, (lat, lng) in coordinates.items():
        Place.objects.filter(pk=pk).update(latitude=Decimal(lat), longitude=Decimal(lng))
    tree.estate.refresh_from_db()
    tree.building.refresh_from_db()
    return tree


@pytest.fixture
def categories(db) -> dict[str, Category]:
    environment = Category.objects.create(code="environment", name="环境卫生", sla_hours=8)
    rubbish = Category.objects.create(
        code="exposed-rubbish", name="暴露垃圾", parent=environment, kind="component", sla_hours=4,
        default_level=Level.COMMUNITY, open_to=[ReporterKind.RESIDENT, ReporterKind.STAFF, ReporterKind.PUBLIC])
    lift = Category.objects.create(
        code="lift-broken", name="电梯故障", sla_hours=8, default_level=Level.BUILDING,
        open_to=[ReporterKind.RESIDENT, ReporterKind.STAFF])
    noise = Category.objects.create(
        code="noise-dispute", name="噪音纠纷", sla_hours=40, is_dispute=True, default_level=Level.COMMUNITY,
        open_to=[ReporterKind.RESIDENT, ReporterKind.STAFF])
    parking = Category.objects.create(
        code="enterprise-parking", name="企业停车", sla_hours=24, default_level=Level.COMMUNITY,
        open_to=[ReporterKind.ENTERPRISE, ReporterKind.STAFF])
    CategoryQuestion.objects.create(category=lift, key="lift_number", label="电梯编号", required=True)
    CategoryQuestion.objects.create(category=lift, key="people_trapped", label="是否有人被困",
                                    type=QuestionType.BOOLEAN, required=True, order=1)
    return {"rubbish": rubbish, "lift": lift, "noise": noise, "parking": parking}


@pytest.fixture
def people(tree, make_user):
    """A resident (owner in the first estate), the workers around them, and a neighbour's worker."""
    return {
        "resident": make_user(RoleKind.RESIDENT, tree.estate, person=tree.owner),
        "neighbour_resident": make_user(RoleKind.RESIDENT, tree.neighbour_estate, person=tree.neighbour_owner),
        "grid": make_user(RoleKind.GRID_WORKER, tree.community),
        "worker": make_user(RoleKind.COMMUNITY_WORKER, tree.community),
        "checker": make_user(RoleKind.COMMUNITY_WORKER, tree.community),
        "neighbour_worker": make_user(RoleKind.COMMUNITY_WORKER, tree.neighbour),
        "commissioner": make_user(RoleKind.BUILDING_COMMISSIONER, tree.building),
        "street": make_user(RoleKind.STREET_STAFF, tree.street),
        "district": make_user(RoleKind.DISTRICT_ADMIN, tree.district),
    }
