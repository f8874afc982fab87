"""The project pages and API as each user meets them."""

from __future__ import annotations


def test_project_pages__office__list_overview_households_household(client, campaign):
    client.force_login(campaign.office)
    pk = campaign.project.pk
    household = campaign.project.households.get(flat=campaign.flats[1])

    for url in ("/renewal/", f"/renewal/{pk}/", f"/renewal/{pk}/households/?state=unsigned",
                f"/renewal/households/{household.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "共有人" in response.content.decode()


def test_household_page__member_of_other_group__404(client, campaign):
    client.force_login(campaign.member)
    other = campaign.project.households.get(flat=campaign.flats[7])

    assert client.get(f"/renewal/households/{other.pk}/").status_code == 404
    listed = client.get(f"/renewal/{campaign.project.pk}/households/").content.decode()
    assert campaign.flats[0].name in listed and campaign.flats[7].name not in listed


def test_project_pages__outsider__404_everywhere(client, campaign):
    client.force_login(campaign.outsider)
    pk = campaign.project.pk

    assert client.get(f"/renewal/{pk}/").status_code == 404
    assert client.get(f"/renewal/{pk}/households/").status_code == 404
    assert campaign.project.name not in client.get("/renewal/").content.decode()
    assert client.get(f"/api/renewal/projects/{pk}").status_code == 404
    assert client.get("/api/renewal/projects").json()["count"] == 0


def test_api_households__member__own_buildings_only(client, campaign):
    client.force_login(campaign.member)

    body = client.get(f"/api/renewal/projects/{campaign.project.pk}/households?page_size=50").json()

    assert body["count"] == 6
    assert {item["building"] for item in body["items"]} == {"甲幢"}
