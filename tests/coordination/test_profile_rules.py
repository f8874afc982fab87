"""The warnings at their boundaries (pure rule, no database)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from commonground.coordination.profile_rules import (
    HIGH,
    LOW,
    MEDIUM,
    EstateFacts,
    Kind,
    Limits,
    add_months,
    urgency,
    warnings_of,
)

TODAY = datetime.date(2023, 8, 31)
LIMITS = Limits(today=TODAY)  # 3 months, 3.5 of 5, at least 5 ratings
FAR = datetime.date(2030, 1, 1)


def kinds(**facts) -> list[str]:
    base = {"has_committee": True, "term_to": FAR, "contract_ends_on": FAR}
    return [w.kind for w in warnings_of(EstateFacts(**{**base, **facts}), LIMITS)]


def test_add_months__month_end__clamped():
    assert add_months(TODAY, 3) == datetime.date(2023, 11, 30)
    assert add_months(datetime.date(2023, 11, 30), 3) == datetime.date(2024, 2, 29)
    assert add_months(TODAY, -12) == datetime.date(2022, 8, 31)


def test_warnings__all_in_order__none():
    assert kinds() == []


@pytest.mark.parametrize(("term_to", "expected"), [
    (datetime.date(2023, 11, 30), [Kind.TERM_ENDING]),  # exactly 3 months ahead
    (datetime.date(2023, 12, 1), []),  # 3 months and a day
    (TODAY, [Kind.TERM_ENDING]),  # its last day is today
    (TODAY - datetime.timedelta(days=1), [Kind.TERM_ENDED]),
    (None, [Kind.TERM_UNKNOWN]),
])
def test_committee_term__boundaries(term_to, expected):
    assert kinds(term_to=term_to) == expected


def test_no_committee__term_not_asked():
    assert kinds(has_committee=False, term_to=None) == [Kind.NO_COMMITTEE]


@pytest.mark.parametrize(("ends_on", "expected"), [
    (TODAY, [Kind.CONTRACT_ENDING]),  # ends today: still in force, ending
    (TODAY + datetime.timedelta(days=1), [Kind.CONTRACT_ENDING]),
    (datetime.date(2023, 11, 30), [Kind.CONTRACT_ENDING]),
    (datetime.date(2023, 12, 1), []),
    (TODAY - datetime.timedelta(days=1), [Kind.CONTRACT_ENDED]),
    (None, [Kind.NO_CONTRACT]),
])
def test_contract__boundaries(ends_on, expected):
    assert kinds(contract_ends_on=ends_on) == expected


def test_overdue__zero_none_one_warns():
    assert kinds(overdue=0) == []
    assert kinds(overdue=1) == [Kind.OVERDUE_CASES]


@pytest.mark.parametrize(("rated", "rating_sum", "expected"), [
    (10, 35, []),  # exactly 3.5: not below
    (10, 34, [Kind.LOW_SATISFACTION]),  # 3.4
    (4, 4, []),  # 1.0 but only 4 ratings
    (5, 5, [Kind.LOW_SATISFACTION]),  # 5 ratings: enough
    (0, 0, []),
])
def test_low_satisfaction__threshold_and_minimum(rated, rating_sum, expected):
    assert kinds(rated=rated, rating_sum=rating_sum) == expected


def test_low_evaluation__residents_score_below_the_supervision_threshold__warns():
    assert kinds(evaluation_score=Decimal("59.9")) == [Kind.LOW_EVALUATION]
    assert kinds(evaluation_score=Decimal("60.0")) == []


def test_warnings__most_severe_first_and_severities():
    found = warnings_of(EstateFacts(has_committee=True, term_to=None, contract_ends_on=TODAY, overdue=2), LIMITS)
    assert [(w.kind, w.severity) for w in found] == [
        (Kind.OVERDUE_CASES, HIGH), (Kind.CONTRACT_ENDING, MEDIUM), (Kind.TERM_UNKNOWN, LOW)]


def test_urgency__severity_then_weight_then_count():
    high = warnings_of(EstateFacts(has_committee=False, contract_ends_on=FAR), LIMITS)
    two_medium = warnings_of(EstateFacts(has_committee=True, term_to=TODAY, contract_ends_on=TODAY), LIMITS)
    low = warnings_of(EstateFacts(has_committee=True, contract_ends_on=FAR), LIMITS)
    ordered = sorted([low, two_medium, [], high], key=urgency)
    assert ordered == [high, two_medium, low, []]
