"""The public board in a real browser: a passer-by scans the corridor's QR code, reads the estate's board and a
notice without logging in and prints it; an owner reads the community's notice and opens its 红茶议事会.

Screenshots (phone 390×844 and desktop) land in test-artifacts/gongshi-*.png, the printed page in
test-artifacts/gongshi-print-*.pdf.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from commonground.core.clock import today
from commonground.deliberation.models import NoticeKind
from commonground.deliberation.services.meetings import meeting_publish_notice
from commonground.deliberation.services.notices import notice_publish
from tests.browser import ARTIFACTS, VIEWPORTS

pytestmark = pytest.mark.browser


@pytest.fixture
def live_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def watch(page) -> list[str]:
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
            if r.status >= 500 or (r.status >= 400 and "/static/" in r.url) else None)
    page.on("console", lambda m: failed.append(m.text) if "Content Security Policy" in m.text else None)
    return failed


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_public_board__visitor__reads_and_prints_a_notice(browser, live_server, live_static, clerk, tree, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    notice = notice_publish(
        actor=clerk, place=tree.estate, kind=NoticeKind.REPRESENTATIVES, title="竹竿巷小区更新代表公示",
        body="以下居民经所在楼幢推选并通过联合审查，拟任居民自愿有机更新委员会成员。\n\n公示期内如有异议，请向社区反映。",
        table=[["楼幢", "代表"], ["1幢", "张三"], ["2幢", "李四"]], posted_on=today(), issuer="竹竿巷社区居民委员会")
    notice_publish(actor=clerk, place=tree.estate, kind=NoticeKind.OTHER, title="仅限居民的通知", body="内部",
                   posted_on=today())
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    page = context.new_page()
    failed = watch(page)

    page.goto(f"{live_server.url}/gongshi/{tree.estate.code}/")
    assert page.locator("h1").inner_text() == "竹竿巷小区公示栏"
    assert page.locator(".notice-card").count() == 1
    assert page.locator(".board-qr img").evaluate("img => img.naturalWidth") > 0
    page.screenshot(path=ARTIFACTS / f"gongshi-board-{viewport}.png", full_page=True)

    page.click(f"[data-notice='{notice.pk}'] a >> nth=0")
    page.wait_for_url(f"**/gongshi/{tree.estate.code}/{notice.pk}/")
    assert page.locator(".notice-issuer").inner_text().startswith("竹竿巷社区居民委员会")
    assert page.locator(".notice-qr img").evaluate("img => img.naturalWidth") > 0
    page.screenshot(path=ARTIFACTS / f"gongshi-notice-{viewport}.png", full_page=True)

    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("[data-print]").is_visible()
    assert page.locator(".notice-qr img").is_visible()
    page.screenshot(path=ARTIFACTS / f"gongshi-notice-print-{viewport}.png", full_page=True)
    page.pdf(path=ARTIFACTS / f"gongshi-print-{viewport}.pdf", format="A4", prefer_css_page_size=True)
    assert failed == []
    context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_notices__owner__community_notice_and_its_meeting(browser, live_server, live_static, plan_meeting,
                                                         meeting_world, owner_user, viewport):
    meeting = plan_meeting()
    notice = meeting_publish_notice(actor=meeting_world.worker, meeting=meeting, public=True)
    client = Client()
    client.force_login(owner_user)
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    failed = watch(page)

    page.goto(f"{live_server.url}/deliberation/notices/")
    card = page.locator(f"[data-notice='{notice.pk}']")
    assert card.locator("[data-public]").is_visible()
    card.locator("a >> nth=0").click()
    page.wait_for_url(f"**/deliberation/notices/{notice.pk}/")
    assert page.locator("[data-public]").is_visible()
    page.screenshot(path=ARTIFACTS / f"gongshi-owner-notice-{viewport}.png", full_page=True)
    page.goto(f"{live_server.url}/deliberation/meetings/{meeting.pk}/")
    assert page.locator("h1").inner_text() == meeting.title
    assert failed == []
    context.close()
