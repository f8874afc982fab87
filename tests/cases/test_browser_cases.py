"""The whole case loop in a real browser: a resident files a case with a pin on the map, a community
worker accepts and dispatches it, the grid worker reports it done, another community worker checks
and closes it, and the resident rates it five stars.

Screenshots (phone 390×844 and desktop 1440×900) land in test-artifacts/cases-*.png.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from commonground.cases.models import Case, Stage
from tests.browser import ARTIFACTS, VIEWPORTS

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00"
       b"\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")

pytestmark = pytest.mark.browser


@pytest.fixture
def live_static(settings, tmp_path):
    """Static files from the apps (no collectstatic); uploads into a temporary folder."""
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.MEDIA_ROOT = tmp_path / "media"


class Actor:
    """One person's browser tab, logged in through a session cookie."""

    def __init__(self, browser, live_server, user, viewport: str, failed: list[str]) -> None:
        client = Client()
        client.force_login(user)
        self.context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
        self.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                                   "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
        self.page = self.context.new_page()
        # server errors anywhere, and missing assets (a refused form answers 400 on purpose)
        self.page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
                     if r.status >= 500 or (r.status >= 400 and "/static/" in r.url) else None)
        self.viewport = viewport

    def shot(self, name: str) -> None:
        self.page.screenshot(path=ARTIFACTS / f"cases-{name}-{self.viewport}.png", full_page=True)

    def act(self, action: str, **fields: str) -> None:
        """Open the action's panel if folded, fill its fields, submit, and wait for the page to come back."""
        panel = self.page.locator(f"details[data-action={action}]")
        if panel.get_attribute("open") is None:
            panel.locator("summary").click()
        for name, value in fields.items():
            panel.locator(f"[name='{action}-{name}']").fill(value)
        with self.page.expect_navigation():
            panel.locator("button[type=submit]").click()

    def close(self) -> None:
        self.context.close()


def stage_of(number: str) -> str:
    return Case.objects.values_list("stage", flat=True).get(number=number)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_case_loop__pin_dispatch_handle_close_rate(browser, live_server, live_static, located, categories, people,
                                                    viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    failed: list[str] = []
    base = live_server.url

    resident = Actor(browser, live_server, people["resident"], viewport, failed)
    page = resident.page
    page.goto(f"{base}/cases/report/")
    with page.expect_navigation():
        page.click("form.case-report button[type=submit]")  # nothing filled in: every error at its field
    assert page.locator(".form-alert").count() == 1
    assert page.locator(".errorlist").count() == 3  # category, description, location
    resident.shot("report-errors")
    page.select_option("select[name=category]", str(categories["lift"].pk))  # htmx brings its questions
    page.wait_for_selector("[data-question=lift_number]")
    page.select_option("select[name=category]", str(categories["rubbish"].pk))
    page.wait_for_selector("[data-question]", state="detached")
    page.fill("textarea[name=description]", "小区东门垃圾桶满了，垃圾堆在地上三天没人清理")
    page.wait_for_selector("#pin-map .leaflet-interactive")
    box = page.locator("#pin-map").bounding_box()
    page.locator("#pin-map").click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    expect(page.locator("#id_latitude")).not_to_have_value("")
    assert page.locator("#pin-map .leaflet-marker-icon").count() == 1
    page.set_input_files("input[name=photos]", files=[{"name": "rubbish.png", "mimeType": "image/png",
                                                       "buffer": PNG}])
    resident.shot("report")
    with page.expect_navigation():
        page.click("form.case-report button[type=submit]")
    number = page.locator(".case-number").inner_text().strip()
    case = Case.objects.get(number=number)
    assert (case.reporter, case.stage) == (people["resident"], Stage.COLLECT)
    assert case.place in (located.estate, located.building)  # the place nearest the pin
    assert case.latitude is not None and case.attachments.count() == 1
    expect(page.locator(".photos img").first).to_have_js_property("complete", True)
    resident.shot("reported")

    worker = Actor(browser, live_server, people["worker"], viewport, failed)
    worker.page.goto(f"{base}/cases/")
    assert number in worker.page.locator("#case-results").inner_text()
    worker.shot("queue")
    with worker.page.expect_navigation():
        worker.page.click(f"tr[data-number='{number}'] a.case-title")  # the row leads with what and where
    worker.act("accept", note="现场核实属实")
    assert stage_of(number) == Stage.CREATE
    worker.shot("accepted")
    worker.act("dispatch")
    assert stage_of(number) == Stage.DISPATCH
    worker.page.goto(f"{base}/cases/map/")
    worker.page.wait_for_selector("#cases-map[data-loaded='1']")
    worker.shot("map")
    worker.close()

    handler = Actor(browser, live_server, people["grid"], viewport, failed)
    handler.page.goto(f"{base}/cases/notifications/")
    assert number in handler.page.locator("ul.notifications").inner_text()
    assert handler.page.locator(".bell-count").inner_text() == "1"
    handler.shot("notifications")
    with handler.page.expect_navigation():
        handler.page.click("ul.notifications .notification-open >> nth=0")
    assert handler.page.locator(".bell-count").count() == 0  # opening it marked it read
    handler.act("feedback", note="已通知保洁清运，地面已冲洗")
    assert stage_of(number) == Stage.FEEDBACK
    handler.shot("feedback")
    handler.close()

    checker = Actor(browser, live_server, people["checker"], viewport, failed)
    checker.page.goto(f"{base}/cases/{number}/")
    checker.act("verify", note="现场复核干净")
    assert stage_of(number) == Stage.CLOSED
    checker.shot("closed")
    checker.page.goto(f"{base}/cases/figures/")
    checker.page.wait_for_selector("#level-chart svg")
    checker.shot("figures")
    checker.close()

    page.goto(f"{base}/cases/mine/")
    resident.shot("mine")
    page.click(".rate-button")
    panel = page.locator("details[data-action=rate]")
    panel.locator("label[for$='_5']").click()
    panel.locator("[name='rate-comment']").fill("处理很快，谢谢")
    resident.shot("rate")
    with page.expect_navigation():
        panel.locator("button[type=submit]").click()
    case.refresh_from_db()
    assert (case.stage, case.rating) == (Stage.EVALUATED, 5)
    assert page.locator(".case-badges .rating").inner_text() == "★★★★★"
    resident.shot("rated")
    resident.close()

    assert [e.action for e in case.events.all()] == ["reported", "accepted", "dispatched", "feedback", "closed",
                                                     "rated"]
    assert failed == []
