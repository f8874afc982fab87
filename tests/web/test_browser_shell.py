"""The shell in a real browser, as a community worker on a phone and at a desk would use it: the bottom tab bar
and its "More" menu, the one menu for account and language, tab bars that scroll with a hint, a focus ring that
the keyboard moves. Screenshots land in test-artifacts/shell-*.png.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from playwright.sync_api import expect

from commonground.core.models import RoleKind
from commonground.programs.home import NAV as PROGRAMMES_NAV
from tests.browser import ARTIFACTS, VIEWPORTS

pytestmark = pytest.mark.browser

RING = """element => {
  const style = getComputedStyle(element);
  return { outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
           shadow: style.boxShadow !== "none", tag: element.tagName, text: element.textContent.trim() };
}"""


def signed_in(browser, live_server, user, viewport: str):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    return context, context.new_page()


@pytest.fixture
def worker(tree, make_user):
    """A community worker who may use the admin: eleven nav items, more than a phone's bar holds."""
    return make_user(RoleKind.COMMUNITY_WORKER, tree.community, is_staff=True)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_main_nav__phone_bottom_bar_with_more__desktop_top_row(browser, live_server, worker, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    context, page = signed_in(browser, live_server, worker, viewport)
    page.goto(f"{live_server.url}/")
    nav = page.get_by_role("navigation", name="主导航")
    box = nav.bounding_box()
    links = nav.locator(":scope > ul > li:not(.nav-more) > a")
    assert links.count() == 11
    more = nav.locator(".nav-more summary")
    if viewport == "phone":
        assert box["y"] + box["height"] == pytest.approx(VIEWPORTS["phone"]["height"], abs=1)  # at the bottom
        assert [link.inner_text() for link in links.all() if link.is_visible()] == ["首页", "地点", "事项办理", "议事协商"]
        expect(more).to_be_visible()
        page.screenshot(path=ARTIFACTS / "shell-nav-phone.png")
        more.click()
        panel = nav.locator(".nav-more .menu-panel")
        expect(panel).to_be_visible()
        with translation.override("zh-hans"):
            programmes = str(PROGRAMMES_NAV.label)
        assert panel.locator("a").all_inner_texts() == ["数字驾驶舱", "报表", "居民", "名册", "三方协同", programmes,
                                                        "后台管理"]
        boxes = [link.bounding_box() for link in panel.locator("a").all()]
        assert [box["y"] for box in boxes] == sorted(box["y"] for box in boxes) and boxes[0]["y"] < boxes[1]["y"]
        assert all(box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS["phone"]["width"] for box in boxes)
        page.screenshot(path=ARTIFACTS / "shell-nav-more-phone.png")
        page.keyboard.press("Escape")
        expect(panel).to_be_hidden()
        more.click()
        with page.expect_navigation():
            panel.get_by_role("link", name="名册").click()
        assert page.url == f"{live_server.url}/rosters/"
        expect(nav.locator(".nav-more summary")).to_have_css("color", "rgb(179, 38, 30)")  # "More" holds the page
    else:
        assert box["y"] < 120  # under the header
        assert all(link.is_visible() for link in links.all())
        expect(more).to_be_hidden()
        page.screenshot(path=ARTIFACTS / "shell-nav-desktop.png")
    brand = page.get_by_role("link", name="共治", exact=True)
    expect(brand).to_have_attribute("href", "/")
    context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_account_menu__opens__switches_language_and_back(browser, live_server, worker, viewport):
    worker.first_name = "陈社工"
    worker.save()
    context, page = signed_in(browser, live_server, worker, viewport)
    page.goto(f"{live_server.url}/places/")
    menu = page.locator("details.account-menu")
    panel = menu.locator(".menu-panel")
    expect(panel).to_be_hidden()
    menu.locator("summary").click()
    expect(panel).to_be_visible()
    expect(panel.get_by_role("link", name="修改密码")).to_be_visible()
    for item in (panel.get_by_role("button", name="English"), panel.get_by_role("button", name="退出登录")):
        expect(item).to_have_css("color", "rgb(31, 41, 55)")  # dark on the white panel (Pico makes buttons white)
    page.screenshot(path=ARTIFACTS / f"shell-menu-{viewport}.png")
    with page.expect_navigation():
        panel.get_by_role("button", name="English").click()
    assert page.url == f"{live_server.url}/places/"
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    page.locator("details.account-menu summary").click()
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")
    page.mouse.click(5, 400)  # a click elsewhere closes the menu
    expect(page.locator("details.account-menu .menu-panel")).to_be_hidden()
    page.locator("details.account-menu summary").click()
    with page.expect_navigation():
        page.get_by_role("button", name="简体中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    context.close()


def test_anonymous_menu__language_without_signing_in(browser, live_server, db):
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.locator("details.account-menu summary").click()
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_contain_text("Log in")
    context.close()


def test_tab_bar__phone__scrolls_with_a_hint_and_keeps_the_current_tab_in_view(browser, live_server, worker):
    context, page = signed_in(browser, live_server, worker, "phone")
    page.goto(f"{live_server.url}/cases/")
    bar = page.locator(".tab-bar").first
    tabs = bar.locator("ul")
    assert tabs.evaluate("list => list.scrollWidth > list.clientWidth")  # more tabs than fit at 390 px
    expect(bar).to_have_class("tab-bar more-after")
    # the arrow fades in (a .15 s transition): wait until it is fully shown
    page.wait_for_function("bar => getComputedStyle(bar, '::after').opacity === '1'", arg=bar.element_handle())
    page.screenshot(path=ARTIFACTS / "shell-tabs-start-phone.png")
    tabs.evaluate("list => list.scrollTo(list.scrollWidth, 0)")
    expect(bar).to_have_class("tab-bar more-before")

    page.goto(f"{live_server.url}/cases/figures/")  # the last tab: scrolled into view
    current = page.locator(".tab-bar a[aria-current=page]")
    expect(current).to_have_text("统计")
    inside = page.locator(".tab-bar ul").bounding_box()
    shown = current.bounding_box()
    assert inside["x"] <= shown["x"] and shown["x"] + shown["width"] <= inside["x"] + inside["width"] + 1
    page.screenshot(path=ARTIFACTS / "shell-tabs-end-phone.png")
    context.close()


def test_keyboard__tab_moves_a_visible_focus_ring(browser, live_server, worker):
    context, page = signed_in(browser, live_server, worker, "desktop")
    page.goto(f"{live_server.url}/cases/")
    seen = []
    for _ in range(30):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(f"({RING})(document.activeElement)"))
    seen = [item for item in seen if item["tag"] != "BODY"]  # past the last control the page itself has focus
    named = {item["text"] for item in seen}
    assert {"首页", "事项办理", "我的待办", "统计"} <= named  # nav links and tabs
    assert "SUMMARY" in {item["tag"] for item in seen}  # the account menu
    assert "SELECT" in {item["tag"] for item in seen}  # the queue's filters
    assert [item for item in seen if not (item["outline"] or item["shadow"])] == []
    page.get_by_role("link", name="事项办理").first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    page.screenshot(path=ARTIFACTS / "shell-focus-desktop.png")
    context.close()
