"""A courier's evening on their phone (390×844): they open the noticeboard, open the summer camp (for couriers'
families, ages 6 to 12), sign their child of 9 up, find the sign-up with its check-in QR code on My sign-ups, make
their private calendar link, and the camp's days are in the feed that link serves.

Screenshots land in test-artifacts/activities-*.png.
"""

from __future__ import annotations

import urllib.request

import pytest
from django.conf import settings
from django.test import Client
from icalendar import Calendar
from playwright.sync_api import expect

from commonground.programs.models import Audience, Enrolment, EnrolmentStatus
from tests.browser import ARTIFACTS, VIEWPORTS

from .activities_fixtures import summer_camp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def test_courier__signs_child_up_for_summer_camp__my_sign_ups_and_calendar(browser, live_server, live_static,
                                                                           programme, family):
    ARTIFACTS.mkdir(exist_ok=True)
    camp = summer_camp(programme, audience=Audience.NEW_EMPLOYMENT)
    failed: list[str] = []
    client = Client()
    client.force_login(family.courier)
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
            if r.status >= 500 or (r.status >= 400 and "/static/" in r.url) else None)

    def shot(name: str) -> None:
        page.screenshot(path=ARTIFACTS / f"activities-{name}-phone.png", full_page=True)

    page.goto(f"{live_server.url}/programs/activities/")
    expect(page.locator(f"[data-activity='{camp.pk}']")).to_be_visible()
    shot("noticeboard")
    with page.expect_navigation():
        page.get_by_role("link", name=camp.title).click()
    page.select_option("select[name=participant]", str(family.child.pk))
    shot("camp")
    with page.expect_navigation():
        page.locator("[data-action=sign-up]").click()
    enrolment = Enrolment.objects.get(activity=camp)
    assert (enrolment.participant_id, enrolment.status) == (family.child.pk, EnrolmentStatus.CONFIRMED)
    expect(page.locator(f"[data-signed-up='{family.child.pk}']")).to_contain_text(family.child.name)
    shot("signed-up")

    page.goto(f"{live_server.url}/programs/my-activities/")
    card = page.locator(f"[data-enrolment='{enrolment.pk}']")
    expect(card.locator("[data-status]")).to_have_attribute("data-status", "confirmed")
    expect(card.locator("img.act-qr")).to_be_visible()
    assert card.locator("img.act-qr").evaluate("img => img.naturalWidth") > 0
    with page.expect_navigation():
        page.locator("[data-action=calendar-link]").click()
    feed = page.locator("a[data-feed]").get_attribute("href")
    shot("my-sign-ups")
    assert failed == []
    context.close()

    with urllib.request.urlopen(feed) as answer:  # noqa: S310 — the live server's own address
        events = list(Calendar.from_ical(answer.read()).walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == [camp.title] * 3


def test_worker__creates_publishes_and_signs_up_at_desk__on_a_phone(browser, live_server, live_static, programme):
    import datetime

    from commonground.programs.models import Activity, ActivityStatus

    from .activity_fixtures import TODAY

    failed: list[str] = []
    client = Client()
    client.force_login(programme.worker)
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
            if r.status >= 500 or (r.status >= 400 and "/static/" in r.url) else None)

    def shot(name: str) -> None:
        page.screenshot(path=ARTIFACTS / f"activities-staff-{name}-phone.png", full_page=True)

    day = TODAY + datetime.timedelta(days=30)
    page.goto(f"{live_server.url}/programs/activities/manage/")
    with page.expect_navigation():
        page.locator("[data-action=new-activity]").click()
    page.select_option("select[name=place]", str(programme.tree.community.pk))
    page.fill("input[name=title]", "老年人智能手机课")
    page.select_option("select[name=kind]", "course")
    page.fill("input[name=capacity]", "12")
    page.fill("input[name=signup_opens_at]", f"{TODAY}T09:00")
    page.fill("input[name=signup_closes_at]", f"{day}T09:00")
    page.fill("input[name=session-starts_at]", f"{day}T14:00")
    page.fill("input[name=session-ends_at]", f"{day}T16:00")
    page.fill("input[name=session-venue]", "社区老年活动室")
    shot("new")
    with page.expect_navigation():
        page.locator("[data-action=save]").click()
    course = Activity.objects.get(title="老年人智能手机课")
    shot("edit")
    with page.expect_navigation():
        page.locator("[data-action=publish]").click()
    assert Activity.objects.get(pk=course.pk).status == ActivityStatus.PUBLISHED
    shot("published")
    with page.expect_navigation():
        page.locator("[data-action=desk]").first.click()
    page.fill("input[name=q]", "0001")
    with page.expect_navigation():
        page.locator("form[role=search] button").click()
    with page.expect_navigation():
        page.locator(f"[data-person='{programme.tree.owner.pk}'] [data-action=desk-sign-up]").click()
    shot("desk")
    page.goto(f"{live_server.url}/programs/activities/{course.pk}/sign-ups/")
    expect(page.locator("tbody tr")).to_have_count(1)
    shot("sign-ups")
    assert Enrolment.objects.get(activity=course).participant_id == programme.tree.owner.pk
    assert failed == []
    context.close()
