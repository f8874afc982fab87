"""The job fair's main flow in a real browser on a phone: a resident opens the board, the fair, a posting in the
fair and says they are interested; the community worker sees the count by posting rise.

Screenshots land in test-artifacts/jobs-*.png.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from commonground.programs.models import JobInterest, PostingAudience

from .jobs_fixtures import make_posting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def test_job_fair__resident_on_a_phone_expresses_interest__staff_count_rises(browser, live_server, live_static, jobs):
    from tests.browser import ARTIFACTS, VIEWPORTS

    ARTIFACTS.mkdir(exist_ok=True)
    failed: list[str] = []
    posting = make_posting(jobs.worker, jobs.tree.community, title="快件分拣员", positions=28, fair=jobs.fair,
                           employer_name="杭州运河物流有限公司", audience=PostingAudience.COURIER_FAMILIES,
                           requirements="身体健康，能适应早晚班；小哥家属优先", work_location="康桥街道",
                           pay_min=4800, pay_max=6500)
    make_posting(jobs.worker, jobs.tree.community, title="小区保洁员", positions=24, fair=jobs.fair,
                 employer_name="杭州拱墅物业服务有限公司", pay_min=3600, pay_max=4300)
    make_posting(jobs.enterprise, jobs.office, title="行政前台", positions=2, employer_name="杭州新天地数字科技有限公司")

    def page_as(user, viewport: str):
        context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                              "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
        page = context.new_page()
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
                if r.status >= 500 or (r.status >= 400 and "/static/" in r.url) else None)
        return page

    def shot(page, name: str) -> None:
        page.screenshot(path=ARTIFACTS / f"jobs-{name}.png", full_page=True)

    page = page_as(jobs.resident, "phone")
    page.goto(f"{live_server.url}/programs/postings/")
    expect(page.locator(".job-card")).to_have_count(3)
    shot(page, "board-phone")
    with page.expect_navigation():
        page.get_by_role("link", name=jobs.fair.title).first.click()
    expect(page.locator("[data-figure=positions]")).to_have_text("52")
    shot(page, "fair-phone")
    with page.expect_navigation():
        page.locator(f"[data-posting='{posting.pk}'] a").click()
    page.fill("textarea[name=note]", "周末可以面试")
    page.check("input[name=phone_consent]")
    shot(page, "posting-phone")
    with page.expect_navigation():
        page.locator("[data-action=interest]").click()
    expect(page.locator("[data-interest=active]")).to_be_visible()
    shot(page, "interested-phone")
    assert JobInterest.objects.filter(posting=posting, person=jobs.tree.owner, withdrawn_at__isnull=True).count() == 1

    staff = page_as(jobs.worker, "desktop")
    staff.goto(f"{live_server.url}/programs/postings/manage/?fair={jobs.fair.pk}")
    expect(staff.locator(f"tr[data-posting='{posting.pk}'] [data-figure=interests]")).to_have_text("1")
    shot(staff, "counts-desktop")
    staff.goto(f"{live_server.url}/programs/postings/{posting.pk}/")
    expect(staff.get_by_text("周末可以面试")).to_be_visible()
    shot(staff, "posting-staff-desktop")
    assert not failed, failed
