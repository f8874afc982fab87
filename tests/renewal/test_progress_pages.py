"""The progress page, its API and the home cards as each user meets them; query counts that do not grow."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.core import clock
from commonground.core.models import PlaceKind
from commonground.core.services.people import ownership_create, person_create
from commonground.core.services.places import place_create
from commonground.renewal.models import Household
from commonground.renewal.progress_cards import WORK_CARDS
from commonground.renewal.services.projects import households_from_register
from commonground.web.registry import URGENT, work_cards_for
from tests.conftest import make_id_number

from .standins import at, sign_small_campaign, stand_in_for_services

D = datetime.date
ON = at(D(2023, 4, 25), 18)


@pytest.fixture
def signed(campaign):
    return sign_small_campaign(campaign)


def get(client, url):
    with clock.frozen_at(ON):
        return client.get(url)


def test_progress_page__office__figures_links_chart_data_and_forecast(client, signed):
    client.force_login(signed.office)
    pk = signed.project.pk

    response = get(client, f"/renewal/{pk}/progress/")

    assert response.status_code == 200
    page = response.content.decode()
    jia = signed.buildings[0].pk
    assert f'href="/renewal/{pk}/households/?building={jia}&amp;state=unsigned">3<' in page
    assert f'href="/renewal/{pk}/households/?group={signed.groups[1].pk}&amp;state=signed">4<' in page
    assert 'id="progress-chart-data"' in page and "renewal/progress.js" in page and "<script>" not in page
    chart = response.context["chart"]
    assert chart["threshold"] == 9 and chart["total"] == 11 and chart["deadline"] == "2023-06-30"
    assert chart["cumulative"][chart["days"].index("2023-04-23")] == 6
    sentence = response.context["effect_sentence"]
    assert ("4/29" in sentence or "4月29日" in sentence) and "0.5" in sentence  # 2 more at 0.5 a day
    assert signed.flats[5].name in page  # a holdout, never visited


def test_progress_page__field_member__project_figures_whole_holdouts_of_their_buildings(client, signed):
    client.force_login(signed.member)

    response = client.get(f"/renewal/{signed.project.pk}/progress/")  # the member's role starts today

    assert response.status_code == 200
    assert response.context["progress"].totals.households == 11  # the project's figures are shared
    holdouts = {h.flat_id for h in response.context["page"].object_list}
    assert holdouts == {signed.flats[i].pk for i in (3, 4, 5)}


def test_progress_pages_and_api__outsider__404(client, signed):
    client.force_login(signed.outsider)
    pk = signed.project.pk

    for url in (f"/renewal/{pk}/progress/", f"/renewal/{pk}/briefing/", f"/renewal/{pk}/briefing/?format=pdf",
                f"/api/renewal/projects/{pk}/progress", f"/api/renewal/projects/{pk}/holdouts",
                f"/api/renewal/projects/{pk}/briefing"):
        assert get(client, url).status_code == 404, url


def test_api_progress__office__totals_buildings_groups_days_forecast(client, signed):
    client.force_login(signed.office)

    body = get(client, f"/api/renewal/projects/{signed.project.pk}/progress").json()

    assert (body["households"], body["signed"], body["signing_rate"], body["needed"], body["left"]) == (
        11, 7, 0.6364, 9, 2)
    assert [(b["name"], b["signed"]) for b in body["buildings"]] == [("1幢", 0), ("甲幢", 3), ("乙幢", 4)]
    assert [(g["name"], g["rate"]) for g in body["groups"]] == [("一组", 0.5), ("二组", 1.0)]
    assert body["days"][-1] == {"day": "2023-04-25", "signed": 1, "cumulative": 7, "rate": 0.6364}
    effect = body["forecast"]["effect"]
    assert (effect["date"], effect["earliest"], effect["latest"], effect["pace"]) == (
        "2023-04-29", "2023-04-28", "2023-05-06", 0.5)


def test_api_holdouts__member__their_buildings_paged(client, signed):
    client.force_login(signed.member)

    body = client.get(f"/api/renewal/projects/{signed.project.pk}/holdouts?page_size=2").json()

    assert body["count"] == 3 and len(body["items"]) == 2
    assert {item["building"] for item in body["items"]} == {"甲幢"}
    assert body["items"][0]["visits_count"] == 0  # never visited first


def test_home__office__card_per_project_urgent_when_behind(client, signed):
    with clock.frozen_at(at(D(2023, 6, 29), 9)):
        cards = [card for provider in WORK_CARDS for card in provider(signed.office)]
    assert [card.key for card in cards] == [f"renewal.progress-{signed.project.pk}"]
    assert cards[0].tone == URGENT and cards[0].url == f"/renewal/{signed.project.pk}/progress/"
    assert "7 / 11" in cards[0].items[0].title and "63.6%" in cards[0].items[0].title
    with clock.frozen_at(ON):  # 0.5 a day against the 2 needed in 67 days
        assert [c for c in work_cards_for(signed.office) if c.key.startswith("renewal.")][0].tone != URGENT


def test_home__owner__my_renewal_plan_card_to_their_household(client, signed):
    with clock.frozen_at(ON):
        cards = [card for card in work_cards_for(signed.owner) if card.key.startswith("renewal.")]
    household = Household.objects.get(project=signed.project, flat=signed.flats[0])
    assert [card.key for card in cards] == ["renewal.my-plan"]
    assert cards[0].url == f"/renewal/households/{household.pk}/"
    client.force_login(signed.owner)
    assert "renewal.my-plan" in get(client, "/").content.decode()


def test_home__outsider__no_renewal_card(signed):
    with clock.frozen_at(ON):
        assert not [card for card in work_cards_for(signed.outsider) if card.key.startswith("renewal.")]


def add_buildings(campaign, count: int) -> None:
    for n in range(count):
        building = place_create(code=f"{campaign.project.estate.code}-X{n}", name=f"{n}号楼", kind=PlaceKind.BUILDING,
                                parent=campaign.project.estate)
        flat = place_create(code=f"{building.code}-101", name=f"{n}号楼101室", kind=PlaceKind.FLAT, parent=building,
                            floor_area_m2=60)
        person = person_create(name=f"新业主{n}", id_number=make_id_number(seq=600 + n))
        ownership_create(flat=flat, person=person, exclusive_area_m2=60, acquired_on=D(2005, 1, 1))


def page_queries(client, user, url) -> int:
    client.force_login(user)
    get(client, url)  # warm the session and role caches
    with CaptureQueriesContext(connection) as queries:
        assert get(client, url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["progress/", "briefing/?day=2023-04-23"])
def test_progress_pages__1_and_10_buildings__same_query_count(client, campaign, path):
    """One building of the estate in the project, then ten more, each with an unsigned holdout."""
    url = f"/renewal/{campaign.project.pk}/{path}"
    Household.objects.filter(project=campaign.project).exclude(building=campaign.buildings[0]).delete()
    stand_in_for_services(Household.objects.filter(project=campaign.project).first(), signed_at=at(D(2023, 4, 23)))
    few = page_queries(client, campaign.office, url)
    add_buildings(campaign, 10)
    Household.objects.filter(project=campaign.project).delete()
    households_from_register(campaign.project, D(2023, 4, 1))
    stand_in_for_services(Household.objects.filter(project=campaign.project).first(), signed_at=at(D(2023, 4, 23)))
    assert Household.objects.filter(project=campaign.project).values("building").distinct().count() == 13

    assert page_queries(client, campaign.office, url) == few
