"""A courier on a phone: opens the couriers' home, declares themselves a courier of 中通, withdraws the declaration,
and files an item of the couriers' council, which shows on the council page with its stage.

Screenshots (phone 390×844) land in test-artifacts/programs-groups-*.png.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from commonground.cases.models import Case
from commonground.programs.models import EmploymentDeclaration
from commonground.programs.services.groups import council_member_add, declaration_revoke
from tests.browser import ARTIFACTS, VIEWPORTS

from .groups_fixtures import declare

pytestmark = [pytest.mark.browser]


@pytest.fixture
def live_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def test_courier_on_a_phone__home_declare_withdraw_file_item(browser, live_server, live_static, couriers):
    ARTIFACTS.mkdir(exist_ok=True)
    # A member of the council since an earlier declaration, withdrawn since: they declare again on the phone.
    earlier = declare(couriers.courier, couriers.tree.estate)
    council_member_add(actor=couriers.worker, council=couriers.council, person=couriers.tree.owner, position="委员")
    declaration_revoke(actor=couriers.courier, declaration=earlier)
    failed: list[str] = []
    client = Client()
    client.force_login(couriers.courier)
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
            if r.status >= 500 or (r.status >= 400 and "/static/" in r.url) else None)

    def shot(name: str) -> None:
        page.screenshot(path=ARTIFACTS / f"programs-groups-{name}-phone.png", full_page=True)

    page.goto(f"{live_server.url}/programs/couriers/")
    expect(page.locator("h1")).to_have_text("竹竿巷小哥之家")
    expect(page.locator("[data-figure=area]")).to_have_text("500 m²")
    shot("home")

    with page.expect_navigation():
        page.locator("[data-action=declare]").click()
    page.locator("input[name=group][value=courier]").check()
    page.fill("input[name=platform]", "中通")
    shot("declare")
    with page.expect_navigation():
        page.locator("[data-action=submit-declaration]").click()
    expect(page.locator("[data-declaration=active]")).to_contain_text("中通")
    shot("declared")
    assert EmploymentDeclaration.objects.get(revoked_at__isnull=True).platform == "中通"

    with page.expect_navigation():
        page.locator("[data-action=withdraw]").click()
    expect(page.locator("[data-declaration=active]")).to_have_count(0)
    assert not EmploymentDeclaration.objects.filter(revoked_at__isnull=True).exists()

    page.goto(f"{live_server.url}/programs/couriers/")
    with page.expect_navigation():
        page.locator("[data-action=council]").click()
    page.fill("textarea[name=description]", "地下室电动车充电桩不够用，晚上排队到十点")
    with page.expect_navigation():
        page.locator("[data-action=file-item]").click()
    case = Case.objects.get()
    expect(page.locator(f"[data-item=\"{case.number}\"]")).to_be_visible()
    shot("council")
    assert (case.place, case.reporter) == (couriers.home, couriers.courier)
    context.close()
    assert failed == []
