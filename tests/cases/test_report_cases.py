"""The report's case figures: coordination.disputes_resolved and coordination.cases_closed_by_level."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from commonground.cases.models import MediationOutcome, Stage
from commonground.cases.services.intake import case_report
from commonground.cases.services.mediation import mediation_conclude, mediation_open, mediation_session_add
from commonground.cases.services.workflow import (
    case_accept,
    case_dispatch,
    case_escalate,
    case_feedback,
    case_rate,
    case_reject,
    case_verify,
)
from commonground.core.models import RoleKind
from commonground.core.report_render import report_sections
from commonground.core.reporting import build_report

from .conftest import at, frozen

LIFT = {"lift_number": "1号梯", "people_trapped": "否"}
YEAR_2024 = (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))


def reported(people, category, place, *, reporter="resident", answers=None):
    return case_report(actor=people[reporter], category=category, place=place, description="请尽快处理这个问题",
                       answers=answers)


def handle_and_close(case, *, clerk, handler, verifier, level=None):
    case_accept(case=case, actor=clerk)
    case = case_dispatch(case=case, actor=clerk, level=level)
    case_feedback(case=case, actor=handler, note="已处理")
    return case_verify(case=case, actor=verifier, approved=True)


@pytest.fixture
def year_of_cases(located, categories, people, make_user):
    """Closed in 2024 in the street: building 1, community 2 (one a dispute), street 1; plus cases that
    must not count: rejected, reopened, closed in 2023, closed in the other street."""
    tree, p = located, people
    far_worker = make_user(RoleKind.COMMUNITY_WORKER, tree.far_community)
    with frozen(at(2023, 12, 20, 9, 0)):
        handle_and_close(reported(p, categories["rubbish"], tree.building), clerk=p["worker"], handler=p["grid"],
                         verifier=p["worker"])
    with frozen(at(2024, 3, 4, 9, 0)):
        rubbish = handle_and_close(reported(p, categories["rubbish"], tree.building), clerk=p["worker"],
                                   handler=p["grid"], verifier=p["worker"])
        case_rate(case=rubbish, actor=p["resident"], rating=5)
        handle_and_close(reported(p, categories["lift"], tree.building, answers=LIFT), clerk=p["worker"],
                         handler=p["commissioner"], verifier=p["worker"])
        noise = reported(p, categories["noise"], tree.building)
        case_accept(case=noise, actor=p["worker"])
        case_dispatch(case=noise, actor=p["worker"])
        mediation_open(case=noise, actor=p["grid"], parties=["301室 张某", "401室 李某"])
        mediation_session_add(case=noise, actor=p["grid"], held_on=datetime.date(2024, 3, 4), venue="社区调解室",
                              attendees="双方当事人、调解员", summary="听取双方陈述")
        mediation_conclude(case=noise, actor=p["grid"], outcome=MediationOutcome.AGREEMENT,
                           agreement_text="晚十点后不再装修")
        case_feedback(case=noise, actor=p["grid"], note="调解成功")
        case_verify(case=noise, actor=p["worker"], approved=True)
        up = reported(p, categories["rubbish"], tree.building)
        case_accept(case=up, actor=p["worker"])
        case_dispatch(case=up, actor=p["worker"])
        case_escalate(case=up, actor=p["grid"], reason="需要街道协调")
        case_feedback(case=up, actor=p["street"], note="已处理")
        case_verify(case=up, actor=p["district"], approved=True)
        case_reject(case=reported(p, categories["rubbish"], tree.building), actor=p["worker"], reason="重复反映")
        reopened = handle_and_close(reported(p, categories["rubbish"], tree.building), clerk=p["worker"],
                                    handler=p["grid"], verifier=p["worker"])
        reopened = case_rate(case=reopened, actor=p["resident"], rating=1)
        far = reported(p, categories["rubbish"], tree.far_community, reporter="district")
        handle_and_close(far, clerk=p["district"], handler=far_worker, verifier=p["district"])
    assert reopened.stage == Stage.HANDLE


def coordination(scope, period=YEAR_2024) -> dict:
    section = build_report(scope=scope, start=period[0], end=period[1])["coordination"]
    return {key: section[key] for key in ("disputes_resolved", "cases_closed_by_level")}


def test_report_coordination__street__closed_cases_by_level_and_disputes(located, year_of_cases):
    assert coordination(located.street) == {
        "disputes_resolved": 1,
        "cases_closed_by_level": {"building": 1, "estate": 0, "community": 2, "street": 1, "district": 0},
    }


def test_report_coordination__district__other_street_counted_too(located, year_of_cases):
    assert coordination(located.district)["cases_closed_by_level"] == {
        "building": 1, "estate": 0, "community": 3, "street": 1, "district": 0}


def test_report_coordination__earlier_period__only_what_closed_then(located, year_of_cases):
    figures = coordination(located.street, (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)))

    assert figures == {
        "disputes_resolved": 0,
        "cases_closed_by_level": {"building": 0, "estate": 0, "community": 1, "street": 0, "district": 0},
    }


def test_report_coordination__other_community__sees_none_of_it(located, year_of_cases):
    assert coordination(located.neighbour) == {
        "disputes_resolved": 0,
        "cases_closed_by_level": {"building": 0, "estate": 0, "community": 0, "street": 0, "district": 0},
    }


def test_report_cases__street__received_closed_on_time_and_rated(located, year_of_cases):
    section = build_report(scope=located.street, start=YEAR_2024[0], end=YEAR_2024[1])["cases"]

    assert section == {"cases_received": 6, "cases_closed": 4, "cases_closed_on_time_rate": 1.0, "cases_rated": 1,
                       "cases_mean_rating": 5.0}


def test_report_sentences__street__state_the_figures(located, year_of_cases):
    report = build_report(scope=located.street, start=YEAR_2024[0], end=YEAR_2024[1])

    with translation.override("en"):
        sentences = {section.key: section.sentences for section in report_sections(report)}

    assert sentences["cases"] == [
        "In the period 6 cases were received and 4 closed; 100.0% of those closed were closed on time.",
        "Residents rated 1 of the closed cases, 5.0 of 5 on average."]
    assert sentences["coordination"] == [
        "Of the cases closed, 3 (75.0%) were closed within the community, at building, estate or community level; "
        "1 dispute was resolved.", "No deliberation meeting was held in the period."]


def test_report_sentences__nothing_closed__says_so(located, categories, people):
    report = build_report(scope=located.neighbour, start=YEAR_2024[0], end=YEAR_2024[1])

    with translation.override("en"):
        sections = {section.key: section for section in report_sections(report)}

    assert sections["coordination"].sentences == ["No case was closed in the period.",
                                                  "No deliberation meeting was held in the period."]
    assert sections["cases"].sentences == ["In the period 0 cases were received and none was closed."]
