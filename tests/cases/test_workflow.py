from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.cases.models import Case, Level, MediationOutcome, Notification, Stage
from commonground.cases.services.intake import case_report
from commonground.cases.services.mediation import mediation_conclude, mediation_open, mediation_session_add
from commonground.cases.services.workflow import (
    allowed_actions,
    case_accept,
    case_dispatch,
    case_escalate,
    case_feedback,
    case_merge,
    case_note,
    case_rate,
    case_reject,
    case_verify,
)

ANSWERS = {"lift-broken": {"lift_number": "1号梯", "people_trapped": "否"}}


def new_case(tree, people, category) -> Case:
    return case_report(actor=people["resident"], category=category, place=tree.building,
                       description="楼道口垃圾三天没人清理", answers=ANSWERS.get(category.code))


def dispatched(tree, people, category, level=None) -> Case:
    case = new_case(tree, people, category)
    case_accept(case=case, actor=people["worker"])
    return case_dispatch(case=case, actor=people["worker"], level=level)


def closed(tree, people, categories) -> Case:
    case = dispatched(tree, people, categories["rubbish"])
    case_feedback(case=case, actor=people["grid"], note="已清运")
    return case_verify(case=case, actor=people["worker"], approved=True)


def test_full_loop__seven_stages__logged_in_order(located, categories, people):
    case = new_case(located, people, categories["rubbish"])
    case_accept(case=case, actor=people["worker"], note="属实")
    case = case_dispatch(case=case, actor=people["worker"])
    assert (case.level, case.handling_place) == (Level.COMMUNITY, located.community)
    assert case.deadline > case.dispatched_at
    case_note(case=case, actor=people["grid"], note="已联系保洁")
    case_feedback(case=case, actor=people["grid"], note="已清运")
    case = case_verify(case=case, actor=people["worker"], approved=True, note="现场核查干净")
    assert (case.stage, case.closed_level) == (Stage.CLOSED, Level.COMMUNITY)
    case = case_rate(case=case, actor=people["resident"], rating=5)
    assert (case.stage, case.rating) == (Stage.EVALUATED, 5)
    assert [(e.action, e.from_stage, e.to_stage) for e in case.events.all()] == [
        ("reported", "", Stage.COLLECT), ("accepted", Stage.COLLECT, Stage.CREATE),
        ("dispatched", Stage.CREATE, Stage.DISPATCH), ("note", Stage.DISPATCH, Stage.HANDLE),
        ("feedback", Stage.HANDLE, Stage.FEEDBACK), ("closed", Stage.FEEDBACK, Stage.CLOSED),
        ("rated", Stage.CLOSED, Stage.EVALUATED),
    ]
    assert Notification.objects.filter(user=people["grid"], case=case, kind="assigned").exists()
    assert Notification.objects.filter(user=people["resident"], case=case, kind="closed").exists()


@pytest.mark.parametrize("step", ["dispatch_before_accept", "feedback_before_dispatch", "verify_before_feedback",
                                  "rate_before_close", "accept_twice"])
def test_illegal_transition__refused_and_nothing_changed(located, categories, people, step, nothing_written):
    case = new_case(located, people, categories["rubbish"])
    if step == "accept_twice":
        case_accept(case=case, actor=people["worker"])
    with nothing_written():
        actions = {
            "dispatch_before_accept": lambda: case_dispatch(case=case, actor=people["worker"]),
            "feedback_before_dispatch": lambda: case_feedback(case=case, actor=people["worker"], note="done"),
            "verify_before_feedback": lambda: case_verify(case=case, actor=people["worker"], approved=True),
            "rate_before_close": lambda: case_rate(case=case, actor=people["resident"], rating=5),
            "accept_twice": lambda: case_accept(case=case, actor=people["worker"]),
        }
        with pytest.raises(ValidationError):
            actions[step]()


@pytest.mark.parametrize("actor", ["resident", "neighbour_worker", "grid"])
def test_case_accept__without_permission_or_outside_scope__denied_nothing_changed(located, categories, people, actor, nothing_written):
    case = new_case(located, people, categories["rubbish"])
    with nothing_written(), pytest.raises(PermissionDenied):
        case_accept(case=case, actor=people[actor])


def test_case_reject__needs_reason__then_rejected_and_reporter_told(located, categories, people):
    case = new_case(located, people, categories["rubbish"])
    with pytest.raises(ValidationError):
        case_reject(case=case, actor=people["worker"], reason="  ")
    case = case_reject(case=case, actor=people["worker"], reason="不属于本平台受理范围")
    assert case.stage == Stage.REJECTED
    assert Notification.objects.get(user=people["resident"]).message.endswith("不属于本平台受理范围")


def test_case_handle__only_at_the_handling_level(located, categories, people):
    case = dispatched(located, people, categories["lift"])  # building level
    assert (case.level, case.handling_place) == (Level.BUILDING, located.building)
    case_note(case=case, actor=people["commissioner"], note="已报修")
    escalated = case_escalate(case=case, actor=people["commissioner"], reason="需要维修资金，楼栋解决不了")
    assert (escalated.level, escalated.handling_place, escalated.escalations) == (Level.ESTATE, located.estate, 1)
    with pytest.raises(PermissionDenied):
        case_note(case=escalated, actor=people["commissioner"], note="还在跟进")


def test_case_escalate__ladder_up_to_district_then_refused(located, categories, people, nothing_written):
    case = dispatched(located, people, categories["rubbish"])
    case = case_escalate(case=case, actor=people["worker"], reason="需街道协调")
    assert (case.level, case.handling_place) == (Level.STREET, located.street)
    case = case_escalate(case=case, actor=people["street"], reason="需区级部门")
    assert (case.level, case.handling_place) == (Level.DISTRICT, located.district)
    with nothing_written(), pytest.raises(ValidationError):
        case_escalate(case=case, actor=people["district"], reason="再上报")


def test_case_verify__by_the_handler_who_reported_done__refused(located, categories, people):
    case = dispatched(located, people, categories["rubbish"])
    case_feedback(case=case, actor=people["worker"], note="已清运")
    with pytest.raises(PermissionDenied):
        case_verify(case=case, actor=people["worker"], approved=True)
    case = case_verify(case=case, actor=people["checker"], approved=False, note="还有残留")
    assert case.stage == Stage.HANDLE


def test_case_rate__only_by_reporter_and_in_range(located, categories, people):
    case = closed(located, people, categories)
    with pytest.raises(PermissionDenied):
        case_rate(case=case, actor=people["worker"], rating=5)
    with pytest.raises(ValidationError):
        case_rate(case=case, actor=people["resident"], rating=6)
    assert Case.objects.get(pk=case.pk).stage == Stage.CLOSED


def test_case_rate__dissatisfied__reopens_once_then_goes_up(located, categories, people):
    case = closed(located, people, categories)
    case = case_rate(case=case, actor=people["resident"], rating=1, comment="根本没处理")
    assert (case.stage, case.reopenings, case.level, case.rating) == (Stage.HANDLE, 1, Level.COMMUNITY, None)
    case_feedback(case=case, actor=people["grid"], note="重新清运")
    case = case_verify(case=case, actor=people["worker"], approved=True)
    case = case_rate(case=case, actor=people["resident"], rating=2)
    assert (case.stage, case.level, case.handling_place, case.reopenings) == (
        Stage.DISPATCH, Level.STREET, located.street, 2)
    assert Notification.objects.filter(user=people["street"], case=case, kind="escalated").exists()


def test_case_feedback__dispute_without_mediation_outcome__refused(located, categories, people):
    case = dispatched(located, people, categories["noise"])
    with pytest.raises(ValidationError):
        case_feedback(case=case, actor=people["worker"], note="已调解")
    mediation_open(case=case, actor=people["worker"], parties=["301室 张某", "401室 李某"])
    with pytest.raises(ValidationError):
        mediation_conclude(case=case, actor=people["worker"], outcome=MediationOutcome.AGREEMENT,
                           agreement_text="晚十点后不装修")
    mediation_session_add(case=case, actor=people["worker"], held_on=datetime.date(2024, 5, 1), venue="说事亭",
                          attendees="张某、李某、网格员", summary="双方同意调解")
    mediation_conclude(case=case, actor=people["worker"], outcome=MediationOutcome.AGREEMENT,
                       agreement_text="晚十点后不装修")
    case = case_feedback(case=case, actor=people["worker"], note="调解成功")
    assert case.stage == Stage.FEEDBACK


def test_case_merge__duplicate_shares_outcome(located, categories, people):
    main = dispatched(located, people, categories["rubbish"])
    repeat = case_report(actor=people["grid"], category=categories["rubbish"], place=located.building,
                         description="同一处垃圾又有人反映")
    merged = case_merge(duplicate=repeat, into=main, actor=people["worker"])
    assert (merged.stage, merged.merged_into, merged.outcome_case) == (Stage.MERGED, main, main)
    case_feedback(case=main, actor=people["grid"], note="已清运")
    case_verify(case=main, actor=people["worker"], approved=True)
    assert Case.objects.get(pk=repeat.pk).closed_at is not None
    with pytest.raises(ValidationError):
        case_merge(duplicate=main, into=main, actor=people["worker"])


def test_allowed_actions__follow_stage_and_resolver(located, categories, people):
    case = new_case(located, people, categories["rubbish"])
    assert allowed_actions(people["worker"], case) == ["accept", "reject", "merge"]
    assert allowed_actions(people["resident"], case) == []
    assert allowed_actions(people["neighbour_worker"], case) == []
    case = dispatched(located, people, categories["rubbish"])
    case = case_feedback(case=case, actor=people["worker"], note="已清运")
    assert "verify" not in allowed_actions(people["worker"], case)
    assert "verify" in allowed_actions(people["checker"], case)
    case = closed(located, people, categories)
    assert allowed_actions(people["resident"], case) == ["rate"]
