"""The party and association network: counts per scope grouped by path prefix, the estate drill-down with the
branches' buildings and members, exports and API; what a user outside the scope gets; query counts."""

from __future__ import annotations

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.coordination.models import BranchBuilding
from commonground.coordination.network_selectors import network_counts
from commonground.coordination.services.network import branch_buildings_set
from commonground.core.models import OrganisationKind, PlaceKind
from commonground.core.services.organisations import organisation_create, organisation_member_add
from commonground.core.services.people import person_create
from commonground.core.services.places import place_create
from tests.coordination.network_fixtures import net_fixture  # noqa: F401  (fixture)

K = OrganisationKind


def login(client, user):
    client.force_login(user)
    return client


def counts(c) -> tuple[int, ...]:
    return (c.community_party, c.estate_branches, c.corridor_branches, c.party_members, c.mass_associations)


def test_network_counts__street__total_and_one_row_per_community(net):
    total, rows = network_counts(net.tree.street)

    assert counts(total) == (1, 1, 1, 1, 1)
    assert [(row.place.name, counts(row.counts)) for row in rows] == [
        ("竹竿巷社区", (1, 1, 1, 1, 1)), ("龙游社区", (0, 0, 0, 0, 0))]


def test_network_counts__district__the_other_street_counts_nothing(net):
    total, rows = network_counts(net.tree.district)

    assert counts(total) == (1, 1, 1, 1, 1)
    assert [(row.place.name, counts(row.counts)) for row in rows] == [
        ("武林街道", (1, 1, 1, 1, 1)), ("天水街道", (0, 0, 0, 0, 0))]


def test_network_page__estate__branch_buildings_and_members(client, net):
    branch_buildings_set(actor=net.users["community"], branch=net.branch,
                         buildings=[net.tree.building, net.second_building])

    response = login(client, net.users["community"]).get(f"/coordination/network/?place={net.tree.estate.code}")

    assert response.status_code == 200
    estate = response.context["estate"]
    assert estate.estate_branch == net.estate_branch
    assert [(line.branch.name, [b.name for b in line.buildings], [m.name for m in line.members])
            for line in estate.branches] == [("1幢1单元楼道党支部", ["1幢", "2幢"], ["刘党员"])]
    assert response.context["may_manage"] is True


def test_network_page__owners_committee_member__their_estate_names_masked_no_change_link(client, net):
    response = login(client, net.users["committee"]).get("/coordination/network/")

    assert response.context["place"] == net.tree.estate
    body = response.content.decode()
    assert "刘**" in body and "刘党员" not in body
    assert 'data-action="branch-buildings"' not in body


def test_network_page__community_worker__community_rows_and_associations(client, net):
    response = login(client, net.users["community"]).get("/coordination/network/")

    assert response.context["place"] == net.tree.community
    assert [row.place.name for row in response.context["rows"]] == ["竹竿巷小区"]
    assert [a.name for a in response.context["associations"]] == ["竹竿巷大妈志愿队"]
    assert response.context["party"] == net.community_party


def test_network__outside_scope__404_page_export_api(client, net):
    client = login(client, net.users["far"])
    code = net.tree.community.code

    assert client.get(f"/coordination/network/?place={code}").status_code == 404
    assert client.get(f"/coordination/network/export.csv?place={code}").status_code == 404
    assert client.get(f"/api/coordination/network?place={code}").status_code == 404
    assert client.get(f"/coordination/network/branches/{net.branch.pk}/buildings/").status_code == 404
    branches = client.get("/api/coordination/branches").json()
    assert branches["count"] == 0
    response = client.post(f"/api/coordination/branches/{net.branch.pk}/buildings",
                           {"buildings": [net.tree.building.code]}, content_type="application/json")
    assert response.status_code == 404
    assert not BranchBuilding.objects.exists()


def test_network_export__street_staff__their_street_only(client, net):
    response = login(client, net.users["street"]).get("/coordination/network/export.csv")

    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == ["武林街道", "竹竿巷社区", "龙游社区"]
    assert lines[1][1:] == ["1", "1", "1", "1", "1"]
    xlsx = client.get("/coordination/network/export.xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_branch_buildings_page__post__saved_and_back_to_the_estate(client, net):
    client = login(client, net.users["community"])
    url = f"/coordination/network/branches/{net.branch.pk}/buildings/"

    assert client.get(url).status_code == 200
    response = client.post(url, {"buildings": [net.second_building.pk]})

    assert response.status_code == 302
    assert list(BranchBuilding.objects.values_list("building__name", flat=True)) == ["2幢"]


def test_branch_buildings_page__owners_committee_member__403_nothing_written(client, net, nothing_written):
    client = login(client, net.users["committee"])
    with nothing_written():
        response = client.post(f"/coordination/network/branches/{net.branch.pk}/buildings/",
                               {"buildings": [net.second_building.pk]})
    assert response.status_code == 403


def test_branches_api__post_buildings__saved_other_estate_building__400_nothing_written(client, net, nothing_written):
    client = login(client, net.users["community"])
    url = f"/api/coordination/branches/{net.branch.pk}/buildings"

    ok = client.post(url, {"buildings": [net.tree.building.code]}, content_type="application/json")
    assert ok.status_code == 200
    assert ok.json()["buildings"] == [{"code": net.tree.building.code, "name": "1幢"}]
    with nothing_written():
        refused = client.post(url, {"buildings": [net.neighbour_building.code]}, content_type="application/json")
    assert refused.status_code == 400
    listed = client.get(f"/api/coordination/branches?estate={net.tree.estate.code}").json()
    assert [(b["name"], [x["name"] for x in b["buildings"]]) for b in listed["items"]] == [
        ("1幢1单元楼道党支部", ["1幢"])]


def test_network_api__street_staff__counts_per_community(client, net):
    data = login(client, net.users["street"]).get("/api/coordination/network").json()

    assert (data["place"], data["total"]["corridor_branches"]) == (net.tree.street.code, 1)
    assert [(r["place_name"], r["counts"]["estate_branches"]) for r in data["rows"]] == [
        ("竹竿巷社区", 1), ("龙游社区", 0)]


def grow(net, n: int) -> None:
    """n more estates with a branch, corridors, buildings and members in the first community."""
    for i in range(n):
        estate = place_create(code=f"{net.tree.community.code}-X{i}", name=f"新小区{i}", kind=PlaceKind.ESTATE,
                              parent=net.tree.community)
        organisation_create(name=f"新小区{i}党支部", kind=K.PARTY_ORGANISATION, place=estate)
        organisation_create(name=f"新小区{i}舞蹈队", kind=K.MASS_ASSOCIATION, place=estate)
        building = place_create(code=f"{estate.code}-B1", name="1幢", kind=PlaceKind.BUILDING, parent=estate)
        for j in range(2):
            corridor = place_create(code=f"{building.code}-U{j}", name=f"{j}单元", kind=PlaceKind.CORRIDOR,
                                    parent=building)
            branch = organisation_create(name=f"新小区{i}{j}楼道党支部", kind=K.PARTY_ORGANISATION, place=corridor)
            organisation_member_add(organisation=branch, person=person_create(name=f"党员{i}{j}"))
            branch_buildings_set(actor=net.users["district"], branch=branch, buildings=[building])
    for j in range(3):
        corridor = place_create(code=f"{net.tree.building.code}-U{j + 5}", name=f"{j + 5}单元",
                                kind=PlaceKind.CORRIDOR, parent=net.tree.building)
        branch = organisation_create(name=f"{j + 5}单元楼道党支部", kind=K.PARTY_ORGANISATION, place=corridor)
        organisation_member_add(organisation=branch, person=person_create(name=f"新党员{j}"))
        branch_buildings_set(actor=net.users["district"], branch=branch, buildings=[net.tree.building])


def test_network_pages_and_api__one_or_many_places__same_query_count(client, net):
    client = login(client, net.users["street"])
    branch_buildings_set(actor=net.users["district"], branch=net.branch, buildings=[net.tree.building])
    urls = ["/coordination/network/", f"/coordination/network/?place={net.tree.community.code}",
            f"/coordination/network/?place={net.tree.estate.code}", "/coordination/network/export.xlsx",
            "/api/coordination/network", "/api/coordination/branches"]

    def measure() -> list[int]:
        result = []
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            result.append(len(queries))
        return result

    before = measure()
    grow(net, 3)
    assert measure() == before
