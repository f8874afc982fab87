"""A community worker in a real browser: log in, see their community, nothing of the neighbour's.

Screenshots (phone 390×844 and desktop 1440×900) land in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from commonground.core.models import RoleKind
from tests.browser import ARTIFACTS, VIEWPORTS

pytestmark = pytest.mark.browser


@pytest.fixture
def live_static(settings):
    """The live server serves static files from the apps (no collectstatic, no manifest)."""
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_community_worker__logs_in_and_sees_only_own_community(browser, live_server, live_static, tree, make_user,
                                                                 viewport):
    user = make_user(RoleKind.COMMUNITY_WORKER, tree.community, is_staff=True)
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    page = context.new_page()
    failed_assets: list[str] = []
    page.on("response", lambda r: failed_assets.append(r.url) if "/static/" in r.url and r.status >= 400 else None)
    try:
        page.goto(f"{live_server.url}/")
        assert page.url == f"{live_server.url}/login/?next=/"
        page.screenshot(path=ARTIFACTS / f"login-{viewport}.png", full_page=True)
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", "pw-test-123")
        page.click(".login-box button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        assert page.locator("h1").inner_text().startswith(("Hello", "你好"))
        page.screenshot(path=ARTIFACTS / f"home-{viewport}.png", full_page=True)
        page.goto(f"{live_server.url}/me/")  # "我能做什么": the roles, each linked to its place
        assert page.get_by_role("link", name=tree.community.name).count() == 1

        page.get_by_role("link", name=tree.community.name).first.click()
        page.wait_for_url(f"{live_server.url}/places/{tree.community.code}/")
        assert page.locator("h1").inner_text() == tree.community.name
        assert page.get_by_role("link", name=tree.estate.name).count() == 1
        page.wait_for_selector("#place-map .leaflet-interactive")
        page.screenshot(path=ARTIFACTS / f"place-{viewport}.png", full_page=True)

        response = page.goto(f"{live_server.url}/places/{tree.neighbour.code}/")
        assert response.status == 404
        page.screenshot(path=ARTIFACTS / f"not-found-{viewport}.png", full_page=True)

        page.goto(f"{live_server.url}/places/")
        listing = page.locator("#place-results").inner_text()
        assert tree.community.name in listing and tree.estate.name in listing
        assert tree.neighbour.name not in listing and tree.neighbour_estate.name not in listing
        page.screenshot(path=ARTIFACTS / f"places-{viewport}.png", full_page=True)
        page.fill("input[name=q]", "小区")  # htmx swaps the results in as one types
        expect(page.locator("#place-results tbody tr")).to_have_count(1)
        assert page.locator("#place-results tbody td a").all_inner_texts() == [tree.estate.name]
        assert "q=%E5%B0%8F%E5%8C%BA" in page.url  # pushed, so the back button and a shared link work

        page.goto(f"{live_server.url}/people/{tree.owner.pk}/")
        assert page.locator("[data-field=id_number]").inner_text() == tree.owner.id_number
        page.screenshot(path=ARTIFACTS / f"person-{viewport}.png", full_page=True)
        assert failed_assets == []
    finally:
        context.close()
