"""The axe-core net of the browser tests (tests/browser.py): what it reports, and that no test slips past it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser import AxeAudit

TESTS = Path(__file__).resolve().parents[1]
PAGE = """<!doctype html><html lang="en"><head><title>A page</title></head><body><main><h1>A page</h1>
<p id="faint" style="color:#bbb">Hard to read</p><input id="nameless" type="text"><a href="/next">Next</a>
</main></body></html>"""


@pytest.mark.browser
def test_audit__page_with_violations__reported_with_rule_impact_target_and_url(browser):
    audit = AxeAudit()
    context = browser.audited_by(audit).new_context()
    context.route("http://cg.test/**", lambda route: route.fulfill(content_type="text/html", body=PAGE))
    page = context.new_page()
    page.goto("http://cg.test/first")
    page.click("a")  # leaving the page: it is checked before the next one comes
    page.wait_for_url("http://cg.test/next")
    context.close()  # the last page is checked as the context closes

    assert [check.url for check in audit.checks] == ["http://cg.test/first", "http://cg.test/next"]
    message = audit.failures()
    assert "http://cg.test/first (1280×720)" in message
    assert "color-contrast [serious]" in message and "#faint" in message
    assert "label [critical]" in message and "#nameless" in message
    assert audit.pages() == ["/first", "/next"]


def test_browser_tests__none_launches_its_own_browser():
    """Every browser test gets its Chromium from the audited `browser` fixture, so axe sees every page."""
    launching = re.compile(r"sync_playwright|async_playwright|chromium\.launch|\.connect_over_cdp")
    allowed = {TESTS / "browser.py", TESTS / "screenshots.py", Path(__file__).resolve()}  # the net, and this test
    own = [path.relative_to(TESTS).as_posix() for path in TESTS.rglob("*.py")
           if path not in allowed and launching.search(path.read_text(encoding="utf-8"))]
    assert own == []
