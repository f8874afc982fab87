"""An owner reads a closed vote's result on a phone and at a desk: bars of who took part against the 2/3 quorum
and who agreed against the majority, drawn to their shares.

Screenshots land in test-artifacts/deliberation-result-bars-*.png.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.browser import ARTIFACTS, VIEWPORTS

pytestmark = pytest.mark.browser


@pytest.fixture
def live_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_result_bars__owner__bars_drawn_to_the_shares(browser, live_server, live_static, closed_decision, owner_user,
                                                      viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    client = Client()
    client.force_login(owner_user)
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: failed.append(m.text) if m.type == "error" else None)

    page.goto(f"{live_server.url}/deliberation/votes/{closed_decision.pk}/result/")

    heads = page.locator("[data-measure=agree-heads]")
    fill = heads.locator(".turnout-fill")
    assert fill.evaluate("e => e.style.width") == "71.43%"
    bar = heads.locator(".turnout-bar").bounding_box()
    assert abs(fill.bounding_box()["width"] / bar["width"] - 0.7143) < 0.01
    mark = heads.locator(".turnout-mark").bounding_box()
    assert abs((mark["x"] - bar["x"]) / bar["width"] - 0.5) < 0.01  # more than half, for matter 5
    quorum = page.locator("[data-measure=quorum-heads] .turnout-mark").bounding_box()
    assert abs((quorum["x"] - bar["x"]) / bar["width"] - 2 / 3) < 0.01
    assert page.locator("[data-measure] .share-bar-status.met").count() >= 3
    assert bar["width"] <= VIEWPORTS[viewport]["width"]  # nothing wider than the screen
    page.screenshot(path=ARTIFACTS / f"deliberation-result-bars-{viewport}.png", full_page=True)
    context.close()
    assert failed == []
