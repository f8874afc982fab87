"""An owner votes on a phone and later checks in the published result that their ballot was counted.

Screenshots land in test-artifacts/deliberation-owner-*.png.
"""

from __future__ import annotations

import datetime

import pytest

from commonground.core import clock
from commonground.deliberation.models import Ballot, VoteStatus
from commonground.deliberation.services.votes import vote_close
from tests.browser import ARTIFACTS, VIEWPORTS

pytestmark = pytest.mark.browser


@pytest.fixture
def live_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def test_owner_vote__phone__cast_then_find_receipt_in_result(browser, live_server, live_static, open_vote, owner_user,
                                                              clerk):
    ARTIFACTS.mkdir(exist_ok=True)
    vote = open_vote()
    base = live_server.url
    failed: list[str] = []
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN")
    page = context.new_page()
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 500
            or (r.status >= 400 and "/static/" in r.url) else None)

    def shot(name: str) -> None:
        page.screenshot(path=ARTIFACTS / f"deliberation-owner-{name}.png", full_page=True)

    page.goto(f"{base}/deliberation/votes/mine/")  # not logged in: the login page, then back here
    page.fill("input[name=username]", owner_user.username)
    page.fill("input[name=password]", "pw-test-123")
    with page.expect_navigation():
        page.click(".login-box button[type=submit]")
    assert page.url == f"{base}/deliberation/votes/mine/"
    card = page.locator(f"li[data-vote='{vote.pk}']")
    assert card.get_attribute("data-phase") == "open"
    shot("my-votes")

    with page.expect_navigation():
        card.locator(".vote-card-head a").click()
    assert page.locator("[data-threshold]").get_attribute("data-threshold") == "more_than_half"
    assert page.locator(".threshold-text").inner_text().strip() != ""
    shot("vote")

    page.locator("label.choice-agree").click()
    assert page.locator("input[name=choice][value=agree]").is_checked()
    with page.expect_navigation():
        page.click("form.owner-ballot-form button[type=submit]")
    ballot = Ballot.objects.get(vote=vote)
    assert ballot.choice == "agree"
    receipt = page.locator(".receipt-code").inner_text().strip()
    assert receipt == ballot.receipt_code
    shot("receipt")

    with clock.frozen_at(vote.closes_at + datetime.timedelta(minutes=1)):
        vote = vote_close(actor=clerk, vote=vote)
    assert vote.status == VoteStatus.CLOSED
    page.goto(f"{base}/deliberation/votes/mine/")
    with page.expect_navigation():
        page.locator(f"li[data-vote='{vote.pk}'] .vote-card-outcome a").click()
    assert page.locator("[data-outcome]").get_attribute("data-outcome") == "no_quorum"
    page.fill("#receipt-input", receipt.lower())
    with page.expect_navigation():
        page.click("form.receipt-search button[type=submit]")
    found = page.locator(".receipt-found")
    assert found.get_attribute("data-found") == "yes"
    assert receipt in found.inner_text()
    shot("result")
    context.close()
    assert failed == []
