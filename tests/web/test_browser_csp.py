"""Script injection and the Content-Security-Policy in a real browser.

A place named as markup shows as text on every map (no script runs), and the main pages of each app, as the
roles that use them, run under the policy without a single violation or console error; the behaviour moved
out of inline handlers (auto-submit, confirm, bars, the owner's ballot page) still works.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from playwright.sync_api import expect

from commonground.cases.models import Category, Level, ReporterKind
from commonground.cases.services.intake import case_report
from commonground.core.models import Place, RoleKind, User
from commonground.core.rosters import read_table, roster_import
from commonground.deliberation.models import MeetingStatus
from commonground.deliberation.services.ballots import ballot_cast
from tests.browser import VIEWPORTS

pytestmark = pytest.mark.browser

EVIL = "<img src=x onerror=alert(1)>"
# Recorded on the page itself: a violation is an event on the document (and a console error).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.effectiveDirective + " " + (event.blockedURI || "inline") + " " + event.sample);
});
"""


def third_party(problem: str) -> bool:
    """django-simple-history's admin history page puts style="border-top: 0" on its paginator
    (simple_history/object_history_list.html): the browser drops it and the paginator keeps its top border.
    Cosmetic and not ours; worth neither 'unsafe-inline' nor a copy of their template."""
    return "/admin/" in problem and "/history/" in problem and (
        "violation: style-src-attr inline" in problem or "console: Applying inline style violates" in problem)


@pytest.fixture
def live_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


class Tab:
    """One user's browser tab that keeps, page by page, the dialogs, console errors and policy violations."""

    def __init__(self, browser, live_server, user: User | None = None) -> None:
        self.base = live_server.url
        self.context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="zh-CN")
        if user is not None:
            client = Client()
            client.force_login(user)
            self.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": self.base,
                                       "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.accept_dialogs = False
        self.dialogs: list[str] = []
        self.problems: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda m: self.problems.append(f"{self.page.url} console: {m.text}")
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda error: self.problems.append(f"{self.page.url} error: {error}"))
        self.page.on("response", lambda r: self.problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        if self.accept_dialogs:
            dialog.accept()
        else:
            dialog.dismiss()

    def harvest(self) -> None:
        """Keep the violations the current page recorded (the next page starts a fresh list)."""
        if self.page.url.startswith(self.base):
            found = self.page.evaluate("window.__violations || []")
            self.problems += [f"{self.page.url} violation: {v}" for v in found]

    def visit(self, path: str) -> None:
        """Open `path` and let it settle; a page served without the policy counts as a problem too."""
        self.harvest()
        response = self.page.goto(self.base + path)
        if "script-src 'self'" not in response.headers.get("content-security-policy", ""):
            self.problems.append(f"{path}: served without the policy")
        self.page.wait_for_load_state("networkidle")

    def close(self) -> list[str]:
        self.harvest()
        self.context.close()
        return self.problems


def import_evil_place(parent: Place) -> Place:
    """The place roster as a clerk would upload it, with a name that is markup."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["编码", "名称", "类型", "上级编码", "纬度", "经度"])
    writer.writerow([f"{parent.code}-X", EVIL, "小区", parent.code, "30.302000", "120.152000"])
    result = roster_import(roster="places", table=read_table(buffer.getvalue().encode("utf-8-sig"), "places.csv"))
    assert result.ok, result.errors
    return Place.objects.get(code=f"{parent.code}-X")


def test_map_labels__place_named_as_markup__shown_as_text_and_no_script_runs(browser, live_server, live_static, tree,
                                                                          make_user):
    evil = import_evil_place(tree.community)
    assert evil.name == EVIL
    worker = make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    category = Category.objects.create(code="exposed-rubbish", name="暴露垃圾", sla_hours=4,
                                       default_level=Level.COMMUNITY, open_to=[ReporterKind.STAFF])
    case = case_report(actor=worker, category=category, place=evil, description="楼道口垃圾三天没人清理",
                       latitude=Decimal("30.302000"), longitude=Decimal("120.152000"))
    tab = Tab(browser, live_server, worker)
    page = tab.page

    tab.visit(f"/places/{tree.community.code}/")  # the children are named on hover
    hovered = []
    for marker in page.locator("#place-map path.leaflet-interactive").all():
        marker.hover(force=True)
        hovered += page.locator("#place-map .leaflet-tooltip").all_inner_texts()
    assert EVIL in hovered

    tab.visit(f"/places/{evil.code}/")  # its own permanent label
    assert page.locator("#place-map .leaflet-tooltip").all_inner_texts() == [EVIL]

    tab.visit("/cases/report/")  # the pin map labels estates and communities
    assert sorted(page.locator("#pin-map .leaflet-tooltip").all_inner_texts()) == sorted(
        [tree.community.name, EVIL])

    tab.visit(f"/cases/{case.number}/")  # the case's place on its map
    assert page.locator("#place-map .leaflet-tooltip").all_inner_texts() == [EVIL]

    tab.visit("/cases/map/")  # the case's popup names its place
    page.wait_for_selector("#cases-map[data-loaded='1']")
    page.locator("#cases-map .case-marker").first.click()  # a marker is a keyboard button now
    popup = page.locator("#cases-map .leaflet-popup-content")
    assert popup.locator("a").inner_text() == case.number
    assert popup.locator("a").get_attribute("href") == f"/cases/{case.number}/"
    assert EVIL in popup.inner_text()
    assert popup.locator("img").count() == 0

    problems = tab.close()
    assert tab.dialogs == []
    assert problems == []


def test_main_pages__each_role__no_policy_violation_or_console_error(browser, live_server, live_static, tree, located,
                                                                      categories, clerk, owner_user, open_vote,
                                                                      plan_meeting, make_user):
    vote = open_vote()
    meeting = plan_meeting()
    case = case_report(actor=owner_user, category=categories["rubbish"], place=located.building,
                       description="楼道口垃圾三天没人清理", latitude=Decimal("30.280100"),
                       longitude=Decimal("120.160100"))
    admin = User.objects.create_superuser(username="root", password="pw-test-123")
    pages = {
        None: ["/login/"],
        clerk: ["/", "/places/", f"/places/{tree.community.code}/", f"/people/{tree.owner.pk}/", "/rosters/",
                "/report/", "/report/?format=html", "/cases/", "/cases/report/", f"/cases/{case.number}/",
                "/cases/map/", "/cases/figures/", "/cases/notifications/", "/deliberation/votes/",
                f"/deliberation/votes/{vote.pk}/manage/", "/deliberation/meetings/", "/deliberation/meetings/new/",
                f"/deliberation/meetings/{meeting.pk}/", "/deliberation/notices/", "/deliberation/representatives/",
                f"/deliberation/representatives/?estate={tree.estate.pk}"],
        make_user(RoleKind.STREET_STAFF, tree.street): ["/cases/figures/", "/cases/"],
        owner_user: ["/", "/deliberation/votes/mine/", f"/deliberation/votes/{vote.pk}/", "/cases/mine/",
                     "/cases/report/", "/account/password/"],
        admin: ["/admin/", "/admin/core/place/", f"/admin/core/place/{tree.estate.pk}/change/",
                "/admin/core/person/add/", "/admin/cases/case/", f"/admin/core/place/{tree.estate.pk}/history/"],
    }
    problems = []
    for user, paths in pages.items():
        tab = Tab(browser, live_server, user)
        for path in paths:
            tab.visit(path)
        problems += tab.close()
        assert tab.dialogs == []
    assert [problem for problem in problems if not third_party(problem)] == []


def test_behaviours__autosubmit_confirm_and_bars__work_without_inline_handlers(browser, live_server, live_static,
                                                                               tree, plan_meeting, clerk, make_user,
                                                                               open_vote, owner_user):
    tab = Tab(browser, live_server, make_user(RoleKind.STREET_STAFF, tree.street))
    page = tab.page
    tab.visit("/cases/figures/")
    with page.expect_navigation():
        page.select_option("#id_scope", tree.community.code)
    assert page.url == f"{tab.base}/cases/figures/?scope={tree.community.code}"
    page.hover("#level-chart", position={"x": 120, "y": 100})  # the chart's tooltip is drawn, not HTML
    page.wait_for_timeout(300)
    assert tab.close() == []

    meeting = plan_meeting()
    tab = Tab(browser, live_server, clerk)
    page = tab.page
    tab.visit(f"/deliberation/meetings/{meeting.pk}/")
    page.click("button[data-action=cancel]")  # dismissed: nothing sent
    page.wait_for_timeout(300)
    assert page.url == f"{tab.base}/deliberation/meetings/{meeting.pk}/"
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    tab.accept_dialogs = True
    with page.expect_navigation():
        page.click("button[data-action=cancel]")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    with translation.override("zh-hans"):
        assert tab.dialogs == [translation.gettext("Cancel this meeting? Invitees should be told.")] * 2

    vote = open_vote()
    ballot_cast(vote=vote, actor=owner_user, choice="agree")  # 1 of 7 heads
    tab.visit(f"/deliberation/votes/{vote.pk}/manage/")
    bar = page.locator("#vote-turnout [data-measure=heads] .turnout-fill")
    assert bar.get_attribute("data-width") == "14.29"
    assert bar.evaluate("element => element.style.width") == "14.29%"
    assert tab.close() == []


def test_owner_page__copy_receipt_and_seat_limit__work_from_static_script(browser, live_server, live_static,
                                                                         open_vote, open_election, owner_user):
    vote = open_vote()
    ballot = ballot_cast(vote=vote, actor=owner_user, choice="agree")
    election = open_election(seats=3)
    tab = Tab(browser, live_server, owner_user)
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=tab.base)
    page = tab.page

    tab.visit(f"/deliberation/votes/{vote.pk}/")
    copy = page.locator("button[data-copy]")
    copy.click()
    expect(copy).to_have_text(copy.get_attribute("data-copied"))
    assert page.evaluate("navigator.clipboard.readText()") == ballot.receipt_code

    tab.visit(f"/deliberation/votes/{election.pk}/")
    boxes = page.locator("form.owner-ballot-form input[type=checkbox]")
    assert boxes.count() == 4
    for i in range(3):
        boxes.nth(i).check()
    assert [boxes.nth(i).is_disabled() for i in range(4)] == [False, False, False, True]
    boxes.nth(1).uncheck()
    assert [boxes.nth(i).is_disabled() for i in range(4)] == [False, False, False, False]
    assert tab.close() == []
