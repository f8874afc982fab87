"""The figures page in a real browser, as a street lead uses it on a phone and at a desk: the charts draw, the
table behind each chart opens, a number leads to the list of its cases, the rankings reorder.

Screenshots land in test-artifacts/figures-*.png.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.browser import ARTIFACTS, VIEWPORTS

from .test_figures import months_of_cases  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def live_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.mark.usefixtures("months_of_cases")
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_figures__street_lead__charts_tables_and_links_to_the_cases(browser, live_server, live_static, located, people,
                                                                   viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    client = Client()
    client.force_login(people["street"])
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: failed.append(m.text) if m.type == "error" else None)

    page.goto(f"{live_server.url}/cases/figures/")
    for chart in ("trend", "community", "category", "level"):
        page.wait_for_selector(f"#{chart}-chart svg")
    assert page.locator("#street-chart").count() == 0  # one street: nothing to rank it against
    page.locator("[data-section=trend] summary").click()
    expect(page.locator("[data-table=trend] tr[data-month='2024-05'] a").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / f"figures-{viewport}.png", full_page=True)

    figure = page.locator("[data-table=community] tr >> nth=1").locator("a[data-count]").first
    count = int(figure.get_attribute("data-count"))
    with page.expect_navigation():
        figure.click()
    assert page.url.startswith(f"{live_server.url}/cases/?")
    assert page.locator("table.case-table tbody tr").count() == count
    expect(page.locator("[data-dates] .badge")).to_have_count(1)
    page.screenshot(path=ARTIFACTS / f"figures-queue-{viewport}.png", full_page=True)

    page.go_back()
    with page.expect_navigation():
        page.locator(".rank-order a[href*='rank=overdue']").click()
    first = page.locator("[data-table=community] tbody tr >> nth=0")
    assert first.get_attribute("data-place") == located.community.code  # 竹竿巷 has the overdue case
    context.close()
    assert failed == []
