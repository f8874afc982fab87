"""The fund's main flow in a real browser: an owners' committee member applies for a project of their estate with
its budget lines and supporting resolution and submits it; the community worker, the street officer and the fund
office approve it in turn (the last commits the money); the public page, without logging in, shows it.

Screenshots (phone 390×844 and desktop 1440×900) land in test-artifacts/fund-*.png.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from commonground.coordination.models import Fund, FundProject, FundStage
from tests.browser import ARTIFACTS, VIEWPORTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_fund_project__applied_reviewed_three_levels__public_page_shows_it(browser, live_server, live_static,
                                                                          fund_world, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    failed: list[str] = []

    def page_as(user):
        context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                                  "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
        page = context.new_page()
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
                if r.status >= 500 or (r.status >= 400 and "/static/" in r.url) else None)
        return page

    def shot(page, name: str) -> None:
        page.screenshot(path=ARTIFACTS / f"fund-{name}-{viewport}.png", full_page=True)

    fund = fund_world.fund
    page = page_as(fund_world.committee)
    page.goto(f"{live_server.url}/coordination/funds/{fund.pk}/")
    shot(page, "fund")
    with page.expect_navigation():
        page.locator("[data-action=apply]").click()
    page.fill("input[name=title]", "楼道声控灯改造")
    page.fill("textarea[name=description]", "1幢、2幢楼道照明改为声控LED灯。")
    page.select_option("select[name=resolution]", str(fund_world.resolution.pk))
    page.fill("input[name='lines-0-item']", "声控LED灯")
    page.fill("input[name='lines-0-quantity']", "40")
    page.fill("input[name='lines-0-unit']", "盏")
    page.fill("input[name='lines-0-unit_price']", "85")
    page.fill("input[name='lines-1-item']", "安装人工")
    page.fill("input[name='lines-1-quantity']", "1")
    page.fill("input[name='lines-1-unit']", "项")
    page.fill("input[name='lines-1-unit_price']", "1200")
    shot(page, "apply")
    with page.expect_navigation():
        page.locator("[data-action=save]").click()
    project = FundProject.objects.get(title="楼道声控灯改造")
    assert project.requested_amount == Decimal("4600.00")
    with page.expect_navigation():
        page.locator("[data-action=submit]").click()
    expect(page.locator("[data-stage]")).to_have_attribute("data-stage", "submitted")
    page.context.close()

    for user, stage, name in ((fund_world.community, "community_approved", "community"),
                              (fund_world.street, "street_approved", "street"),
                              (fund_world.office, "approved", "office")):
        page = page_as(user)
        page.goto(f"{live_server.url}/coordination/fund-projects/{project.pk}/")
        page.locator("[data-form=review] input[name=decision][value=approve]").check()
        page.fill("[data-form=review] textarea[name=comment]", "同意")
        shot(page, f"review-{name}")
        with page.expect_navigation():
            page.locator("[data-form=review] button[type=submit]").click()
        expect(page.locator("[data-stage]")).to_have_attribute("data-stage", stage)
        page.context.close()

    assert FundProject.objects.get(pk=project.pk).stage == FundStage.APPROVED
    assert Fund.objects.get(pk=fund.pk).committed == Decimal("4600.00")

    page = page_as(None)
    page.goto(f"{live_server.url}/coordination/public/funds/{fund.pk}/")
    row = page.locator(f"[data-project='{project.pk}']")
    expect(row).to_contain_text("楼道声控灯改造")
    expect(row).to_contain_text("4,600.00")
    expect(page.locator("[data-left]")).to_contain_text("95,400.00")
    shot(page, "public")
    page.context.close()
    assert failed == []
