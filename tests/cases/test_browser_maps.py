"""The maps in a real browser, phone and desktop: the case map's areas, clusters, legend and keyboard list,
and the report form's pin step naming the place under the pin. No console error, no policy violation.

Screenshots land in test-artifacts/maps-*.png.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from commonground.cases.models import Case
from commonground.cases.services.intake import case_report
from commonground.cases.services.tallies import tallies_rebuild
from commonground.core.models import Place
from tests.browser import ARTIFACTS, VIEWPORTS
from tests.web.test_browser_csp import Tab

pytestmark = pytest.mark.browser

# Five cases around the estate's building, close enough to cluster; one elsewhere in the community.
PINS = [("30.280100", "120.160100"), ("30.280150", "120.160050"), ("30.280050", "120.160200"),
        ("30.280200", "120.160150"), ("30.279950", "120.160000"), ("30.277000", "120.156500")]


def square(west: float, south: float, east: float, north: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north],
                                                [west, south]]]}


@pytest.fixture
def live_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture
def mapped(located, categories, people):
    """The tree with nested outlines and six open cases, the first two overdue."""
    tree = located
    outlines = {
        tree.district.pk: square(120.10, 30.25, 120.20, 30.35), tree.street.pk: square(120.14, 30.27, 120.18, 30.30),
        tree.community.pk: square(120.155, 30.275, 120.165, 30.295),
        tree.estate.pk: square(120.1590, 30.2790, 120.1615, 30.2812),
        tree.neighbour_estate.pk: square(120.1590, 30.2890, 120.1610, 30.2910),
    }
    for pk, outline in outlines.items():
        Place.objects.filter(pk=pk).update(outline=outline)
    for lat, lng in PINS:
        case_report(actor=people["resident"], category=categories["rubbish"], description="垃圾堆在楼道口三天了",
                    latitude=Decimal(lat), longitude=Decimal(lng))
    Case.objects.filter(pk__in=Case.objects.order_by("pk").values("pk")[:2]).update(is_overdue=True)
    tallies_rebuild()  # the update above went past the services that keep the counts
    return tree


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_case_map__clusters_legend_and_a_keyboard_list(browser, live_server, live_static, mapped, people, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    tab = Tab(browser, live_server, people["worker"])
    page = tab.page
    page.set_viewport_size(VIEWPORTS[viewport])
    tab.visit("/cases/map/")
    expect(page.locator("#cases-map")).to_have_attribute("data-loaded", str(len(PINS)))
    # the community and its estates outlined and named; the cases near the building in one cluster
    expect(page.locator("#cases-map .area-label", has_text=mapped.community.name)).to_have_count(1)
    cluster = page.locator("#cases-map .case-cluster")
    expect(cluster).to_have_count(1)
    assert cluster.inner_text().strip().startswith("5")
    assert cluster.get_attribute("role") == "button" and cluster.get_attribute("tabindex") == "0"
    assert "has-overdue" in cluster.get_attribute("class")
    legend = page.locator(".legend").inner_text()
    assert "超期" in legend and "处置" in legend and mapped.community.name not in legend
    page.screenshot(path=ARTIFACTS / f"maps-cases-{viewport}.png", full_page=True)

    # the list: overdue first; Enter on one opens its marker's popup (the cluster zooms open) and focuses its link
    buttons = page.locator("#cases-map-list button")
    expect(buttons).to_have_count(len(PINS))
    first = Case.objects.order_by("pk").first()
    assert buttons.first.inner_text().startswith(first.number) or buttons.nth(1).inner_text().startswith(first.number)
    buttons.first.focus()
    page.keyboard.press("Enter")
    popup = page.locator("#cases-map .leaflet-popup")
    expect(popup).to_be_visible()
    number = buttons.first.inner_text().split(" ")[0]
    expect(popup.locator("a", has_text=number)).to_be_focused()
    assert page.locator("#cases-map .leaflet-popup-close-button").get_attribute("aria-label") == "关闭"
    page.screenshot(path=ARTIFACTS / f"maps-cases-popup-{viewport}.png", full_page=False)

    # the markers themselves are buttons with a name, reached by Tab
    marker = page.locator("#cases-map .case-marker").first
    assert marker.get_attribute("tabindex") == "0" and marker.get_attribute("title")
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "放大"
    assert tab.close() == []


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_report_pin__names_the_place_under_the_pin(browser, live_server, live_static, mapped, people, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    tab = Tab(browser, live_server, people["resident"])
    page = tab.page
    page.set_viewport_size(VIEWPORTS[viewport])
    tab.visit("/cases/report/")
    page.wait_for_selector("#pin-map .leaflet-interactive")
    expect(page.locator("#pin-map .place-label", has_text="1幢")).to_be_visible()  # buildings are labelled
    expect(page.locator("#pin-map .area-label", has_text=mapped.estate.name)).to_be_visible()
    box = page.locator("#pin-map").bounding_box()
    page.locator("#pin-map").click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    status = page.locator("#pin-status")
    expect(status).to_contain_text(f"{mapped.estate.name} 1幢")
    expect(status).to_contain_text(mapped.community.name)
    assert "30.28" not in status.inner_text()
    page.locator("#pin-status").scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / f"maps-pin-{viewport}.png", full_page=True)
    assert tab.close() == []
