"""Attendance in a real browser: the community worker, on a phone and on a desktop, opens the sessions to take,
ticks one participant on the list, scans (types) the other's check-in code, and then sees the participation
figures with their chart by month.

Screenshots (phone 390×844 and desktop 1440×900) land in test-artifacts/attendance-*.png.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from commonground.programs.models import Attendance
from tests.browser import ARTIFACTS, VIEWPORTS
from tests.conftest import start_clock_on

from .attendance_fixtures import FIRST_DAY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_attendance__worker_ticks_and_scans_on_a_phone__figures_show_the_chart(browser, live_server, live_static,
                                                                              course, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    failed: list[str] = []
    start_clock_on(FIRST_DAY, 19)  # the first session's evening (the server thread reads the deployment clock)
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    client = Client()
    client.force_login(course.programme.worker)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
            if r.status >= 500 or (r.status >= 400 and "/static/" in r.url) else None)

    def shot(name: str) -> None:
        page.screenshot(path=ARTIFACTS / f"attendance-{name}-{viewport}.png", full_page=True)

    first, second = sorted(course.confirmed, key=lambda e: e.participant.name)
    session = course.sessions[0]
    page.goto(f"{live_server.url}/programs/attendance/")
    shot("sessions")
    with page.expect_navigation():
        page.locator(f"[data-session='{session.pk}']").click()
    page.locator(f"input[name=present][value='{first.pk}']").check()
    shot("sheet")
    with page.expect_navigation():
        page.locator("[data-action=save-attendance]").click()
    page.fill("#check-in-code", second.code)
    with page.expect_navigation():
        page.press("#check-in-code", "Enter")
    expect(page.locator("[data-figure=present]")).to_have_text("2")
    shot("sheet-taken")
    assert sorted(Attendance.objects.values_list("person_id", "method")) == sorted(
        [(first.participant_id, "list"), (second.participant_id, "code")])

    page.goto(f"{live_server.url}/programs/participation/")
    expect(page.locator("#participation-chart svg")).to_be_visible()
    expect(page.locator("[data-figure=attendances]")).to_have_text("2")
    shot("participation")
    context.close()
    assert failed == []
