"""A street officer in a real browser: the warnings list, a warning with its evidence chart, turning it into a case
and seeing the case. Screenshots (390 px phone and desktop) land in test-artifacts/cockpit-warning-*.png; axe
checks every page (tests/browser.py)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from commonground.cases.models import Case
from tests.browser import ARTIFACTS, VIEWPORTS

pytestmark = [pytest.mark.browser]


@pytest.fixture
def live_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_street_officer__opens_a_warning_turns_it_into_a_case(browser, live_server, live_static, warnings, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    client = Client()
    client.force_login(warnings.s.staff)
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 500 else None)

    def shot(name: str) -> None:
        page.screenshot(path=ARTIFACTS / f"cockpit-warning-{name}-{viewport}.png", full_page=True)

    page.goto(f"{live_server.url}/cockpit/warnings/")
    expect(page.locator("main")).to_contain_text(warnings.alert.title)
    expect(page.locator("main")).not_to_contain_text(warnings.far_alert.title)
    shot("list")
    with page.expect_navigation():
        page.get_by_role("link", name=warnings.alert.title).click()
    expect(page.locator("#warning-chart svg")).to_have_count(1)
    shot("detail")
    with page.expect_navigation():
        page.locator("[data-action=to-case]").click()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    case = Case.objects.get()
    expect(page.locator("main")).to_contain_text(case.number)
    shot("case")
    assert failed == []
