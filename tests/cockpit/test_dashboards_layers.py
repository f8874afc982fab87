"""The map's GeoJSON layers: what each shows under a place, scoping (another street's staff: 404 for the street,
nothing of it in any layer), the density grid computed in SQL, a fixed query count, and the map page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.core.models import Place

from .dashboards_fixtures import alert_at, report

LAYERS = ["areas", "offices", "cases", "density", "warnings", "sensors"]


def features(client, layer: str, place: str = "") -> dict:
    response = client.get(f"/api/cockpit/layers/{layer}" + (f"?place={place}" if place else ""))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return response.json()


def test_cases_layer__street__open_cases_as_points_linking_to_them(dash, client):
    client.force_login(dash.signals.staff)
    collection = features(client, "cases")
    assert collection["place"] == dash.signals.tree.street.code
    assert sorted(f["properties"]["number"] for f in collection["features"]) == sorted(c.number for c in dash.cases)
    first = collection["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [120.1601, 30.2801]}
    assert first["properties"]["url"] == f"/cases/{first['properties']['number']}/"
    assert collection["truncated"] is False


def test_density_layer__two_cases_in_one_square__counted_together(dash, client):
    client.force_login(dash.signals.staff)
    collection = features(client, "density")
    assert [(f["geometry"]["coordinates"], f["properties"]["count"]) for f in collection["features"]] == [
        ([120.16, 30.28], 2)]


def test_sensors_layer__street__its_sensors_at_their_places(dash, client):
    client.force_login(dash.signals.staff)
    codes = {f["properties"]["code"] for f in features(client, "sensors")["features"]}
    assert codes == {"G-1", "S-1"}  # B-1's office has no coordinates: left off the map


def test_offices_layer__business_community__its_office_buildings(dash, client):
    Place.objects.filter(pk=dash.business.office.pk).update(latitude="30.281000", longitude="120.161000")
    client.force_login(dash.signals.staff)
    names = [f["properties"]["name"] for f in features(client, "offices", dash.business.community.code)["features"]]
    assert names == ["武林大厦"]


def test_areas_layer__estate_outline__drawn_with_its_link(dash, client):
    outline = {"type": "Polygon", "coordinates": [[[120.1, 30.2], [120.2, 30.2], [120.2, 30.3], [120.1, 30.2]]]}
    Place.objects.filter(pk=dash.signals.tree.estate.pk).update(outline=outline)
    client.force_login(dash.signals.staff)
    collection = features(client, "areas")
    assert [(f["properties"]["code"], f["geometry"]) for f in collection["features"]] == [
        (dash.signals.tree.estate.code, outline)]
    assert collection["features"][0]["properties"]["url"] == f"/places/{dash.signals.tree.estate.code}/"


def test_warnings_layer__street__its_open_warning_at_the_sensor_or_place(dash, client):
    client.force_login(dash.signals.staff)
    collection = features(client, "warnings")
    assert [f["properties"]["name"] for f in collection["features"]] == [dash.alert.title]
    assert collection["features"][0]["geometry"]["coordinates"] == [120.16, 30.28]  # the estate (gate: no pin)


@pytest.mark.parametrize("layer", LAYERS)
def test_layers__other_streets_staff__nothing_of_the_street(dash, client, layer):
    client.force_login(dash.signals.far_staff)
    assert client.get(f"/api/cockpit/layers/{layer}?place={dash.signals.tree.street.code}").status_code == 404
    text = str(features(client, layer))
    for secret in [c.number for c in dash.cases] + ["G-1", "S-1", dash.alert.title, dash.signals.tree.estate.code]:
        assert secret not in text


def test_layers__far_staff__sees_their_own(dash, client):
    client.force_login(dash.signals.far_staff)
    assert [f["properties"]["number"] for f in features(client, "cases")["features"]] == [dash.far_case.number]
    assert [f["properties"]["code"] for f in features(client, "sensors")["features"]] == ["F-1"]


def test_layer__unknown_layer__rejected_before_any_read(dash, client):
    client.force_login(dash.signals.staff)
    assert client.get("/api/cockpit/layers/everything").status_code == 422


def test_layer__anonymous__refused(dash, client):
    assert client.get("/api/cockpit/layers/cases").status_code in (401, 403)


@pytest.mark.parametrize("layer", LAYERS)
def test_layers__one_and_many_rows__same_number_of_queries(dash, client, layer):
    client.force_login(dash.signals.staff)
    features(client, layer)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            features(client, layer)
        return len(context.captured_queries)

    before = count()
    report(dash.signals.worker, dash.category, dash.signals.tree.estate, 3)
    alert_at(dash.signals.tree.community, "crowding:square")
    assert count() == before


def test_map_page__street_staff__layers_and_basemap_settings(dash, client, settings):
    settings.CG_BASEMAP_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    client.force_login(dash.signals.staff)
    response = client.get("/cockpit/map/")
    assert response.status_code == 200
    data = response.context["map"]
    assert data["place"] == dash.signals.tree.street.code
    assert data["centre"] == (30.285, 120.155)
    assert data["basemap"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert data["layers"] == "/api/cockpit/layers/LAYER"
    assert 'data-layer="cases"' in response.content.decode()


def test_map_page__other_streets_place__404(dash, client):
    client.force_login(dash.signals.far_staff)
    assert client.get(f"/cockpit/map/?place={dash.signals.tree.street.code}").status_code == 404
