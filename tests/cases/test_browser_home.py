"""A community worker opens the home on a phone and at a desk, sees what is overdue in their community and
follows the tile to the queue filtered to exactly those cases.

Screenshots land in test-artifacts/home-worker-*.png.
"""

from __future__ import annotations

import pytest

from commonground.cases.models import Case
from commonground.cases.services.tallies import tallies_rebuild
from commonground.cases.services.workflow import case_accept, case_dispatch
from tests.browser import ARTIFACTS

from .conftest import at, frozen
from .test_browser_cases import Actor, live_static  # noqa: F401  (fixture)
from .test_selectors import dispatched, report

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_home__worker_clicks_overdue__lands_on_the_filtered_queue(browser, live_server, live_static,  # noqa: F811
                                                                  located, categories, people, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    late = dispatched(located, people, categories["rubbish"], at(2024, 9, 16, 9, 0))
    with frozen(at(2024, 9, 17, 9, 0)):
        other = report(located, people, categories["rubbish"], place=located.neighbour_estate,
                       reporter="neighbour_resident")
        case_accept(case=other, actor=people["neighbour_worker"])
        case_dispatch(case=other, actor=people["neighbour_worker"])
    Case.objects.filter(pk__in=[late.pk, other.pk]).update(is_overdue=True)
    tallies_rebuild()  # the update above went past the services that keep the counts
    report(located, people, categories["rubbish"])  # one to accept, not overdue
    failed: list[str] = []
    worker = Actor(browser, live_server, people["worker"], viewport, failed)
    page = worker.page
    page.goto(f"{live_server.url}/")
    tile = page.locator("[data-card='cases.overdue']")
    assert tile.locator("strong").inner_text().strip() == "1"
    assert page.locator("[data-card='cases.to-accept'] strong").inner_text().strip() == "1"
    page.screenshot(path=ARTIFACTS / f"home-worker-{viewport}.png", full_page=True)

    with page.expect_navigation():
        tile.locator("a").click()
    assert page.url.endswith("/cases/?overdue=on")
    assert page.locator("input[name=overdue]").is_checked()
    rows = page.locator("#case-results").inner_text()
    assert late.number in rows and other.number not in rows
    page.screenshot(path=ARTIFACTS / f"home-worker-overdue-{viewport}.png", full_page=True)
    worker.close()
    assert failed == []
