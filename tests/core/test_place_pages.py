from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.core.models import OrganisationKind, PlaceKind, Relation, RoleKind
from commonground.core.services.organisations import organisation_create, organisation_member_add
from commonground.core.services.people import household_create, person_create
from commonground.core.services.places import place_create, place_update


def detail_url(place) -> str:
    return reverse("core:place-detail", args=[place.code])


def listed_codes(response) -> list[str]:
    return [place.code for place in response.context["page"].object_list]


def add_buildings(estate, n: int, start: int = 0) -> None:
    """n buildings under `estate`, each with a flat holding a household of two."""
    for i in range(start, start + n):
        building = place_create(code=f"{estate.code}-X{i}", name=f"{i}幢", kind=PlaceKind.BUILDING, parent=estate,
                                latitude=Decimal("30.301"), longitude=Decimal("120.151"))
        flat = place_create(code=f"{estate.code}-X{i}-101", name="101室", kind=PlaceKind.FLAT, parent=building)
        household_create(flat=flat, head=person_create(name=f"户主{i}"),
                         members=[(person_create(name=f"家属{i}"), Relation.SPOUSE)])


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# --- list -------------------------------------------------------------------------------------

def test_place_list__anonymous__redirected_to_login(client, tree):
    response = client.get(reverse("core:place-list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_place_list__community_worker__own_subtree_only(client, tree, role_users):
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    response = client.get(reverse("core:place-list"))
    assert response.status_code == 200
    assert listed_codes(response) == [
        "330105001001", "330105001001-E1", "330105001001-E1-B1", "330105001001-E1-B1-U1", "330105001001-E1-B1-U1-101",
    ]
    assert tree.neighbour.name not in response.content.decode()


def test_place_list__kind_and_search__filter_in_sql(client, tree, role_users):
    client.force_login(role_users[RoleKind.STREET_STAFF])
    response = client.get(reverse("core:place-list"), {"kind": PlaceKind.COMMUNITY})
    assert listed_codes(response) == [tree.community.code, tree.neighbour.code]
    response = client.get(reverse("core:place-list"), {"q": "龙游"})
    assert listed_codes(response) == [tree.neighbour.code, tree.neighbour_estate.code]
    response = client.get(reverse("core:place-list"), {"q": "330105001001-E1-B1"})
    assert listed_codes(response) == ["330105001001-E1-B1", "330105001001-E1-B1-U1", "330105001001-E1-B1-U1-101"]
    response = client.get(reverse("core:place-list"), {"q": "天水"})
    assert listed_codes(response) == []


def test_place_list__htmx__returns_results_fragment(client, tree, role_users):
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    response = client.get(reverse("core:place-list"), {"q": "竹竿巷"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert tree.community.name in html


def test_place_list__paginated(client, tree, role_users):
    for i in range(55):
        place_create(code=f"F-{i:02d}", name=f"{i}号楼", kind=PlaceKind.BUILDING, parent=tree.estate)
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    first = client.get(reverse("core:place-list"))
    assert first.context["page"].paginator.count == 60
    assert len(first.context["page"].object_list) == 50
    second = client.get(reverse("core:place-list"), {"page": 2})
    assert len(second.context["page"].object_list) == 10


def test_place_list__query_count__same_for_2_and_10_rows(client, tree, role_users, django_assert_max_num_queries):
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    add_buildings(tree.estate, 2)
    small = queries_for(client, reverse("core:place-list"))
    add_buildings(tree.estate, 8, start=2)
    with django_assert_max_num_queries(small):
        client.get(reverse("core:place-list"))
    assert small <= 7  # 6, plus the header's notification bell


# --- detail -----------------------------------------------------------------------------------

def test_place_detail__community_worker__own_community(client, tree, role_users):
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    response = client.get(detail_url(tree.community))
    assert response.status_code == 200
    assert [row.place for row in response.context["children"]] == [tree.estate]
    assert tree.estate.name in response.content.decode()


@pytest.mark.parametrize("attr", ["neighbour", "neighbour_estate", "neighbour_flat", "far_community", "street"])
def test_place_detail__outside_scope__404(client, tree, role_users, attr):
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    assert client.get(detail_url(getattr(tree, attr))).status_code == 404


def test_place_detail__unknown_code__404(client, tree, role_users):
    client.force_login(role_users[RoleKind.DISTRICT_ADMIN])
    assert client.get(reverse("core:place-detail", args=["nope"])).status_code == 404


def test_place_detail__breadcrumb__links_only_visible_ancestors(client, tree, role_users):
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    response = client.get(detail_url(tree.building))
    assert [(place.code, linked) for place, linked in response.context["crumbs"]] == [
        (tree.district.code, False), (tree.street.code, False), (tree.community.code, True), (tree.estate.code, True),
    ]
    html = response.content.decode()
    assert f'href="{detail_url(tree.street)}"' not in html
    assert f'href="{detail_url(tree.community)}"' in html


def test_place_detail__children__households_and_people_per_child(client, tree, role_users):
    add_buildings(tree.estate, 2)
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    response = client.get(detail_url(tree.estate))
    rows = {row.place.code: (row.households, row.people) for row in response.context["children"]}
    assert rows == {tree.building.code: (1, 1), f"{tree.estate.code}-X0": (1, 2), f"{tree.estate.code}-X1": (1, 2)}
    assert (response.context["total_households"], response.context["total_people"]) == (3, 5)


def test_place_detail__children_counts__hidden_without_household_view(client, tree, role_users):
    client.force_login(role_users[RoleKind.RESIDENT])
    response = client.get(detail_url(tree.estate))
    assert response.context["counted"] is False
    assert [(row.households, row.people) for row in response.context["children"]] == [(0, 0)]


def test_place_detail__query_count__same_for_2_and_10_children(client, tree, role_users, django_assert_max_num_queries):
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    add_buildings(tree.estate, 2)
    small = queries_for(client, detail_url(tree.estate))
    add_buildings(tree.estate, 8, start=2)
    with django_assert_max_num_queries(small):
        response = client.get(detail_url(tree.estate))
    assert len(response.context["children"]) == 11
    assert small <= 12


def test_place_detail__flat__households_and_owners(client, tree, role_users):
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    response = client.get(detail_url(tree.flat))
    assert [h.head for h in response.context["households"]] == [tree.owner]
    assert [(o.person, o.exclusive_area_m2) for o in response.context["ownerships"]] == [(tree.owner, Decimal("75.50"))]
    assert reverse("core:person-detail", args=[tree.owner.pk]) in response.content.decode()


def test_place_detail__flat__property_manager_sees_households_not_owners_nor_person_links(client, tree, role_users):
    client.force_login(role_users[RoleKind.PROPERTY_MANAGER])
    response = client.get(detail_url(tree.flat))
    assert [h.head for h in response.context["households"]] == [tree.owner]
    assert response.context["ownerships"] == []
    assert reverse("core:person-detail", args=[tree.owner.pk]) not in response.content.decode()


def test_place_detail__organisations__members_only_when_allowed(client, tree, make_user):
    committee = organisation_create(name="竹竿巷社区居委会", kind=OrganisationKind.RESIDENTS_COMMITTEE, place=tree.community)
    organisation_member_add(organisation=committee, person=tree.owner, position="主任")
    worker = make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    client.force_login(worker)
    response = client.get(detail_url(tree.community))
    assert [o.name for o in response.context["organisations"]] == ["竹竿巷社区居委会"]
    assert "主任" in response.content.decode()

    client.force_login(make_user(RoleKind.RESIDENT, tree.community))
    response = client.get(detail_url(tree.community))
    assert [o.name for o in response.context["organisations"]] == ["竹竿巷社区居委会"]
    assert response.context["show_members"] is False
    assert "主任" not in response.content.decode()


def test_place_detail__map__only_with_centroid(client, tree, role_users, settings):
    settings.CG_BASEMAP_URL = ""
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    response = client.get(detail_url(tree.community))
    assert response.context["map"] == {
        "lat": 30.3, "lng": 120.15, "name": tree.community.name, "outline": None, "basemap": "", "attribution": "",
        "children": [], "code": tree.community.code,
        "areas": f"/places/areas.geojson?within={tree.community.code}",
    }
    assert 'id="place-map-data"' in response.content.decode()
    response = client.get(detail_url(tree.estate))
    assert response.context["map"] is None
    assert "leaflet.js" not in response.content.decode()


def test_place_detail__history__shown_with_changes_to_those_allowed(client, tree, role_users):
    place_update(place=tree.community, name="竹竿巷新社区", year_built=1990)
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    response = client.get(detail_url(tree.community))
    history = response.context["history"]
    assert [entry["type"] for entry in history] == ["~", "+"]
    assert sorted((c["name"], c["old"], c["new"]) for c in history[0]["changes"]) == [
        ("name", "竹竿巷社区", "竹竿巷新社区"), ("year_built", "—", "1990"),
    ]


def test_place_detail__history__parent_change_named(client, tree, role_users):
    from commonground.core.services.places import place_move

    place_move(place=tree.estate, new_parent=tree.neighbour)
    client.force_login(role_users[RoleKind.STREET_STAFF])
    history = client.get(detail_url(tree.estate)).context["history"]
    assert [(c["name"], c["old"], c["new"]) for c in history[0]["changes"]] == [
        ("parent", tree.community.name, tree.neighbour.name)
    ]


def test_place_detail__history__hidden_without_history_view(client, tree, role_users):
    client.force_login(role_users[RoleKind.GRID_WORKER])
    response = client.get(detail_url(tree.community))
    assert response.context["history"] is None
    assert 'id="history-heading"' not in response.content.decode()


@pytest.mark.parametrize("role", [RoleKind.COMMUNITY_WORKER, RoleKind.STREET_STAFF, RoleKind.DISTRICT_ADMIN])
def test_place_person_household_pages__built_in_bulk_without_history__200(client, tree, role_users, role):
    """The demo builds its district with bulk inserts, which write no history rows; the pages must not fail."""
    from commonground.core.models import Household, Person, Place

    Place.history.all().delete()
    Person.history.all().delete()
    Household.history.all().delete()
    client.force_login(role_users[role])
    household = Household.objects.get(flat=tree.flat)
    for url in (detail_url(tree.flat), reverse("core:person-detail", args=[tree.owner.pk]),
                reverse("core:household-detail", args=[household.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.context["history"] == []
