"""The report's new employment keys: couriers and their households in scope at the period's end, the council's
matters solved up to the period's end, and the floor area of the couriers' homes (facilities with a council)."""

from __future__ import annotations

import datetime

from commonground.cases.models import Case, Stage
from commonground.core import clock
from commonground.core.models import PlaceKind
from commonground.core.reporting import build_report, report_summary
from commonground.core.services.places import place_create
from commonground.programs.services.groups import council_item_file, declaration_revoke

from .activity_fixtures import TODAY, at
from .groups_fixtures import declare

KEYS = ("couriers_residents", "courier_council_matters_solved", "couriers_home_area_m2")


def figures(scope, end=TODAY) -> dict:
    section = build_report(scope=scope, start=datetime.date(end.year, 1, 1), end=end)["programs"]
    return {key: section[key] for key in KEYS}


def test_report__declared_courier__household_counted_in_scope_only(couriers):
    with clock.frozen_at(at(TODAY, 9)):
        declare(couriers.courier, couriers.tree.estate)

    assert figures(couriers.tree.district) == {"couriers_residents": 2, "courier_council_matters_solved": 0,
                                               "couriers_home_area_m2": 500}
    assert figures(couriers.tree.estate)["couriers_residents"] == 2  # 张三 and his child
    assert figures(couriers.tree.neighbour_estate)["couriers_residents"] == 0
    assert figures(couriers.tree.far_community) == {"couriers_residents": 0, "courier_council_matters_solved": 0,
                                                    "couriers_home_area_m2": 0}


def test_report__declared_after_the_period__not_counted(couriers):
    with clock.frozen_at(at(TODAY, 9)):
        declare(couriers.courier, couriers.tree.estate)

    assert figures(couriers.tree.district, end=TODAY - datetime.timedelta(days=1))["couriers_residents"] == 0


def test_report__withdrawn__no_longer_counted_but_counted_before(couriers):
    with clock.frozen_at(at(TODAY - datetime.timedelta(days=10))):
        item = declare(couriers.courier, couriers.tree.estate)
    with clock.frozen_at(at(TODAY - datetime.timedelta(days=2))):
        declaration_revoke(actor=couriers.courier, declaration=item)

    assert figures(couriers.tree.district)["couriers_residents"] == 0
    assert figures(couriers.tree.district, end=TODAY - datetime.timedelta(days=5))["couriers_residents"] == 2


def test_report__council_items__solved_ones_counted_to_the_period_end(couriers):
    cases = [council_item_file(actor=couriers.worker, council=couriers.council, description=f"议事事项第{i}项内容")
             for i in range(3)]
    Case.objects.filter(pk=cases[0].pk).update(stage=Stage.CLOSED, closed_at=at(TODAY, 15))
    Case.objects.filter(pk=cases[1].pk).update(stage=Stage.EVALUATED, closed_at=at(TODAY + datetime.timedelta(days=3)))

    assert figures(couriers.tree.district)["courier_council_matters_solved"] == 1
    assert figures(couriers.tree.community)["courier_council_matters_solved"] == 1
    assert figures(couriers.tree.district, end=TODAY + datetime.timedelta(days=5))[
        "courier_council_matters_solved"] == 2
    assert figures(couriers.tree.neighbour)["courier_council_matters_solved"] == 0


def test_report__facility_without_council__no_home_area(couriers):
    place_create(code=f"{couriers.tree.neighbour.code}-F01", name="龙游活动中心", kind=PlaceKind.FACILITY,
                 parent=couriers.tree.neighbour, floor_area_m2=300)

    assert figures(couriers.tree.district)["couriers_home_area_m2"] == 500
    assert figures(couriers.tree.neighbour)["couriers_home_area_m2"] == 0


def test_report__summary__states_the_figures(couriers):
    with clock.frozen_at(at(TODAY, 9)):
        declare(couriers.courier, couriers.tree.estate)
    section = build_report(scope=couriers.tree.district, start=datetime.date(2024, 1, 1), end=TODAY)["programs"]

    assert any("2 couriers, riders, drivers and their family members" in line and "500 m²" in line
               for line in report_summary("programs", section))
