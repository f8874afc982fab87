"""A community worker in a real browser: the three-party offices, an office with a joint meeting, the party network
of an estate, setting a corridor branch's buildings. Screenshots (390 px phone and desktop) land in
test-artifacts/coordination-network-*.png; axe checks every page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from commonground.coordination.models import BranchBuilding
from commonground.coordination.services.network import branch_buildings_set
from tests.browser import ARTIFACTS, VIEWPORTS
from tests.coordination.network_fixtures import net_fixture  # noqa: F401  (fixture)
from tests.coordination.test_offices_pages import joint_meeting

pytestmark = [pytest.mark.browser]


@pytest.fixture
def live_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_community_worker__offices_network_branch_buildings(browser, live_server, live_static, net, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    joint_meeting(net, net.tree.community, net.offices["community"], "竹竿巷小区三方联席会议")
    branch_buildings_set(actor=net.users["community"], branch=net.branch, buildings=[net.tree.building])
    client = Client()
    client.force_login(net.users["community"])
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 500 else None)

    def shot(name: str) -> None:
        page.screenshot(path=ARTIFACTS / f"coordination-network-{name}-{viewport}.png", full_page=True)

    page.goto(f"{live_server.url}/coordination/offices/")
    expect(page.locator("main")).to_contain_text("王建国")
    shot("offices")
    with page.expect_navigation():
        page.get_by_role("link", name="竹竿巷社区三方办").click()
    expect(page.locator("main")).to_contain_text("竹竿巷小区三方联席会议")
    shot("office")
    page.goto(f"{live_server.url}/coordination/network/?place={net.tree.estate.code}")
    expect(page.locator("main")).to_contain_text("1幢1单元楼道党支部")
    shot("estate")
    with page.expect_navigation():
        page.locator("[data-action=branch-buildings]").click()
    page.get_by_label("2幢").check()
    with page.expect_navigation():
        page.locator("[data-action=save-buildings]").click()
    expect(page.locator("main")).to_contain_text("1幢、2幢")
    page.goto(f"{live_server.url}/coordination/network/")
    shot("community")
    assert set(BranchBuilding.objects.values_list("building__name", flat=True)) == {"1幢", "2幢"}
    assert failed == []
    context.close()
