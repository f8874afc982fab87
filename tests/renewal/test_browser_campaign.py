"""A field worker's day in a real browser: a member of 一组 opens a household of their building, records a visit,
reads the household's options under the published rules, draws the agreement, records the owner's signature, and
the project's progress page counts one more signed household.

Screenshots (phone 390×844 and desktop 1440×900) land in test-artifacts/renewal-*.png.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from commonground.renewal.models import AgreementStatus, Household, Visit
from tests.browser import ARTIFACTS, VIEWPORTS
from tests.renewal.signing_helpers import (  # noqa: F401  (fixtures)
    offers_fixture,
    signing_clock_fixture,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("signing_clock")]


@pytest.fixture
def live_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_field_worker__visit_options_agreement_signature__progress_moves(browser, live_server, live_static, campaign,
                                                                         offers, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    household = Household.objects.get(project=campaign.project, flat=campaign.flats[0])
    failed: list[str] = []
    client = Client()
    client.force_login(campaign.member)
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
            if r.status >= 500 or (r.status >= 400 and "/static/" in r.url) else None)
    progress_url = f"{live_server.url}/renewal/{campaign.project.pk}/progress/"

    def shot(name: str) -> None:
        page.screenshot(path=ARTIFACTS / f"renewal-{name}-{viewport}.png", full_page=True)

    page.goto(progress_url)
    expect(page.locator("[data-figure=signed]")).to_have_text("0")

    page.goto(f"{live_server.url}/renewal/{campaign.project.pk}/households/")
    with page.expect_navigation():
        page.get_by_role("link", name=campaign.flats[0].name).click()
    page.locator("#visits summary").click()
    page.locator("input[name=outcome][value=agreed]").check()
    page.fill("input[name=met]", "业主本人")
    page.fill("textarea[name=notes]", "讲解自主更新方案，业主同意签约。")
    shot("visit")
    with page.expect_navigation():
        page.get_by_role("button", name="保存走访记录").click()
    shot("visit-saved")
    assert Visit.objects.filter(household=household, outcome="agreed").count() == 1
    expect(page.locator(".renewal-timeline")).to_contain_text("业主本人")

    options = page.locator("#options")
    expect(options).to_contain_text("自主更新")
    expect(options).to_contain_text("第五条")  # every line names the clause that produced it
    shot("options")

    page.locator("input[name=option][value=self_renewal]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="生成协议").click()
    page.select_option("select[name=person]", str(campaign.owners[0].pk))
    page.fill("input[name=witness]", "一组组长")
    with page.expect_navigation():
        page.get_by_role("button", name="登记签字").click()
    household.refresh_from_db()
    assert household.sequence == 1 and household.agreements.get().status == AgreementStatus.SIGNED
    shot("signed")

    page.goto(progress_url)
    expect(page.locator("[data-figure=signed]")).to_have_text("1")
    shot("progress")
    assert failed == []
    context.close()
