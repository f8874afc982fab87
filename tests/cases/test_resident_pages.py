"""What the person who reported a case reads: plain words for where it stands, who is handling it, what happens
next and by when; notifications that say what and where and stop asking for a rating once it is given."""

from __future__ import annotations

from django.utils import translation

from commonground.cases.models import Notification, NotificationKind
from commonground.cases.services.intake import case_report
from commonground.cases.services.workflow import (
    case_escalate,
    case_feedback,
    case_merge,
    case_rate,
    case_reject,
    case_verify,
)

from .test_pages import dispatched, reported, translated, url


def closed_case(people, categories, located):
    case = dispatched(people, categories["rubbish"], located.building)
    case_feedback(case=case, actor=people["grid"], note="已清运")
    return case_verify(case=case, actor=people["checker"], approved=True)


def test_case_page__reporter__who_handles_it_and_by_when_in_plain_words(client, located, categories, people):
    case = dispatched(people, categories["rubbish"], located.building)  # handled by the community
    client.force_login(people["resident"])
    response = client.get(url("detail", case.number))
    html = response.content.decode()

    status = response.context["status"]
    assert status.headline.lower() == (translated("%(who)s is handling it.") % {
        "who": translated("the residents' committee of %(place)s") % {"place": "竹竿巷社区"}}).lower()
    assert status.due and status.due in html
    assert status.label in html and status.label != translated("being handled")  # not the staff's stage word
    staff_words = [translated("level: %(level)s") % {"level": translated("community")}, translated("Handled by"),
                   translated("dispatched"), translated("accepted (立案)")]
    for word in staff_words:
        assert word not in html, word
    assert response.context["where"] == "竹竿巷小区1幢"


def test_case_page__staff__keeps_the_staff_facts(client, located, categories, people):
    case = dispatched(people, categories["rubbish"], located.building)
    client.force_login(people["worker"])
    response = client.get(url("detail", case.number))
    assert response.context["status"] is None
    assert translated("Handled by") in response.content.decode()


def test_case_page__rejected__reporter_reads_why(client, located, categories, people):
    case = reported(people["resident"], categories["rubbish"], located.estate)
    case_reject(case=case, actor=people["worker"], reason="不属于本平台受理范围")
    client.force_login(people["resident"])
    status = client.get(url("detail", case.number)).context["status"]
    assert status.next_step == translated("Why: %(reason)s") % {"reason": "不属于本平台受理范围"}


def test_case_page__escalated__timeline_names_the_level(client, located, categories, people):
    case = dispatched(people, categories["rubbish"], located.estate)
    case_escalate(case=case, actor=people["worker"], reason="需要街道协调")
    for who in ("worker", "resident"):
        client.force_login(people[who])
        labels = [event.label for event in client.get(url("detail", case.number)).context["events"]]
        assert labels[-1] == translated("escalated to the street"), who
    with translation.override("zh-hans"):
        assert translation.gettext("escalated to the street") == "上报至街道"


def test_my_cases__plain_status_steps_and_no_rate_button_once_rated(client, located, categories, people):
    case = closed_case(people, categories, located)
    client.force_login(people["resident"])
    response = client.get(url("mine"))
    card = response.context["page"].object_list[0]
    assert (card.may_rate, card.where) == (True, "竹竿巷小区1幢")
    assert card.step == len(response.context["steps"]) - 1
    assert "rate-button" in response.content.decode()
    case_rate(case=case, actor=people["resident"], rating=5)
    assert "rate-button" not in client.get(url("mine")).content.decode()


def test_notifications__closed__say_what_and_where_then_stop_asking_once_rated(client, located, categories, people):
    case = closed_case(people, categories, located)
    told = Notification.objects.get(user=people["resident"], case=case)
    assert told.message == translated("Your report “%(category)s” (%(place)s) is done. Please rate how it was "
                                      "handled.") % {"category": "暴露垃圾", "place": "竹竿巷小区1幢"}
    assert case.number not in told.message
    client.force_login(people["resident"])

    case_rate(case=case, actor=people["resident"], rating=4)

    told.refresh_from_db()
    assert told.read_at is not None  # the request to rate is settled
    html = client.get(url("notifications")).content.decode()
    assert 'data-rated="4"' in html


def test_notifications__zh__chinese_sentence_with_chinese_punctuation(located, categories, people):
    with translation.override("zh-hans"):
        case = closed_case(people, categories, located)
    message = Notification.objects.get(user=people["resident"], case=case).message
    assert message == "您反映的“暴露垃圾”（竹竿巷小区1幢）已办结，请评价办理情况。"


def test_notifications__handlers_told_what_where_and_by_when(located, categories, people):
    case = dispatched(people, categories["rubbish"], located.building)
    message = Notification.objects.get(user=people["worker"], case=case, kind=NotificationKind.ASSIGNED).message
    assert "暴露垃圾" in message and "竹竿巷小区1幢" in message and case.number not in message


def test_notifications__merged_reporter__told_of_their_own_report_not_asked_to_rate(located, categories, people):
    main = dispatched(people, categories["rubbish"], located.building)
    repeat = case_report(actor=people["neighbour_resident"], category=categories["rubbish"], place=located.estate,
                         description="小区门口垃圾没人清理")
    case_merge(duplicate=repeat, into=main, actor=people["worker"])
    case_feedback(case=main, actor=people["grid"], note="已清运")
    case_verify(case=main, actor=people["checker"], approved=True)
    message = Notification.objects.get(user=people["neighbour_resident"]).message
    assert message == translated("Your report “%(category)s” (%(place)s) was handled together with the same matter "
                                 "and is done.") % {"category": "暴露垃圾", "place": "竹竿巷小区"}
