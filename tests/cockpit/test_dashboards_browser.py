"""A street officer in a real browser: opens the cockpit of their street, sees its charts, opens the map, sees the
layers drawn and opens a case from its dot on the map.

Screenshots (desktop 1440×900 and phone 390×844) land in test-artifacts/cockpit-*.png.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.browser import ARTIFACTS, VIEWPORTS

pytestmark = [pytest.mark.browser]


@pytest.fixture
def live_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_street_officer__cockpit_charts_map_layer_record(browser, live_server, live_static, dash, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    failed: list[str] = []
    client = Client()
    client.force_login(dash.signals.staff)
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
            if r.status >= 500 or (r.status >= 400 and "/static/" in r.url) else None)

    page.goto(f"{live_server.url}/cockpit/")
    expect(page.locator("[data-figure=open]")).to_have_text("2")
    expect(page.locator('[data-chart="cases-stages"] svg')).to_be_visible()
    expect(page.locator('[data-chart="signals-days"] svg')).to_be_visible()
    page.screenshot(path=ARTIFACTS / f"cockpit-dashboard-{viewport}.png", full_page=True)

    page.goto(f"{live_server.url}/cockpit/map/")
    expect(page.locator('[data-layer-count="cases"]')).to_have_text("2")
    expect(page.locator('[data-layer-count="sensors"]')).to_have_text("2")
    for layer in ("sensors", "warnings", "offices", "areas"):
        page.locator(f'[data-layer="{layer}"]').uncheck()
    page.screenshot(path=ARTIFACTS / f"cockpit-map-{viewport}.png", full_page=True)
    page.locator("#cockpit-map path.leaflet-interactive").first.click(force=True)
    link = page.locator(".leaflet-popup-content a")
    expect(link).to_be_visible()
    with page.expect_navigation():
        link.click()
    assert "/cases/" in page.url
    assert any(case.number in page.url for case in dash.cases)
    context.close()
    assert not failed, failed


def test_big_screen__1920_by_1080__figures_chart_and_map(browser, live_server, live_static, dash):
    ARTIFACTS.mkdir(exist_ok=True)
    client = Client()
    client.force_login(dash.signals.staff)
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    page.goto(f"{live_server.url}/cockpit/screen/")
    expect(page.locator("[data-figure=warnings]")).to_have_text("1")
    expect(page.locator('[data-chart="signals-days"] svg')).to_be_visible()
    expect(page.locator('[data-layer-count="cases"]')).to_have_text("2")
    page.screenshot(path=ARTIFACTS / "cockpit-screen-1920.png")
    context.close()


def test_scene__street_officer__buildings_drawn_in_3d_and_opened(browser, live_server, live_static, dash):
    """WebGL (SwiftShader in headless Chromium): ECharts GL draws the two buildings with a footprint, without a
    script error; the table beside it opens the busiest building."""
    from .test_scene import shaped

    shaped(dash.signals.tree.building, 6)
    shaped(dash.business.office, 30)
    ARTIFACTS.mkdir(exist_ok=True)
    client = Client()
    client.force_login(dash.signals.staff)
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/cockpit/3d/")
    expect(page.locator("#cockpit-scene[data-ready='2'] canvas").first).to_be_visible()
    assert page.evaluate("window.cgScene.getOption().series[0].data.length") == 2
    assert page.evaluate("!!document.createElement('canvas').getContext('webgl')")
    page.wait_for_timeout(500)  # the first frames
    page.screenshot(path=ARTIFACTS / "cockpit-3d-desktop.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("link", name=dash.signals.tree.building.name).first.click()
    assert page.url.endswith(f"/places/{dash.signals.tree.building.code}/")
    context.close()
    assert not errors, errors
