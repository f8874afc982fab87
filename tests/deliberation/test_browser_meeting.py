"""A 红茶议事会 in a real browser: a community worker plans it with two agenda items and an invitee, signs
people in at the door, records the minutes and a resolution, opens a case from it and sees the case's number
and stage on the meeting page.

Screenshots (phone 390×844 and desktop 1440×900) land in test-artifacts/meeting-*.png.
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from commonground.cases.models import Case, Channel, Stage
from commonground.core.services.organisations import organisation_member_add
from commonground.deliberation.models import Meeting, MeetingStatus
from tests.browser import ARTIFACTS, VIEWPORTS

pytestmark = pytest.mark.browser


@pytest.fixture
def live_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_meeting__plan_sign_in_minutes_resolution_case(browser, live_server, live_static, meeting_world, tree,
                                                        viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    organisation_member_add(organisation=meeting_world.committee, person=tree.owner, position="居民代表")
    failed: list[str] = []
    client = Client()
    client.force_login(meeting_world.worker)
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
            if r.status >= 500 or (r.status >= 400 and "/static/" in r.url) else None)

    def shot(name: str) -> None:
        page.screenshot(path=ARTIFACTS / f"meeting-{name}-{viewport}.png", full_page=True)

    page.goto(f"{live_server.url}/deliberation/meetings/")
    with page.expect_navigation():
        page.click("[data-action=plan]")
    page.select_option("select[name=place]", str(tree.estate.pk))  # htmx brings the estate's conveners
    page.wait_for_selector(f"select[name=convener] option[value='{meeting_world.owners_committee.pk}']", state="attached")
    page.select_option("select[name=place]", str(tree.community.pk))
    page.wait_for_selector(f"select[name=convener] option[value='{meeting_world.owners_committee.pk}']", state="detached")
    page.select_option("select[name=convener]", str(meeting_world.committee.pk))
    page.select_option("select[name=kind]", "council")
    page.fill("input[name=title]", "红茶议事会：楼道堆物清理")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.fill("input[name=day]", yesterday.isoformat())
    page.fill("input[name=starts]", "19:00")
    page.fill("input[name=ends]", "20:30")
    page.fill("input[name=venue]", "竹竿巷社区红茶室")
    page.fill("textarea[name=agenda]", "楼道堆物清理方案｜社区书记\n电动车充电安全")
    page.check(f"input[name=invitees][value='{tree.owner.pk}']")
    shot("plan")
    with page.expect_navigation():
        page.click("form.meeting-form button[type=submit]")
    meeting = Meeting.objects.get()
    assert page.url.endswith(f"/deliberation/meetings/{meeting.pk}/")
    assert list(meeting.agenda.values_list("title", flat=True)) == ["楼道堆物清理方案", "电动车充电安全"]
    shot("planned")

    page.click(f"li[data-attendee='{meeting.attendees.get().pk}'] button[data-action=sign-in]")  # htmx, no reload
    page.wait_for_selector(f"li[data-attendee='{meeting.attendees.get().pk}'] .signed")
    page.fill("input[name=walkin-name]", "赵大妈")
    page.fill("input[name=walkin-affiliation]", "3幢")
    page.click("button[data-action=walk-in]")
    page.wait_for_selector("[data-count=present]:has-text('2')")
    assert meeting.attendees.filter(signed_in_at__isnull=False).count() == 2

    page.fill("textarea[name=minutes]", "到会居民 2 人。议定：一周内清理 1-3 幢楼道堆物，物业配合清运。")
    with page.expect_navigation():
        page.click("button[data-action=minutes]")
    page.fill("textarea[name=text]", "一周内清理 1-3 幢楼道堆物，由网格员牵头、物业清运")
    with page.expect_navigation():
        page.click("button[data-action=resolution]")
    page.locator("li[data-resolution] details.inline-form summary").click()
    shot("open-case")
    with page.expect_navigation():
        page.click("button[data-action=open-case]")

    case = Case.objects.get()
    meeting.refresh_from_db()
    assert (meeting.status, case.channel, case.stage) == (MeetingStatus.HELD, Channel.MEETING, Stage.COLLECT)
    assert list(case.resolutions.values_list("meeting", flat=True)) == [meeting.pk]
    cases_panel = page.locator(f"li[data-case='{case.number}']")
    assert cases_panel.locator("a.case-no").inner_text() == case.number
    with translation.override("zh-hans"):  # the page's language, whatever an earlier test left active here
        assert cases_panel.locator(".badge.stage").inner_text() == case.get_stage_display()
    assert page.locator("[data-progress]").get_attribute("data-progress") == "0/1"
    shot("meeting")

    page.goto(f"{live_server.url}/deliberation/meetings/?when=past")
    assert page.locator(f"li[data-meeting='{meeting.pk}']").count() == 1
    shot("list")
    context.close()
    assert failed == []
