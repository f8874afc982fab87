"""In a real browser, phone and desktop: a street clerk narrows the queue by place through the suggesting box (the
datalist fills on focus and as they type), the results follow and the box's chosen place is named.

Screenshots land in test-artifacts/cases-place-picker-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from commonground.cases.services.intake import case_report
from tests.browser import ARTIFACTS, VIEWPORTS

from .test_browser_cases import Actor, live_static  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_queue__place_picked_from_suggestions__results_and_name_follow(browser, live_server, live_static,  # noqa: F811
                                                                       located, categories, people, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    failed: list[str] = []
    case_report(actor=people["resident"], category=categories["rubbish"], place=located.estate,
                description="东门垃圾桶满了，垃圾堆在地上三天没人清理")
    theirs = case_report(actor=people["neighbour_resident"], category=categories["rubbish"],
                         place=located.neighbour_estate, description="小区路灯已经不亮一周了")
    clerk = Actor(browser, live_server, people["street"], viewport, failed)
    page = clerk.page
    page.goto(f"{live_server.url}/cases/?scope=all")
    rows = page.locator("#case-results tr[data-number]")
    expect(rows).to_have_count(2)
    options = page.locator("#queue-place-options option")
    expect(options).to_have_count(0)

    box = page.locator("#id_place")
    box.focus()  # the first suggestions come with the focus
    expect(options).to_have_count(5)
    box.fill("龙游")
    expect(options).to_have_count(2)
    expect(options.first).to_have_attribute("value", located.neighbour.code)
    expect(options.first).to_have_text("龙游社区 · 武林街道")

    box.fill(located.neighbour.code)  # what picking the suggestion puts in the box
    box.press("Tab")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-number", theirs.number)
    expect(page.locator("#queue-place-name")).to_have_text("龙游社区")
    assert f"place={located.neighbour.code}" in page.url and "suggest" not in page.url
    clerk.page.screenshot(path=ARTIFACTS / f"cases-place-picker-{viewport}.png", full_page=True)

    box.fill("no-such-place")
    box.press("Tab")
    expect(rows).to_have_count(0)
    expect(page.locator("#queue-place-name")).not_to_be_empty()
    clerk.close()
    assert failed == []
