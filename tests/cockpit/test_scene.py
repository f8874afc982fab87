"""The 3D view: buildings with a footprint under a place, extruded by their floors and coloured by open cases,
occupancy or the vitality index; scoping (another street's staff: 404, nothing of the street), a fixed number of
queries, and the page with its table of the highest."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.cockpit.models import VitalityDay
from commonground.cockpit.services.vitality import vitality_compute
from commonground.core.models import Place

from .dashboards_fixtures import report
from .test_vitality_index import TODAY

SQUARE = {"type": "Polygon", "coordinates": [[[120.16, 30.28], [120.1605, 30.28], [120.1605, 30.2804],
                                              [120.16, 30.2804], [120.16, 30.28]]]}


def shaped(place: Place, floors: int | None) -> None:
    Place.objects.filter(pk=place.pk).update(outline=SQUARE, floors=floors)


@pytest.fixture
def scene_world(dash):
    shaped(dash.signals.tree.building, 6)
    shaped(dash.business.office, 30)
    return dash


def buildings(client, metric: str = "", place: str = "") -> dict:
    query = "&".join(part for part in (f"metric={metric}" if metric else "", f"place={place}" if place else "") if part)
    response = client.get("/api/cockpit/scene" + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return {f["properties"]["code"]: f["properties"] for f in response.json()["features"]}


def test_scene__open_cases__per_building_with_height_from_floors(scene_world, client):
    client.force_login(scene_world.signals.staff)
    found = buildings(client)
    building, office = scene_world.signals.tree.building, scene_world.business.office
    assert set(found) == {building.code, office.code}  # the other buildings have no footprint
    assert (found[building.code]["value"], found[building.code]["height_m"], found[building.code]["floors"]) == (
        2, 18.0, 6)
    assert (found[office.code]["value"], found[office.code]["height_m"]) == (0, 90.0)
    assert found[building.code]["url"] == f"/places/{building.code}/"


def test_scene__without_floors__no_height(scene_world, client):
    shaped(scene_world.signals.tree.building, None)
    client.force_login(scene_world.signals.staff)
    assert buildings(client)[scene_world.signals.tree.building.code]["height_m"] is None


def test_scene__occupancy__office_from_its_ledger_homes_without(scene_world, client):
    client.force_login(scene_world.signals.staff)
    found = buildings(client, "occupancy")
    assert found[scene_world.business.office.code]["value"] == 75.0  # (20,000 − 5,000) ÷ 20,000
    assert found[scene_world.signals.tree.building.code]["value"] is None


def test_scene__vitality__office_its_business_community_home_its_street(scene_world, client):
    vitality_compute(first=TODAY)
    index = dict(VitalityDay.objects.filter(day=TODAY).values_list("unit_path", "index"))
    client.force_login(scene_world.signals.staff)
    found = buildings(client, "vitality")
    assert found[scene_world.business.office.code]["value"] == float(index[scene_world.business.community.path])
    assert found[scene_world.signals.tree.building.code]["value"] == float(index[scene_world.signals.tree.street.path])


def test_scene__vitality__community_worker__not_the_streets_index(scene_world, client):
    vitality_compute(first=TODAY)
    client.force_login(scene_world.signals.worker)  # the community's worker: no cockpit of the street
    found = buildings(client, "vitality")
    assert found[scene_world.signals.tree.building.code]["value"] is None


def test_scene__other_streets_staff__404_and_nothing_of_the_street(scene_world, client):
    client.force_login(scene_world.signals.far_staff)
    street = scene_world.signals.tree.street.code
    assert client.get(f"/api/cockpit/scene?place={street}").status_code == 404
    assert client.get(f"/cockpit/3d/?place={street}").status_code == 404
    for metric in ("open_cases", "occupancy", "vitality"):
        assert not set(buildings(client, metric)) & {scene_world.signals.tree.building.code,
                                                     scene_world.business.office.code}


def test_scene__unknown_metric__rejected(scene_world, client):
    client.force_login(scene_world.signals.staff)
    assert client.get("/api/cockpit/scene?metric=everything").status_code == 422


@pytest.mark.parametrize("metric", ["open_cases", "occupancy", "vitality"])
def test_scene__more_cases_and_buildings__same_number_of_queries(scene_world, client, metric):
    vitality_compute(first=TODAY)
    client.force_login(scene_world.signals.staff)
    buildings(client, metric)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            buildings(client, metric)
        return len(context.captured_queries)

    before = count()
    shaped(scene_world.signals.tree.estate, 3)  # an estate is no building: still not drawn
    shaped(scene_world.business.other_office, 20)
    report(scene_world.signals.worker, scene_world.category, scene_world.signals.tree.building, 3)
    assert count() == before


def test_scene_page__street_staff__table_of_the_highest_and_the_data(scene_world, client):
    client.force_login(scene_world.signals.staff)
    response = client.get("/cockpit/3d/?metric=bogus")
    assert response.status_code == 200
    assert response.context["metric"] == "open_cases"
    # the office has no open case: only buildings with a figure above 0 are "highest"
    assert [row["code"] for row in response.context["highest"]] == [scene_world.signals.tree.building.code]
    page = response.content.decode()
    assert 'id="cockpit-scene-data"' in page and "echarts-gl.min.js" in page
    assert scene_world.signals.tree.building.name in page
