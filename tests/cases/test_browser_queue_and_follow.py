"""In a real browser, phone and desktop: a community worker searches the queue and acts on a case (a dispute:
the page opens the mediation step first, not "report done"); the resident follows the case in plain words and
rates it, and the notification stops asking.

Screenshots land in test-artifacts/cases-follow-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from commonground.cases.models import Case, Notification, Stage
from commonground.cases.services.intake import case_report
from commonground.cases.services.workflow import case_accept, case_dispatch, case_feedback, case_verify
from tests.browser import ARTIFACTS, VIEWPORTS

from .test_browser_cases import Actor, live_static  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def shot(actor: Actor, name: str) -> None:
    actor.page.screenshot(path=ARTIFACTS / f"cases-follow-{name}-{actor.viewport}.png", full_page=True)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_worker_searches_and_acts__resident_follows_and_rates(browser, live_server, live_static, located,  # noqa: F811
                                                               categories, people, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    failed: list[str] = []
    base = live_server.url
    dispute = case_report(actor=people["resident"], category=categories["noise"], place=located.building,
                          description="楼上住户晚上十点后还在装修，严重影响休息")
    case_accept(case=dispute, actor=people["worker"])
    case_dispatch(case=dispute, actor=people["worker"])
    rubbish = case_report(actor=people["resident"], category=categories["rubbish"], place=located.building,
                          description="东门垃圾桶满了，垃圾堆在地上三天没人清理")

    worker = Actor(browser, live_server, people["worker"], viewport, failed)
    page = worker.page
    page.goto(f"{base}/cases/")
    rows = page.locator("#case-results tr[data-number]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-number", rubbish.number)  # the new case first, with its stage
    expect(rows.first.locator(".case-title")).to_contain_text("暴露垃圾")
    page.fill("#queue-q", "装修")  # words of the description; htmx swaps the results
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-number", dispute.number)
    assert "q=" in page.url
    shot(worker, "queue-search")
    with page.expect_navigation():
        rows.first.locator("a.case-title").click()
    opened = page.locator("details.action[open]")
    expect(opened).to_have_count(1)
    expect(opened).to_have_attribute("data-action", "mediation_open")  # not "report done": mediation first
    assert page.locator("details[data-action=feedback]").count() == 0
    shot(worker, "dispute")
    worker.act("mediation_open", parties="301室 张先生\n401室 李女士")
    expect(page.locator("details.action[open]")).to_have_attribute("data-action", "mediation_session")
    worker.close()

    case_accept(case=rubbish, actor=people["worker"])
    case_dispatch(case=rubbish, actor=people["worker"])
    resident = Actor(browser, live_server, people["resident"], viewport, failed)
    page = resident.page
    page.goto(f"{base}/cases/{rubbish.number}/")
    expect(page.locator(".status-headline")).to_contain_text("竹竿巷社区")
    expect(page.locator(".status-due")).to_be_visible()
    shot(resident, "handling")
    case_feedback(case=rubbish, actor=people["grid"], note="已通知保洁清运，地面已冲洗")
    case_verify(case=rubbish, actor=people["checker"], approved=True)

    page.goto(f"{base}/cases/notifications/")
    item = page.locator("li.notification.unread")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("暴露垃圾")
    expect(item).to_contain_text("竹竿巷小区1幢")
    shot(resident, "notification")
    with page.expect_navigation():
        item.locator(".notification-open").click()
    panel = page.locator("details[data-action=rate]")
    expect(panel).to_have_attribute("open", "")
    panel.locator("label[for$='_4']").click()
    with page.expect_navigation():
        panel.locator("button[type=submit]").click()
    assert Case.objects.values_list("stage", "rating").get(pk=rubbish.pk) == (Stage.EVALUATED, 4)
    expect(page.locator(".case-badges .rating")).to_have_text("★★★★☆")
    shot(resident, "rated")
    page.goto(f"{base}/cases/notifications/")
    expect(page.locator("li.notification.unread")).to_have_count(0)
    expect(page.locator("[data-rated='4']")).to_be_visible()
    assert not Notification.objects.filter(user=people["resident"], read_at__isnull=True).exists()
    page.goto(f"{base}/cases/mine/")
    assert page.locator(".rate-button").count() == 0
    shot(resident, "mine")
    resident.close()
    assert failed == []
