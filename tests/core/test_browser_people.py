"""A community worker on the residents page: finds a resident by pinyin initials and by the end of the phone
number, opens them, mistypes the new phone (told so at the field), corrects it and saves.

Screenshots (phone 390×844 and desktop 1280×800) land in test-artifacts/people-*.png.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from commonground.core.models import Person, RoleKind
from commonground.core.services.people import person_create
from tests.browser import ARTIFACTS, VIEWPORTS

pytestmark = pytest.mark.browser


@pytest.fixture
def live_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_people__worker_finds_by_initials_and_phone_tail__changes_the_phone(browser, live_server, live_static, tree,
                                                                            make_user, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    for i, name in enumerate(("张珊珊", "李娜", "欧阳明")):  # a namesake by initials among others
        person_create(name=name, phone=f"1390000{i + 5:04d}", registered_place=tree.community)
    worker = make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    client = Client()
    client.force_login(worker)
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def shot(name: str) -> None:
        page.screenshot(path=ARTIFACTS / f"people-{name}-{viewport}.png", full_page=True)

    page.goto(f"{live_server.url}/")
    if not page.locator("a[href='/people/']:visible").count():  # on a phone the entry waits under "更多"
        page.locator(".nav-more summary").click()
    page.locator("a[href='/people/']:visible").first.click()
    expect(page.locator("h1")).to_have_text("居民")
    cards = page.locator("#person-results .people-card")
    expect(cards).to_have_count(4)

    page.fill("#people-q", "zs")  # htmx searches as the worker types
    expect(cards).to_have_count(2)
    expect(cards.locator(".people-name")).to_have_text(["张三", "张珊珊"])
    shot("initials")

    page.fill("#people-q", "0001")
    expect(cards).to_have_count(1)
    expect(cards.locator("[data-field=phone]")).to_have_text("13800000001")
    assert "q=0001" in page.url  # the search is in the address, so back and reload keep it
    shot("phone-tail")

    with page.expect_navigation():
        cards.locator(".people-name").click()
    expect(page.locator("h1")).to_have_text("张三")
    with page.expect_navigation():
        page.locator(f"a[href='/people/{tree.owner.pk}/edit/']").click()
    page.fill("input[name=phone]", "1391234abcd")
    with page.expect_navigation():
        page.locator("form.people-form button[type=submit]").click()
    expect(page.locator(".form-alert")).to_be_visible()
    expect(page.locator("input[name=phone]")).to_have_attribute("aria-invalid", "true")
    shot("phone-error")
    assert Person.objects.get(pk=tree.owner.pk).phone == "13800000001"

    page.fill("input[name=phone]", "13912345678")
    with page.expect_navigation():
        page.locator("form.people-form button[type=submit]").click()
    expect(page.locator("[data-field=phone]")).to_have_text("13912345678")
    expect(page.locator("ul.messages")).to_be_visible()
    shot("saved")
    assert Person.objects.get(pk=tree.owner.pk).phone_tail == "5678"
    assert failed == [f"400 {live_server.url}/people/{tree.owner.pk}/edit/"]  # the refused form, on purpose
    context.close()
