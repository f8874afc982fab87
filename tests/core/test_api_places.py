from __future__ import annotations

from commonground.core.models import RoleKind


def test_api_places__anonymous__401(client, tree):
    assert client.get("/api/places").status_code == 401


def test_api_places__community_worker__own_subtree_only(client, tree, role_users):
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    response = client.get("/api/places")
    assert response.status_code == 200
    codes = [row["code"] for row in response.json()["items"]]
    assert codes[0] == tree.community.code
    assert (len(codes), response.json()["count"]) == (5, 5)
    assert tree.neighbour.code not in codes
    flats = client.get("/api/places", {"kind": "flat"}).json()["items"]
    assert [row["code"] for row in flats] == [tree.flat.code]
    assert flats[0]["parent_code"] == tree.corridor.code


def test_api_place_detail__outside_scope__404(client, tree, role_users):
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    assert client.get(f"/api/places/{tree.estate.code}").status_code == 200
    assert client.get(f"/api/places/{tree.neighbour.code}").status_code == 404
    assert client.get("/api/places", {"within": tree.neighbour.code}).status_code == 404


def test_api_openapi__served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/places" in response.json()["paths"]


def test_api_places__page_size_outside_1_to_200__422(client, tree, role_users):
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    for size in ("0", "201", "10000000000000000000000"):
        response = client.get("/api/places", {"page_size": size})
        assert (response.status_code, list(response.json()["detail"])) == (422, ["page_size"]), size
    second = client.get("/api/places", {"page": "2", "page_size": "2"}).json()
    assert (len(second["items"]), second["count"]) == (2, 5)


def test_api_place_detail__control_character_in_code__422(client, tree, role_users):
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    response = client.get("/api/places/330105001001%00")
    assert (response.status_code, list(response.json()["detail"])) == (422, ["code"])
