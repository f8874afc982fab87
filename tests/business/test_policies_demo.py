"""The policies demo step on the small business fixture: the twenty articles published, notices, applications
through the services, and the demo login as the contact of a firm with two demands."""

from __future__ import annotations

import datetime
import random
from types import SimpleNamespace

import pytest

from commonground.business.demo import policies as demo
from commonground.business.models import EnterpriseDemand, Policy, PolicyApplication
from commonground.cases.services.categories import category_seed
from commonground.core.models import RoleKind
from tests.conftest import start_clock_on

pytestmark = pytest.mark.django_db


def test_build__small_district__twenty_articles_and_the_demo_contact(business, make_user):
    category_seed()
    start_clock_on(datetime.date(2023, 8, 31))
    admin = make_user(RoleKind.DISTRICT_ADMIN, business.tree.district)
    admin.username = "district"
    admin.save()
    login = make_user(RoleKind.ENTERPRISE_CONTACT, business.office)
    login.username = "enterprise"
    login.save()
    counts: dict[str, int] = {}
    ctx = SimpleNamespace(district=business.tree.district, business_communities={"新天地商务社区": business.community},
                          office_buildings=[business.office], rng=lambda step: random.Random(step),
                          add_count=lambda name, n: counts.__setitem__(name, counts.get(name, 0) + n))
    demo.build(ctx)
    assert Policy.objects.count() == 20
    assert sorted(set(Policy.objects.values_list("dimension", flat=True))) == [
        "city", "economy", "governance", "livelihood", "party"]
    assert counts["policy applications"] == PolicyApplication.objects.count() > 0
    assert EnterpriseDemand.objects.filter(case__reporter=login).count() == 2
