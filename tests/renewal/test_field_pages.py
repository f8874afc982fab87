"""The fieldwork pages and API as each user meets them: the household's visits and forms, the fieldwork and
consent tabs, the home's work cards."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.core import clock
from commonground.core.services.accounts import clock_set
from commonground.deliberation.models import Notice
from commonground.renewal.models import ConsentAnswer, Household, Outcome, Project, Visit
from commonground.renewal.services.visits import visit_record
from commonground.web.registry import work_cards_for


@pytest.fixture
def later(campaign):
    """The deployment's clock two days after the project opened (tests record visits in the past of it)."""
    start = campaign.project.created_at + datetime.timedelta(days=2)
    clock_set(starts_at=start)
    clock.forget()
    yield start
    clock.forget()


def household_of(campaign, i: int) -> Household:
    return Household.objects.get(project=campaign.project, flat=campaign.flats[i])


def record(campaign, i: int, hours_ago: int = 1, actor=None, **kw) -> Visit:
    return visit_record(actor=actor or campaign.office, household=household_of(campaign, i),
                        visited_at=clock.now() - datetime.timedelta(hours=hours_ago),
                        outcome=kw.pop("outcome", Outcome.CONSIDERING), **kw)


def local_input(moment: datetime.datetime) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_household_page__office__visits_and_record_form(client, campaign, later):
    record(campaign, 1, notes="一根筋，明天再来")
    client.force_login(campaign.office)

    page = client.get(f"/renewal/households/{household_of(campaign, 1).pk}/").content.decode()

    assert "一根筋，明天再来" in page and 'name="outcome"' in page and 'name="concerns"' in page


def test_household_page__post_visit__recorded_and_back_to_the_timeline(client, campaign, later):
    client.force_login(campaign.member)
    household = household_of(campaign, 0)

    response = client.post(f"/renewal/households/{household.pk}/visits/", {
        "visited_at": local_input(clock.now() - datetime.timedelta(hours=2)), "outcome": Outcome.NOT_HOME,
        "concerns": ["relocation"], "next_step": "晚上再来", "next_on": clock.today().isoformat()})

    assert response.status_code == 302 and response["Location"].endswith("#visits")
    household.refresh_from_db()
    assert household.visits_count == 1 and household.last_outcome == Outcome.NOT_HOME


def test_household_page__post_future_visit__400_nothing_written(client, campaign, later, nothing_written):
    client.force_login(campaign.office)
    household = household_of(campaign, 0)

    with nothing_written():
        response = client.post(f"/renewal/households/{household.pk}/visits/", {
            "visited_at": local_input(clock.now() + datetime.timedelta(days=1)), "outcome": Outcome.NOT_HOME})
    assert response.status_code == 400
    assert 'aria-invalid' in response.content.decode() or "errorlist" in response.content.decode()


def test_household_visits__member_of_other_group__404_on_page_post_and_api(client, campaign, later,
                                                                           nothing_written):
    record(campaign, 7, notes="二组的记录")
    client.force_login(campaign.member)
    other = household_of(campaign, 7)

    with nothing_written():
        assert client.post(f"/renewal/households/{other.pk}/visits/", {
            "visited_at": local_input(clock.now()), "outcome": Outcome.NOT_HOME}).status_code == 404
        assert client.post(f"/api/renewal/households/{other.pk}/visits", {
            "visited_at": clock.now().isoformat(), "outcome": "not_home"},
            content_type="application/json").status_code == 404
    assert client.get(f"/api/renewal/households/{other.pk}/visits").status_code == 404
    fieldwork = client.get(f"/renewal/{campaign.project.pk}/fieldwork/").content.decode()
    assert campaign.flats[7].name not in fieldwork and "二组" not in fieldwork


def test_household_visits__owner__own_page_without_visits_others_404(client, campaign, later):
    record(campaign, 0, notes="业主看不到的记录")
    client.force_login(campaign.owner)
    own, other = household_of(campaign, 0), household_of(campaign, 1)

    page = client.get(f"/renewal/households/{own.pk}/")
    assert page.status_code == 200 and "业主看不到的记录" not in page.content.decode()
    assert client.get(f"/api/renewal/households/{own.pk}/visits").status_code == 403
    assert client.get(f"/api/renewal/households/{other.pk}/visits").status_code == 404
    assert client.get(f"/renewal/{campaign.project.pk}/fieldwork/").status_code == 403


def test_field_pages__outsider__404_everywhere(client, campaign, later):
    client.force_login(campaign.outsider)
    pk, household = campaign.project.pk, household_of(campaign, 0).pk

    for url in (f"/renewal/{pk}/fieldwork/", f"/renewal/{pk}/consent/", f"/renewal/households/{household}/",
                f"/api/renewal/projects/{pk}/fieldwork", f"/api/renewal/projects/{pk}/consent",
                f"/api/renewal/households/{household}/visits"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/renewal/{pk}/consent/publish/").status_code == 404
    assert client.post(f"/api/renewal/projects/{pk}/consent/publish").status_code == 404


def test_fieldwork_tab__member__planned_today_stale_and_own_group(client, campaign, later):
    record(campaign, 0, next_on=clock.today(), next_step="带政策解读材料")
    client.force_login(campaign.member)

    page = client.get(f"/renewal/{campaign.project.pk}/fieldwork/").content.decode()

    assert "带政策解读材料" in page and campaign.flats[2].name in page  # planned; never visited
    body = client.get(f"/api/renewal/projects/{campaign.project.pk}/fieldwork").json()
    assert [row["household"] for row in body["planned"]] == [household_of(campaign, 0).pk]
    assert body["stale_count"] == 5
    assert [(g["name"], g["households"], g["visited"]) for g in body["groups"]] == [("一组", 6, 1)]


def test_api_visit_create__member__201_with_visitors(client, campaign, later):
    client.force_login(campaign.member)
    household = household_of(campaign, 0)

    response = client.post(f"/api/renewal/households/{household.pk}/visits", {
        "visited_at": (clock.now() - datetime.timedelta(hours=3)).isoformat(), "outcome": "concerns",
        "concerns": ["tenants"], "visitors": [campaign.office.pk]}, content_type="application/json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert {v["id"] for v in body["visitors"]} == {campaign.member.pk, campaign.office.pk}
    assert client.get(f"/api/renewal/households/{household.pk}/visits").json()["count"] == 1


def test_consent_tab_and_api__answer_then_publish_after_close(client, campaign, later):
    today = clock.today()
    Project.objects.filter(pk=campaign.project.pk).update(survey_from=today, survey_until=today,
                                                         consent_threshold=Decimal("0.1"))
    client.force_login(campaign.office)
    pk = campaign.project.pk
    household = household_of(campaign, 0)

    response = client.post(f"/api/renewal/households/{household.pk}/consent",
                           {"answer": "agree", "answered_on": today.isoformat(), "by_all_owners": "true"})
    assert response.status_code == 201, response.content
    assert client.post(f"/api/renewal/households/{household.pk}/consent",
                       {"answer": "agree", "answered_on": today.isoformat()}).status_code == 400
    standing = client.get(f"/api/renewal/projects/{pk}/consent").json()
    assert (standing["answered"], standing["agree"], standing["needed"], standing["survey"]) == (1, 1, 2, "open")
    page = client.get(f"/renewal/{pk}/consent/").content.decode()
    assert "consent-publish" not in page and "甲幢" in page

    clock_set(starts_at=clock.now() + datetime.timedelta(days=1))
    clock.forget()
    assert "/consent/publish/" in client.get(f"/renewal/{pk}/consent/").content.decode()
    assert client.post(f"/renewal/{pk}/consent/publish/").status_code == 302
    assert Notice.objects.get().public
    assert client.post(f"/api/renewal/projects/{pk}/consent/publish").status_code == 400
    assert Household.objects.get(pk=household.pk).consent == ConsentAnswer.AGREE


def test_consent_publish__field_member__403(client, campaign, later):
    client.force_login(campaign.member)

    assert client.post(f"/renewal/{campaign.project.pk}/consent/publish/").status_code == 403
    assert client.post(f"/api/renewal/projects/{campaign.project.pk}/consent/publish").status_code == 403


def test_home__member__fieldwork_cards_count_own_buildings(client, campaign, later):
    record(campaign, 0, next_on=clock.today())
    record(campaign, 7, next_on=clock.today())

    cards = {card.key: card for card in work_cards_for(campaign.member)}

    pk = campaign.project.pk
    assert cards[f"renewal.planned-today-{pk}"].count == 1
    assert cards[f"renewal.stale-{pk}"].count == 5
    assert cards[f"renewal.planned-today-{pk}"].url == f"/renewal/{pk}/fieldwork/"
    owner_keys = [card.key for card in work_cards_for(campaign.owner)]
    assert not [key for key in owner_keys if key.startswith(("renewal.planned", "renewal.stale"))]
    client.force_login(campaign.member)
    assert f'data-card="renewal.planned-today-{pk}"' in client.get("/").content.decode()


def test_household_page__query_count_same_for_1_and_10_visits(client, campaign, later):
    client.force_login(campaign.office)

    def queries(i: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/renewal/households/{household_of(campaign, i).pk}/").status_code == 200
        return len(captured)

    record(campaign, 0)
    for n in range(10):
        record(campaign, 2, hours_ago=n + 1, visitors=[campaign.member])
    queries(0)  # warm the caches of the first request
    assert queries(2) == queries(0)


def test_household_page__consent_with_authorisation__scan_served_to_staff_only(client, campaign, later):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    today = clock.today()
    Project.objects.filter(pk=campaign.project.pk).update(survey_from=today, survey_until=today)
    household = household_of(campaign, 1)  # co-owned
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "white").save(buffer, format="PNG")
    client.force_login(campaign.member)
    page = client.get(f"/renewal/households/{household.pk}/").content.decode()
    assert 'name="by_all_owners"' in page

    response = client.post(f"/renewal/households/{household.pk}/consent/", {
        "answer": "agree", "answered_on": today.isoformat(),
        "authorisation": SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")})

    assert response.status_code == 302
    scan = client.get(f"/renewal/households/{household.pk}/consent/authorisation/")
    assert scan.status_code == 200 and scan["Content-Type"] == "image/png"
    client.force_login(campaign.owner)
    assert client.get(f"/renewal/households/{household.pk}/consent/authorisation/").status_code == 404


def test_household_page__consent_not_all_owners_without_scan__400_nothing_written(client, campaign, later,
                                                                                   nothing_written):
    today = clock.today()
    Project.objects.filter(pk=campaign.project.pk).update(survey_from=today, survey_until=today)
    client.force_login(campaign.office)

    with nothing_written():
        response = client.post(f"/renewal/households/{household_of(campaign, 1).pk}/consent/", {
            "answer": "agree", "answered_on": today.isoformat()})
    assert response.status_code == 400
    assert "授权" in response.content.decode() or "authorisation" in response.content.decode()
