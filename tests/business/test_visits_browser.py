"""A commissioner's day in a real browser, on a phone first: 赵专员 opens today's plan, records the visit to
星河科技 with a parking demand, sees the demand's case number, and opens the case page.

Screenshots (phone 390×844 and desktop 1440×900) land in test-artifacts/business-visits-*.png.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from commonground.business.models import PlannedVisit, VisitDemand
from tests.browser import ARTIFACTS, VIEWPORTS

pytestmark = [pytest.mark.browser]


@pytest.fixture
def live_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_commissioner__records_planned_visit_with_demand__case_opens(browser, live_server, live_static, business,
                                                                     visit_plan, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    failed: list[str] = []
    client = Client()
    client.force_login(business.commissioner_user)
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
            if r.status >= 500 or (r.status >= 400 and "/static/" in r.url) else None)

    def shot(name: str) -> None:
        page.screenshot(path=ARTIFACTS / f"business-visits-{name}-{viewport}.png", full_page=True)

    page.goto(f"{live_server.url}/business/my-day/")
    firm = page.locator(f"[data-firm='{business.star.credit_code}']")
    expect(firm).to_contain_text("杭州星河科技有限公司")
    expect(firm).to_contain_text("重点企业每月走访")
    shot("day")
    with page.expect_navigation():
        firm.locator("[data-action=record-visit]").click()
    page.fill("input[name=topics]", "经营情况、用工与停车")
    page.fill("textarea[name=feedback]", "企业总体满意，反映停车位紧张。")
    page.select_option("select[name=demand-0-category_code]", "enterprise-parking")
    page.fill("textarea[name=demand-0-description]", "员工停车位不足，希望协调周边二十个车位。")
    page.fill("input[name=demand-0-amount]", "20")
    shot("record")
    with page.expect_navigation():
        page.locator("[data-action=save-visit]").click()
    case = VisitDemand.objects.select_related("case").get().case
    assert PlannedVisit.objects.get(pk=visit_plan.today_star.pk).visit_id is not None
    demand = page.locator(f"[data-case='{case.number}']")
    expect(demand).to_be_visible()
    shot("saved")
    with page.expect_navigation():
        demand.get_by_role("link").click()
    expect(page.locator("body")).to_contain_text(case.number)
    expect(page.locator("body")).to_contain_text("员工停车位不足")
    shot("case")

    page.goto(f"{live_server.url}/business/my-day/")
    expect(firm.locator("a.record-visit")).not_to_have_attribute("data-action", "record-visit")
    assert failed == []
    context.close()
