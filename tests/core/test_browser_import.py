"""A community worker imports a roster in a real browser, on a phone and at a desk: the form goes busy once
sent, the job page shows its steps and the rows checked so far, then the report, without reloading.

Screenshots land in test-artifacts/import-*.png.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from commonground.core.models import ImportJob, ImportStatus, Person, RoleKind
from tests.browser import ARTIFACTS, VIEWPORTS
from tests.conftest import make_id_number
from tests.core.test_rosters_import import PEOPLE_HEADERS, csv_bytes

pytestmark = pytest.mark.browser


@pytest.fixture
def live_static(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_import__busy_then_progress_then_report(browser, live_server, live_static, role_users, background_jobs,
                                                tmp_path, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    client = Client()
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: failed.append(m.text) if m.type == "error" else None)
    roster = tmp_path / "people.csv"
    roster.write_bytes(csv_bytes(PEOPLE_HEADERS, [[make_id_number(seq=350 + n), f"居民{n}", ""] for n in range(3)]))

    page.goto(f"{live_server.url}/rosters/import/")
    page.select_option("select[name=roster]", "people")
    page.set_input_files("input[name=file]", str(roster))
    page.screenshot(path=ARTIFACTS / f"import-form-{viewport}.png", full_page=True)
    # What the form looks like once sent, noted where it outlives the page (a locator would wait for the next).
    page.evaluate("""() => document.addEventListener("submit", () => setTimeout(() => {
        const form = document.querySelector("form.roster-upload"), button = form.querySelector("button[type=submit]");
        sessionStorage.setItem("sent", JSON.stringify(
            [form.getAttribute("aria-busy"), button.disabled, button.textContent.trim() === form.dataset.busy]));
    }, 50))""")
    held = []
    page.route("**/rosters/import/", lambda route: held.append(route) if route.request.method == "POST"
               else route.continue_())
    page.click("form.roster-upload button[type=submit]", no_wait_after=True)
    for _attempt in range(50):
        if held:
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(200)
    with page.expect_navigation():
        held[0].continue_()
    page.unroute("**/rosters/import/")
    # busy, and it could not be sent twice
    assert page.evaluate("() => JSON.parse(sessionStorage.getItem('sent'))") == ["true", True, True]

    job = ImportJob.objects.get()
    assert page.url.endswith(f"/rosters/import/{job.pk}/")
    expect(page.locator(".import-steps li[aria-current=step]")).to_have_count(1)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING, done=1, total=3)
    expect(page.locator("#import-progress")).to_have_attribute("value", "1")  # the page polls the job
    page.screenshot(path=ARTIFACTS / f"import-progress-{viewport}.png", full_page=True)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED, done=0, total=0)

    assert background_jobs.run_all() == [ImportStatus.DONE]
    expect(page.locator("#import-summary")).to_be_visible(timeout=5000)
    expect(page.locator(".import-steps li.done")).to_have_count(4)
    assert Person.objects.filter(name__startswith="居民").count() == 3
    page.screenshot(path=ARTIFACTS / f"import-done-{viewport}.png", full_page=True)
    context.close()
    assert failed == []
