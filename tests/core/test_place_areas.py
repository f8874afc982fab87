"""The areas drawn under every map (GeoJSON): what the user may view, the areas above their own places for
orientation, nothing of another scope; `within` a place the user may not view answers 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonground.core.models import Place, RoleKind

URL = reverse("core:place-areas")


def square(west: float, south: float, size: float = 0.01) -> dict:
    return {"type": "Polygon", "coordinates": [[[west, south], [west + size, south], [west + size, south + size],
                                                [west, south + size], [west, south]]]}


@pytest.fixture
def outlined(tree):
    places = [tree.street, tree.other_street, tree.community, tree.neighbour, tree.far_community, tree.estate,
              tree.neighbour_estate]
    for i, place in enumerate(places):
        Place.objects.filter(pk=place.pk).update(outline=square(120.10 + i * 0.01, 30.30))
    return tree


def codes(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return [feature["properties"]["code"] for feature in response.json()["features"]]


def test_place_areas__community_worker__their_areas_and_the_street_above(client, outlined, role_users):
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    assert codes(client.get(URL)) == [outlined.street.code, outlined.community.code, outlined.estate.code]


def test_place_areas__resident__their_estate_and_the_areas_above_it(client, outlined, role_users):
    client.force_login(role_users[RoleKind.RESIDENT])
    response = client.get(URL)
    assert codes(response) == [outlined.street.code, outlined.community.code, outlined.estate.code]
    feature = response.json()["features"][-1]
    assert feature["geometry"]["type"] == "Polygon"
    assert feature["properties"] == {"code": outlined.estate.code, "name": outlined.estate.name, "kind": "estate",
                                     "depth": outlined.estate.depth}


def test_place_areas__district_admin__every_area_largest_first(client, outlined, role_users,
                                                               django_assert_max_num_queries):
    client.force_login(role_users[RoleKind.DISTRICT_ADMIN])
    with django_assert_max_num_queries(6):
        found = codes(client.get(URL))
    assert len(found) == 7 and found[:2] == [outlined.street.code, outlined.other_street.code]


def test_place_areas__within_a_place__its_subtree_only(client, outlined, role_users):
    client.force_login(role_users[RoleKind.STREET_STAFF])
    assert codes(client.get(URL, {"within": outlined.community.code})) == [outlined.community.code,
                                                                          outlined.estate.code]


def test_place_areas__within_a_place_not_viewable__404(client, outlined, role_users):
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    assert client.get(URL, {"within": outlined.neighbour.code}).status_code == 404
    assert client.get(URL, {"within": "no-such-place"}).status_code == 404


def test_place_areas__logged_out__to_the_login_page(client, outlined):
    assert client.get(URL).status_code == 302
