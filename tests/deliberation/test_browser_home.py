"""An owner opens the home, finds the open vote as a card with 立即投票 and reaches the ballot, on a phone and
at a desk. Screenshots land in test-artifacts/home-owner-*.png."""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, VIEWPORTS

from .test_browser_owner_vote import live_static  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_home__owner_sees_vote_now__reaches_the_ballot(browser, live_server, live_static, open_vote,  # noqa: F811
                                                       owner_user, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    vote = open_vote()
    failed: list[str] = []
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    page = context.new_page()
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 500
            or (r.status >= 400 and "/static/" in r.url) else None)

    page.goto(f"{live_server.url}/")  # the login page, then the home
    page.fill("input[name=username]", owner_user.username)
    page.fill("input[name=password]", "pw-test-123")
    with page.expect_navigation():
        page.click(".login-box button[type=submit]")
    card = page.locator(f"[data-card='deliberation.vote-{vote.pk}']")
    assert card.locator("h2").inner_text().strip() == vote.title
    button = card.locator("a.work-now-action")
    assert button.inner_text().strip() == "立即投票"
    assert button.is_visible()
    page.screenshot(path=ARTIFACTS / f"home-owner-{viewport}.png", full_page=True)

    with page.expect_navigation():
        button.click()
    assert page.url == f"{live_server.url}/deliberation/votes/{vote.pk}/"
    assert page.locator("form.owner-ballot-form").is_visible()
    page.screenshot(path=ARTIFACTS / f"home-owner-ballot-{viewport}.png", full_page=True)
    context.close()
    assert failed == []
