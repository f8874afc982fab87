"""A household rates its property company on a phone, then the street clerk closes the round and reads the ranking
in a real browser. Screenshots land in test-artifacts/evaluation-*.png."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from commonground.cases.models import Case
from commonground.coordination.models import Response, RoundStatus
from commonground.coordination.services.evaluation import response_submit
from commonground.core.clock import frozen_at
from tests.browser import ARTIFACTS, VIEWPORTS

from .evaluation_fixtures import OPEN_DAY, answers

pytestmark = [pytest.mark.browser]


@pytest.fixture
def live_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def _page(browser, live_server, user, viewport, failed):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
            if r.status >= 500 or (r.status >= 400 and "/static/" in r.url) else None)
    return context, page


def test_resident_answers_on_phone__clerk_closes__ranking_and_supervision(browser, live_server, live_static,
                                                                           evaluation):
    ARTIFACTS.mkdir(exist_ok=True)
    ev = evaluation
    with frozen_at(OPEN_DAY):
        response_submit(actor=ev.residents[4], round=ev.round, household=ev.households[4], answers=answers(2, 1))
    failed: list[str] = []

    context, page = _page(browser, live_server, ev.residents[0], "phone", failed)
    page.goto(f"{live_server.url}/")
    page.screenshot(path=ARTIFACTS / "evaluation-home-phone.png", full_page=True)
    with page.expect_navigation():
        page.locator(f"a[href='/coordination/evaluations/{ev.round.pk}/answer/']").first.click()
    choice = page.locator("[data-question=cleaning] label.eval-choice").first
    page.locator("[data-question=cleaning] input[value='4']").check()
    page.locator("[data-question=repairs] input[value='5']").check()
    page.screenshot(path=ARTIFACTS / "evaluation-answer-phone.png", full_page=True)
    box = choice.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300  # a whole row to tap on a phone
    with page.expect_navigation():
        page.locator("[data-action=submit-evaluation]").click()
    assert sorted(Response.objects.get(household=ev.households[0]).answers.values_list("score", flat=True)) == [4, 5]
    context.close()

    context, page = _page(browser, live_server, ev.clerk, "desktop", failed)
    page.goto(f"{live_server.url}/coordination/evaluations/{ev.round.pk}/")
    with page.expect_navigation():
        page.locator("[data-action=close-round]").click()
    ev.round.refresh_from_db()
    assert ev.round.status == RoundStatus.CLOSED
    estates = page.locator("table[data-table=estates] tbody tr")
    expect(estates).to_have_count(2)
    expect(estates.nth(0)).to_contain_text("竹竿巷小区")
    expect(estates.nth(1)).to_contain_text("龙游小区")
    expect(page.locator("table[data-table=companies] tbody tr").nth(0)).to_contain_text("甲物业")
    page.wait_for_selector("#evaluation-chart svg")
    page.screenshot(path=ARTIFACTS / "evaluation-round-desktop.png", full_page=True)
    page.set_viewport_size(VIEWPORTS["phone"])
    page.screenshot(path=ARTIFACTS / "evaluation-round-phone.png", full_page=True)
    assert Case.objects.get().place == ev.neighbour_estate  # 龙游小区 scored 33.3
    assert failed == []
    context.close()
