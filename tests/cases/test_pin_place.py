"""The place under a map pin, by name: nested outlines walked down, the nearest building inside, and the report
form's endpoint that tells a reporter "浙工新村 3幢 附近 · 河东社区" instead of coordinates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonground.cases.geo import pin_label, pin_place
from commonground.core.models import Place, RoleKind

URL = reverse("cases:report-pin")


def square(west: float, south: float, east: float, north: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north],
                                                [west, south]]]}


@pytest.fixture
def outlined(located):
    """District ⊃ street ⊃ community ⊃ estate as nested squares; the building stands in the estate, the
    neighbour's estate (no outline) north of the community."""
    tree = located
    outlines = {
        tree.district.pk: square(120.10, 30.25, 120.20, 30.35), tree.street.pk: square(120.14, 30.27, 120.18, 30.30),
        tree.community.pk: square(120.155, 30.275, 120.165, 30.285), tree.estate.pk: square(120.157, 30.277, 120.163, 30.283),
    }
    for pk, outline in outlines.items():
        Place.objects.filter(pk=pk).update(outline=outline)
    tree.district.refresh_from_db()
    return tree


@pytest.mark.parametrize(("lat", "lng", "expected", "inside"), [
    (30.2805, 120.1605, "building", False),  # 60 m from the building
    (30.2775, 120.1575, "estate", True),  # in the estate's outline, 380 m from its building
    (30.2760, 120.1560, "community", True),  # in the community, outside its estate
    (30.2950, 120.1450, "street", True),  # in the street, outside its community, nothing near
    (30.2900, 120.1601, "neighbour_estate", False),  # no outline around, the nearest centroid
])
def test_pin_place__nested_outlines__the_smallest_area_or_a_near_building(outlined, lat, lng, expected, inside):
    found = pin_place(lat, lng, outlined.district)
    assert (found.place, found.inside) == (getattr(outlined, expected), inside)


def test_pin_label__near_a_building__estate_and_building_then_the_community(outlined):
    label = pin_label(pin_place(30.2805, 120.1605, outlined.district))
    assert outlined.estate.name in label["place"] and "1幢" in label["place"]
    assert label["area"] == outlined.community.name
    assert label["label"] == f"{label['place']} · {outlined.community.name}"


def test_pin_label__in_a_community__told_within_its_street(outlined):
    assert pin_label(pin_place(30.2760, 120.1560, outlined.district)) == {
        "place": outlined.community.name, "area": outlined.street.name,
        "label": f"{outlined.community.name} · {outlined.street.name}"}


# The endpoint


def test_report_pin__resident__the_place_by_name_and_nothing_else(client, outlined, people,
                                                                  django_assert_max_num_queries):
    client.force_login(people["resident"])
    with django_assert_max_num_queries(14):
        response = client.get(URL, {"lat": "30.280500", "lng": "120.160500"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"place", "area", "label"}
    assert outlined.estate.name in body["label"] and "30.28" not in body["label"]


def test_report_pin__a_spot_in_a_neighbours_estate__its_public_name(client, outlined, people):
    client.force_login(people["neighbour_resident"])
    response = client.get(URL, {"lat": "30.277500", "lng": "120.157500"})
    assert response.status_code == 200
    assert response.json()["place"] == outlined.estate.name


def test_report_pin__outside_the_district__a_clear_message(client, outlined, people):
    client.force_login(people["resident"])
    response = client.get(URL, {"lat": "30.400000", "lng": "120.160000"})
    assert response.status_code == 400
    assert response.json() == {"error": "该位置不在拱墅区范围内。"}


@pytest.mark.parametrize("query", [{}, {"lat": "30.28"}, {"lat": "abc", "lng": "120.16"}, {"lat": "91", "lng": "120"},
                                   {"lat": "NaN", "lng": "120.16"}])
def test_report_pin__incomplete_or_out_of_range__400_with_a_message(client, outlined, people, query):
    client.force_login(people["resident"])
    response = client.get(URL, query)
    assert response.status_code == 400
    assert response.json()["error"]


def test_report_pin__in_the_district_but_nothing_near__404_with_a_message(client, outlined, people):
    client.force_login(people["resident"])
    response = client.get(URL, {"lat": "30.340000", "lng": "120.110000"})  # in no street, 4 km from any place
    assert response.status_code == 404
    assert response.json()["error"]


def test_report_pin__district_without_outline__far_from_every_place__outside(client, located, people):
    client.force_login(people["resident"])
    response = client.get(URL, {"lat": "30.200000", "lng": "120.600000"})
    assert response.status_code == 400  # without an outline, "in the district" is "near one of its places"
    assert response.json()["error"]


def test_report_pin__who_may_ask(client, outlined, make_user):
    assert client.get(URL, {"lat": "30.2805", "lng": "120.1605"}).status_code == 302  # to the login page
    client.force_login(make_user())  # no role: may not report
    assert client.get(URL, {"lat": "30.2805", "lng": "120.1605"}).status_code == 403
    client.force_login(make_user(RoleKind.ENTERPRISE_CONTACT, outlined.building))
    assert client.get(URL, {"lat": "30.2805", "lng": "120.1605"}).status_code == 200
    assert client.post(URL, {"lat": "30.2805", "lng": "120.1605"}).status_code == 405
