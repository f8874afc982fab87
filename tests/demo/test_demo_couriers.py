"""The programmes' couriers at 吴家墩新人公寓: over 800 couriers and family members, declarations (a few withdrawn),
the home's zones (500 m²), the council with over 70 solved items, and the `courier` login with a child of 8–10."""

from __future__ import annotations

import datetime

import pytest

from commonground.core.models import (
    HouseholdMember,
    Place,
    PlaceKind,
    Relation,
    RoleAssignment,
    RoleKind,
    User,
)
from commonground.core.reporting import build_report
from commonground.programs.audience import age_on, is_new_employment_family
from commonground.programs.groups_selectors import council_of, homes
from commonground.programs.models import EmploymentDeclaration, FacilityZone
from commonground.programs.services.groups import current_members

END = datetime.date(2023, 8, 31)

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(demo_built):
    return demo_built[0]


def test_demo_couriers__report_figures_over_the_seed(demo, db):
    street = Place.objects.get(name="康桥街道")
    section = build_report(scope=street, start=datetime.date(2023, 1, 1), end=END)["programs"]

    assert section["couriers_residents"] > 800
    assert section["courier_council_matters_solved"] > 70
    assert section["couriers_home_area_m2"] == 500


def test_demo_couriers__declarations_zones_council(demo, db):
    home = homes().get()
    declarations = EmploymentDeclaration.objects.all()
    children = [m.person.birth_date for m in HouseholdMember.objects.filter(
        relation=Relation.CHILD, household__flat__path__startswith=home.parent.path).select_related("person")]

    assert declarations.filter(revoked_at__isnull=True).count() > 250
    assert 3 <= declarations.filter(revoked_at__isnull=False).count() <= 10
    assert {p for p in declarations.values_list("platform", flat=True)} >= {"顺丰", "中通", "圆通", "美团", "饿了么", "滴滴"}
    assert sum(1 for born in children if 6 <= age_on(born, datetime.date(2023, 7, 10)) <= 12) > 60
    assert sorted((z.name, z.area_m2) for z in FacilityZone.objects.filter(facility=home)) == [
        ("先锋议事区", 150), ("服务区", 150), ("活动充电区", 200)]
    assert home.kind == PlaceKind.FACILITY
    council = council_of(home)
    assert council.name == "吴家墩小哥治家会"
    assert current_members(council).count() >= 7


def test_demo_couriers__courier_login__declared_with_a_child_of_8_to_10(demo, db, client):
    user = User.objects.get(username="courier")
    household = user.person.household_memberships.get().household
    children = [m.person for m in household.memberships.filter(relation=Relation.CHILD)]

    assert EmploymentDeclaration.objects.get(person=user.person, revoked_at__isnull=True).platform == "顺丰"
    assert any(8 <= age_on(child.birth_date, datetime.date(2023, 7, 10)) <= 10 for child in children)
    assert is_new_employment_family(children[0])
    assert client.post("/login/", {"username": "courier", "password": "demo-courier-2023"}).status_code == 302
    home = homes().get()
    assert client.get("/programs/couriers/")["Location"] == f"/programs/couriers/homes/{home.pk}/"
    assert client.get(f"/programs/couriers/homes/{home.pk}/").status_code == 200
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.scope.name) == (RoleKind.RESIDENT, "吴家墩新人公寓")
