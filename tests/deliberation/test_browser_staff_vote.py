"""A clerk runs an open vote in a real browser: logs in, opens Votes and elections, opens the vote's manage
page, watches turnout, enters a paper ballot with its scan, and sees turnout go up (after the entry and,
for an online ballot cast meanwhile, through the 10-second live update).

Screenshots (desktop 1440×900, and the manage page on a phone) land in test-artifacts/deliberation-staff-*.png.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from commonground.deliberation.models import Ballot, BallotChannel, Elector
from commonground.deliberation.services.ballots import ballot_cast
from tests.browser import ARTIFACTS, VIEWPORTS

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00"
       b"\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")

pytestmark = pytest.mark.browser


@pytest.fixture
def live_static(settings, tmp_path):
    """Static files from the apps (no collectstatic); uploads into a temporary folder."""
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.MEDIA_ROOT = tmp_path / "media"


def shot(page, name: str, viewport: str = "desktop") -> None:
    page.screenshot(path=ARTIFACTS / f"deliberation-staff-{name}-{viewport}.png", full_page=True)


def heads_text(page) -> str:
    return page.locator("#vote-turnout [data-measure=heads] [data-share=register]").inner_text().strip()


def test_clerk__enters_paper_ballot__turnout_goes_up(browser, live_server, live_static, open_vote, clerk, owner_user,
                                                     register, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    vote = open_vote()
    ballot_cast(vote=vote, actor=owner_user, choice="agree")  # 王一 voted online: 1 of 7
    clerk.display_name = "陈文书"
    clerk.save(update_fields=["display_name"])
    scan = tmp_path / "paper-ballot.png"
    scan.write_bytes(PNG)
    failed: list[str] = []

    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="zh-CN")
    page = context.new_page()
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
            if r.status >= 500 or (r.status >= 400 and "/static/" in r.url) else None)
    base = live_server.url
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", clerk.username)
    page.fill("input[name=password]", "pw-test-123")
    with page.expect_navigation():
        page.click("form:has(input[name=password]) button[type=submit]")

    with page.expect_navigation():
        page.click("nav.site-nav a[href='/deliberation/votes/']")
    assert page.locator(f"tr[data-vote='{vote.pk}'] [data-turnout=heads]").inner_text() == "1 / 7 (14.29%)"
    shot(page, "votes")
    with page.expect_navigation():
        page.click(f"tr[data-vote='{vote.pk}'] .vote-title a")

    assert heads_text(page) == "1 / 7 (14.29%)"
    assert page.locator("#vote-turnout [data-measure=area] [data-share=quorum]").inner_text().startswith(
        "200.00 m² / 583.67 m² (34.27%)")
    shot(page, "manage")

    owner = register.owners[3]  # 赵四
    elector = Elector.objects.get(vote=vote, memberships__person=owner)
    form = page.locator("form.ballot-form")
    form.locator("input[name=elector_q]").fill("赵")  # htmx narrows the owners to choose from
    expect(page.locator("#id_ballot-elector option")).to_have_count(2)
    assert form.locator("#id_ballot-elector").input_value() == str(elector.pk)
    form.locator("input[name='ballot-choice'][value=agree]").check()
    form.locator("input[name='ballot-scan']").set_input_files(str(scan))
    shot(page, "ballot-filled")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    ballot = Ballot.objects.get(elector=elector)
    assert (ballot.channel, ballot.choice, ballot.clerk_name) == (BallotChannel.PAPER, "agree", "陈文书")
    assert ballot.receipt_code in page.locator("ul.messages").inner_text()
    assert heads_text(page) == "2 / 7 (28.57%)"
    assert page.locator(f"tr[data-elector='{elector.pk}'] [data-voted]").get_attribute("data-voted") == "paper"
    shot(page, "ballot-entered")

    neighbour = get_user_model().objects.create_user(username="qian5", password="pw-test-123",
                                                     person=register.owners[4])
    ballot_cast(vote=vote, actor=neighbour, choice="against")  # cast online while the clerk watches
    expect(page.locator("#vote-turnout [data-measure=heads] [data-share=register]")).to_have_text(
        re.compile(r"^3 / 7"), timeout=15_000)
    shot(page, "turnout-live")

    phone = browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN")
    phone.add_cookies(context.cookies())
    phone_page = phone.new_page()
    phone_page.goto(page.url)
    shot(phone_page, "manage", "phone")
    phone.close()
    context.close()
    assert failed == []
