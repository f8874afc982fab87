"""Shared set-up of the browser tests: Debian's Chromium driven by Playwright's sync API, and axe-core on every page.

Every context made through the `browser` fixture is audited: just before a tab leaves a page (a link, a form, a
`goto`), and when the context closes or the test ends, axe-core runs on the page as it stands, and the test fails on
any violation of impact serious or critical. No test asks for it, so no test can forget it. axe-core comes pinned
from the npm registry (package.json) and is copied to tests/vendor/ by `make setup`; it is never served to users.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from tests import summary

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time when its threads share the test's in-memory SQLite
    connection: a browser asks for a page and its htmx fragments at once, and two threads stepping the one
    connection together hung a run (both waiting inside sqlite3). The body is read under the lock too."""

    lock = threading.Lock()

    def set_app(self, application: Any) -> None:
        if not self.connections_override:
            return super().set_app(application)

        def serialised(environ: Any, start_response: Any) -> list[bytes]:
            with self.lock:
                response = application(environ, start_response)
                try:
                    return list(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()

        return super().set_app(serialised)


LiveServerThread.server_class = OneRequestAtATimeServer  # the class pytest-django's live_server starts

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
AXE_SOURCE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}
FAILING_IMPACTS = ("serious", "critical")
NOT_STATIC = re.compile(r"^(?!.*/static/)")  # only documents can be navigations; static files pass unrouted

# Injected into every document (CDP init scripts are outside the page's CSP): once the page has loaded, axe runs
# on it and reports back through the exposed binding; "start" first, so the audit knows a report is coming.
RUNNER = """
(function () {
  if (window.top !== window || !window.__cgAxe || !/^https?:$/.test(location.protocol)) { return; }
  window.__cgAxe({ state: "start" });
  window.addEventListener("load", function () {
    setTimeout(function () {
      if (document.contentType !== "text/html") { window.__cgAxe({ state: "skipped" }); return; }
      // no CSSOM preload: it re-parses @imported sheets in <style> elements, which the page's CSP refuses
      // (and reports); only css-orientation-lock needs it
      window.axe.run(document, { resultTypes: ["violations"], preload: false }).then(function (result) {
        window.__cgAxe({ state: "done", violations: result.violations.map(function (v) {
          return { id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(function (n) {
            return { target: n.target.join(" "), summary: (n.failureSummary || "").split("\\n")[1] || "" };
          }) };
        }) });
      }, function (error) { window.__cgAxe({ state: "error", error: String(error) }); });
    }, 0);
  });
}());
"""
WAIT_MS = 15000


@dataclass
class Check:
    """One page axe looked at: where, at which size, and what it found of impact serious or critical."""

    url: str
    viewport: str
    violations: list[dict[str, Any]] = field(default_factory=list)

    def describe(self) -> str:
        lines = [f"{self.url} ({self.viewport})"]
        for violation in self.violations:
            lines.append(f"  {violation['id']} [{violation['impact']}] {violation['help']}")
            lines += [f"    {node['target']}  {node['summary']}".rstrip() for node in violation["nodes"][:8]]
        return "\n".join(lines)


class AxeAudit:
    """Runs axe-core on every page of the contexts it watches and keeps what it checked and found.

    Each page's audit runs inside the page once it has loaded; before the tab leaves the page (a request for a
    new document is held until then), when the context closes and at the end of the test, the audit waits for
    the reports still due, so no page is left unchecked however quickly a test clicks on.
    """

    def __init__(self, source: Path = AXE_SOURCE) -> None:
        if not source.exists():
            raise FileNotFoundError(f"{source} is missing: run `make setup`, which copies axe-core from node_modules")
        self.script = source.read_text(encoding="utf-8") + RUNNER
        self.checks: list[Check] = []
        self.errors: list[str] = []
        self.contexts: list[Any] = []
        self.due: dict[Any, int] = {}  # page -> reports started and not yet in

    def watch(self, context: Any) -> Any:
        """Audit every page of `context`."""
        context.expose_binding("__cgAxe", self._report)
        context.add_init_script(self.script)
        context.route(NOT_STATIC, self._on_request)
        close = context.close

        def audited_close(**kwargs: Any) -> None:
            self.wait_for(context.pages)
            close(**kwargs)

        context.close = audited_close
        self.contexts.append(context)
        return context

    def _report(self, source: dict[str, Any], report: dict[str, Any]) -> None:
        page = source["page"]
        if report["state"] == "start":
            self.due[page] = self.due.get(page, 0) + 1
            return
        self.due[page] = max(self.due.get(page, 0) - 1, 0)
        url = source["frame"].url
        if report["state"] == "error":
            self.errors.append(f"{url}: axe could not run: {report['error']}")
        elif report["state"] == "done" and url.startswith(("http://", "https://")):
            size = page.viewport_size or {}
            self.checks.append(Check(url, f"{size.get('width')}×{size.get('height')}",
                                     [v for v in report["violations"] if v["impact"] in FAILING_IMPACTS]))

    def _on_request(self, route: Any, request: Any) -> None:
        try:
            if request.is_navigation_request() and request.frame.parent_frame is None:
                self.wait_for([request.frame.page])  # the page being left is checked before it goes
        finally:
            route.fallback()

    def wait_for(self, pages: list[Any]) -> None:
        for page in pages:
            waited = 0
            while self.due.get(page) and not page.is_closed() and waited < WAIT_MS:
                page.wait_for_timeout(50)
                waited += 50
            if self.due.get(page) and not page.is_closed():
                self.errors.append(f"{page.url}: axe did not report within {WAIT_MS // 1000} s")
                self.due[page] = 0

    def wait_for_all(self) -> None:
        for context in self.contexts:
            self.wait_for(context.pages)
        self.contexts = [context for context in self.contexts if context.pages]

    def failures(self, since: int = 0) -> str:
        """What failed among the checks from `since` on, as a readable message ("" when nothing did)."""
        failed = [check.describe() for check in self.checks[since:] if check.violations]
        if not failed and not self.errors:
            return ""
        head = "axe-core found accessibility violations of impact serious or critical:"
        return "\n".join([head, *failed, *self.errors])

    def pages(self) -> list[str]:
        """The distinct pages checked, by path and query."""
        return sorted({re.sub(r"^https?://[^/]+|#.*$", "", check.url) for check in self.checks})


class AuditedBrowser:
    """The launched browser, whose every new context is watched by the audit."""

    def __init__(self, browser: Any, audit: AxeAudit) -> None:
        self._browser = browser
        self.audit = audit

    def new_context(self, **kwargs: Any) -> Any:
        return self.audit.watch(self._browser.new_context(**kwargs))

    def new_page(self, **kwargs: Any) -> Any:
        return self.new_context(**kwargs).new_page()

    def audited_by(self, audit: AxeAudit) -> AuditedBrowser:
        """The same browser, its new contexts watched by another audit (a test of the audit itself)."""
        return AuditedBrowser(self._browser, audit)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


SESSION_AUDIT: list[AxeAudit] = []  # the one audit of the session, made by the first browser test


def session_audit() -> AxeAudit:
    if not SESSION_AUDIT:
        SESSION_AUDIT.append(AxeAudit())
    return SESSION_AUDIT[0]


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per module, audited by axe; skipped without Chromium unless CG_REQUIRE_BROWSER=1."""
    if not CHROMIUM.exists():
        if os.environ.get("CG_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and CG_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    audit = session_audit()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield AuditedBrowser(browser, audit)
        browser.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The browser tests click through the pages once per CI run, on SQLite: every page and API they use is also
    tested through the test client on both databases, and on PostgreSQL each live-server test's table flush made
    them the longest part of the run. CG_BROWSER_ON_POSTGRESQL=1 runs them on PostgreSQL too."""
    on_postgresql = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    if not on_postgresql or os.environ.get("CG_BROWSER_ON_POSTGRESQL") == "1":
        return
    skip = pytest.mark.skip(reason="browser tests run on SQLite (CG_BROWSER_ON_POSTGRESQL=1 runs them here)")
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """A browser test fails on what axe found on its pages, the ones still open at its end included."""
    if "browser" not in getattr(item, "fixturenames", ()):
        return (yield)
    audit = session_audit()
    since, audit.errors = len(audit.checks), []
    result = yield
    audit.wait_for_all()
    message = audit.failures(since)
    audit.errors = []
    if message:
        raise AssertionError(message)
    return result


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The pages this process had axe check, for the run's summary (workers of pytest-xdist included)."""
    if SESSION_AUDIT and SESSION_AUDIT[0].checks:
        audit = SESSION_AUDIT[0]
        summary.note("axe", f"{len(audit.checks)} " + " ".join(audit.pages()))
