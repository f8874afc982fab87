"""The renewal representatives page: who may see it, the steps it offers, and its forms (a refused or
forbidden step changes nothing)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from commonground.core import clock
from commonground.core.models import PlaceKind, RoleKind
from commonground.core.rules import ROLE_PERMISSIONS
from commonground.core.services.places import place_create
from commonground.deliberation.models import Notice, NoticeKind, Representative, RepresentativeStatus
from commonground.deliberation.services.representatives import (
    representative_nominate,
    representative_register,
    representative_review,
    representatives_publish_notice,
)
from tests.conftest import start_clock_on

S = RepresentativeStatus
BOARD = reverse("deliberation:representatives")


def translated(message: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message)


def board_url(estate) -> str:
    return f"{BOARD}?estate={estate.pk}"


def act_url(rep: Representative, step: str) -> str:
    return reverse("deliberation:representative-act", args=[rep.pk, step])


def shown_actions(response) -> dict[str, set[str]]:
    """{building name: the data-action values in its row}."""
    rows = re.findall(r'<tr id="building-\d+" data-building="([^"]+)".*?</tr>', response.content.decode(), re.S)
    bodies = re.findall(r'(<tr id="building-\d+".*?</tr>)', response.content.decode(), re.S)
    return {name: set(re.findall(r'data-action="([a-z_]+)"', body)) for name, body in zip(rows, bodies, strict=True)}


def pin_today(day: datetime.date) -> None:
    start_clock_on(day)


@pytest.fixture
def outsider(tree, make_user):
    return make_user(RoleKind.COMMUNITY_WORKER, tree.neighbour)


@pytest.fixture
def approved(clerk, rep_estate) -> Representative:
    rep = representative_nominate(actor=clerk, building=rep_estate.buildings[0], person=rep_estate.owner)
    rep = representative_register(actor=clerk, representative=rep)
    return representative_review(actor=clerk, representative=rep, approve=True)


# --- who sees what -------------------------------------------------------------------------------------------

def test_representatives_page__anonymous__sent_to_login(client, rep_estate):
    for url in (BOARD, board_url(rep_estate.estate)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_representatives_page__no_estate__estates_in_scope_with_buildings(client, clerk, rep_estate, tree):
    place_create(code="EMPTY-E", name="空小区", kind=PlaceKind.ESTATE, parent=tree.community)
    client.force_login(clerk)
    response = client.get(BOARD)
    assert response.status_code == 200
    assert re.findall(r'data-estate="(\d+)"', response.content.decode()) == [str(rep_estate.estate.pk)]
    assert f'href="{board_url(rep_estate.estate)}"' in response.content.decode()
    assert "0 / 3" in response.content.decode()


def test_representatives_page__street_staff__every_estate_of_the_street(client, rep_estate, tree, make_user):
    client.force_login(make_user(RoleKind.STREET_STAFF, tree.street))
    response = client.get(BOARD)
    assert re.findall(r'data-estate="(\d+)"', response.content.decode()) == [
        str(rep_estate.estate.pk), str(tree.neighbour_estate.pk)]


def test_representatives_page__in_scope__every_building_and_progress(client, clerk, rep_estate, approved):
    client.force_login(clerk)
    response = client.get(board_url(rep_estate.estate))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-progress="0/3"' in html
    assert re.findall(r'data-building="([^"]+)"', html) == ["1幢", "2幢", "3幢"]
    assert shown_actions(response) == {"1幢": {"withdraw"}, "2幢": {"nominate"}, "3幢": set()}
    assert 'data-action="publish"' in html
    assert translated("Nobody lives or owns a flat here on record.") in html


def test_representatives_page__nominate_select_lists_only_people_of_the_building(client, clerk, rep_estate, tree):
    client.force_login(clerk)
    html = client.get(board_url(rep_estate.estate)).content.decode()
    row = re.search(rf'<tr id="building-{rep_estate.buildings[1].pk}".*?</tr>', html, re.S).group(0)
    assert re.findall(r'<option value="(\d+)">', row) == [str(rep_estate.landlord.pk), str(rep_estate.tenant.pk)]
    assert tree.neighbour_owner.name not in html


@pytest.mark.parametrize("query", ["?estate=abc", "?estate=", "?estate=999999"])
def test_representatives_page__bad_estate__404(query, client, clerk, rep_estate):
    client.force_login(clerk)
    assert client.get(BOARD + query).status_code == 404


def test_representatives_page__out_of_scope__404(client, outsider, rep_estate):
    client.force_login(outsider)
    assert client.get(board_url(rep_estate.estate)).status_code == 404


def test_representatives_page__building_instead_of_estate__404(client, clerk, rep_estate):
    client.force_login(clerk)
    assert client.get(board_url(rep_estate.buildings[0])).status_code == 404


def test_representatives_page__resident__404(client, rep_estate, make_user, tree):
    client.force_login(make_user(RoleKind.RESIDENT, tree.estate, person=rep_estate.owner))
    assert client.get(BOARD).status_code == 404
    assert client.get(board_url(rep_estate.estate)).status_code == 404


def test_representatives_page__staff_see_personal_data(client, clerk, rep_estate, approved):
    client.force_login(clerk)
    html = client.get(board_url(rep_estate.estate)).content.decode()
    assert rep_estate.owner.phone in html and rep_estate.owner.id_number in html


def test_representatives_page__viewer_without_personal_data__masked_and_no_steps(client, rep_estate, approved,
                                                                                 make_user, tree, monkeypatch):
    role = RoleKind.PROPERTY_MANAGER
    monkeypatch.setitem(ROLE_PERMISSIONS, role, ROLE_PERMISSIONS[role] | {"representative.view"})
    client.force_login(make_user(role, tree.estate))
    response = client.get(board_url(rep_estate.estate))
    html = response.content.decode()
    assert response.status_code == 200
    assert rep_estate.owner.phone not in html and rep_estate.owner.id_number not in html
    assert "138****0001" in html
    assert rep_estate.owner.id_number[:6] + "********" + rep_estate.owner.id_number[-4:] in html
    assert shown_actions(response) == {"1幢": set(), "2幢": set(), "3幢": set()}
    assert 'data-action="publish"' not in html


def test_representatives_page__renewal_worker__steps_and_publish(client, rep_estate, approved, make_user, tree):
    client.force_login(make_user(RoleKind.RENEWAL_WORKER, tree.estate))
    response = client.get(board_url(rep_estate.estate))
    assert shown_actions(response)["2幢"] == {"nominate"}
    assert 'data-action="publish"' in response.content.decode()


def test_representatives_page__query_count_constant(client, clerk, rep_estate, tree):
    client.force_login(clerk)
    representative_nominate(actor=clerk, building=rep_estate.buildings[0], person=rep_estate.owner)
    client.get(board_url(rep_estate.estate))  # warm the session and the pinned-day cache
    with CaptureQueriesContext(connection) as few:
        client.get(board_url(rep_estate.estate))
    for n in range(4, 10):
        place_create(code=f"{tree.estate.code}-B{n}", name=f"{n}幢", kind=PlaceKind.BUILDING, parent=tree.estate)
    representative_nominate(actor=clerk, building=rep_estate.buildings[1], person=rep_estate.tenant)
    with CaptureQueriesContext(connection) as many:
        response = client.get(board_url(rep_estate.estate))
    assert len(shown_actions(response)) == 9
    assert len(few) == len(many)


# --- the steps -----------------------------------------------------------------------------------------------

def test_nominate_form__resident_of_building__nominated(client, clerk, rep_estate):
    client.force_login(clerk)
    response = client.post(reverse("deliberation:representative-nominate"),
                           {"building": rep_estate.buildings[1].pk, "person": rep_estate.tenant.pk})
    assert response.status_code == 302
    assert response.url == board_url(rep_estate.estate) + f"#building-{rep_estate.buildings[1].pk}"
    rep = Representative.objects.get()
    assert (rep.building, rep.person, rep.status, rep.nominated_by) == (rep_estate.buildings[1], rep_estate.tenant,
                                                                        S.NOMINATED, clerk)


def test_nominate_form__person_not_in_building__400_nothing_stored(client, clerk, rep_estate):
    client.force_login(clerk)
    response = client.post(reverse("deliberation:representative-nominate"),
                           {"building": rep_estate.buildings[0].pk, "person": rep_estate.tenant.pk})
    assert response.status_code == 400
    assert translated("%(person)s neither lives nor owns a flat in %(building)s.") % {
        "person": "周七", "building": "1幢"} in response.content.decode()
    assert Representative.objects.count() == 0


@pytest.mark.parametrize("person", ["", "0", "far"])
def test_nominate_form__no_or_unknown_person__400(person, client, clerk, rep_estate, make_user, tree):
    from commonground.core.services.people import person_create
    if person == "far":
        person = str(person_create(name="远方", registered_place=tree.far_community).pk)
    client.force_login(clerk)
    response = client.post(reverse("deliberation:representative-nominate"),
                           {"building": rep_estate.buildings[0].pk, "person": person})
    assert response.status_code == 400
    assert "远方" not in response.content.decode()
    assert Representative.objects.count() == 0


def test_nominate_form__second_nomination__400(client, clerk, rep_estate, approved, nothing_written):
    client.force_login(clerk)
    with nothing_written():
        response = client.post(reverse("deliberation:representative-nominate"),
                               {"building": rep_estate.buildings[0].pk, "person": rep_estate.owner.pk})
        assert response.status_code == 400


def test_nominate_form__out_of_scope__404(client, outsider, rep_estate):
    client.force_login(outsider)
    response = client.post(reverse("deliberation:representative-nominate"),
                           {"building": rep_estate.buildings[0].pk, "person": rep_estate.owner.pk})
    assert response.status_code == 404
    assert Representative.objects.count() == 0


def test_nominate_form__anonymous__login_nothing_stored(client, rep_estate):
    response = client.post(reverse("deliberation:representative-nominate"),
                           {"building": rep_estate.buildings[0].pk, "person": rep_estate.owner.pk})
    assert response.status_code == 302
    assert Representative.objects.count() == 0


def test_step_forms__nominated_to_confirmed(client, clerk, rep_estate, nothing_written):
    client.force_login(clerk)
    rep = representative_nominate(actor=clerk, building=rep_estate.buildings[0], person=rep_estate.owner)
    assert shown_actions(client.get(board_url(rep_estate.estate)))["1幢"] == {"register", "withdraw"}
    assert client.post(act_url(rep, "register")).status_code == 302
    assert shown_actions(client.get(board_url(rep_estate.estate)))["1幢"] == {"approve", "reject", "withdraw"}
    assert client.post(act_url(rep, "approve")).status_code == 302
    pin_today(datetime.date(2025, 3, 1))
    response = client.post(reverse("deliberation:representatives-publish"), {"estate": rep_estate.estate.pk})
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert (notice.kind, notice.posted_on, notice.ends_on) == (NoticeKind.REPRESENTATIVES, datetime.date(2025, 3, 1),
                                                               datetime.date(2025, 3, 6))
    pin_today(datetime.date(2025, 3, 6))
    assert shown_actions(client.get(board_url(rep_estate.estate)))["1幢"] == {"object", "withdraw"}
    with nothing_written():
        assert client.post(act_url(rep, "confirm")).status_code == 400
    pin_today(datetime.date(2025, 3, 7))
    assert shown_actions(client.get(board_url(rep_estate.estate)))["1幢"] == {"confirm", "object", "withdraw"}
    assert client.post(act_url(rep, "confirm")).status_code == 302
    rep.refresh_from_db()
    assert (rep.status, rep.confirmed_on) == (S.CONFIRMED, datetime.date(2025, 3, 7))
    response = client.get(board_url(rep_estate.estate))
    assert shown_actions(response)["1幢"] == set()
    assert 'data-progress="1/3"' in response.content.decode()


def test_reject_form__without_reason__400_unchanged(client, clerk, rep_estate, nothing_written):
    rep = representative_register(actor=clerk, representative=representative_nominate(
        actor=clerk, building=rep_estate.buildings[0], person=rep_estate.owner))
    client.force_login(clerk)
    with nothing_written():
        response = client.post(act_url(rep, "reject"), {"reason": " "})
        assert response.status_code == 400
        assert translated("Give the reason.") in response.content.decode()


def test_reject_form__with_reason__rejected_and_building_open_again(client, clerk, rep_estate):
    rep = representative_register(actor=clerk, representative=representative_nominate(
        actor=clerk, building=rep_estate.buildings[0], person=rep_estate.owner))
    client.force_login(clerk)
    assert client.post(act_url(rep, "reject"), {"reason": "登记表未签字"}).status_code == 302
    rep.refresh_from_db()
    assert (rep.status, rep.rejection_reason) == (S.REJECTED, "登记表未签字")
    assert shown_actions(client.get(board_url(rep_estate.estate)))["1幢"] == {"nominate"}


def test_step_form__wrong_state__400_unchanged(client, clerk, approved, nothing_written):
    client.force_login(clerk)
    with nothing_written():
        assert client.post(act_url(approved, "register")).status_code == 400


def test_step_form__unknown_step__404(client, clerk, approved):
    client.force_login(clerk)
    assert client.post(act_url(approved, "delete")).status_code == 404


def test_step_form__get__405(client, clerk, approved):
    client.force_login(clerk)
    assert client.get(act_url(approved, "approve")).status_code == 405


def test_step_form__out_of_scope__404_unchanged(client, outsider, approved, nothing_written):
    client.force_login(outsider)
    with nothing_written():
        assert client.post(act_url(approved, "withdraw"), {"reason": "x"}).status_code == 404


def test_publish_form__owners_committee_member__404_unchanged(client, approved, rep_estate, make_user, tree, nothing_written):
    client.force_login(make_user(RoleKind.OWNERS_COMMITTEE_MEMBER, tree.estate))
    with nothing_written():
        response = client.post(reverse("deliberation:representatives-publish"), {"estate": rep_estate.estate.pk})
        assert response.status_code == 404


def test_publish_form__none_approved__400(client, clerk, rep_estate):
    client.force_login(clerk)
    response = client.post(reverse("deliberation:representatives-publish"), {"estate": rep_estate.estate.pk})
    assert response.status_code == 400
    assert Notice.objects.count() == 0


def test_publish_form__out_of_scope__404(client, outsider, approved, rep_estate, nothing_written):
    client.force_login(outsider)
    with nothing_written():
        assert client.post(reverse("deliberation:representatives-publish"),
                           {"estate": rep_estate.estate.pk}).status_code == 404


def test_object_form__upheld__rejected(client, clerk, approved, rep_estate):
    with clock.frozen_at(timezone.make_aware(datetime.datetime(2025, 3, 1, 10, 0))):
        representatives_publish_notice(actor=clerk, estate=rep_estate.estate)
    client.force_login(clerk)
    assert client.post(act_url(approved, "object"), {"reason": "居民异议成立"}).status_code == 302
    approved.refresh_from_db()
    assert (approved.status, approved.rejection_reason) == (S.REJECTED, "居民异议成立")


# --- in a browser --------------------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_representatives_browser__clerk_nominates_registers_approves_publishes(viewport, browser, live_server, clerk,
                                                                              rep_estate, settings):
    from django.test import Client

    from tests.browser import ARTIFACTS, VIEWPORTS

    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    session = Client()
    session.force_login(clerk)
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": session.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(live_server.url + BOARD)
    with page.expect_navigation():
        page.locator(f"a[href='{board_url(rep_estate.estate)}']").click()
    row = page.locator(f"#building-{rep_estate.buildings[1].pk}")
    row.locator("select[name=person]").select_option(str(rep_estate.tenant.pk))
    with page.expect_navigation():
        row.locator("form[data-action=nominate] button").click()
    for step in ("register", "approve"):
        with page.expect_navigation():
            page.locator(f"#building-{rep_estate.buildings[1].pk} form[data-action={step}] button").click()
    with page.expect_navigation():
        page.locator("form[data-action=publish] button").click()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"deliberation-representatives-{viewport}.png", full_page=True)
    context.close()
    assert failed == []
    rep = Representative.objects.get()
    assert (rep.person, rep.status) == (rep_estate.tenant, S.NOTICED)
    assert Notice.objects.get().table[1:] == [["2幢", "周七"]]
