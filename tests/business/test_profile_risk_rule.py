"""The retention score's rule (business/risk.py) on hand-made signals: each reason fires at its edge and not
below it, points add up and the score stops at 100."""

from __future__ import annotations

import datetime
from decimal import Decimal

from commonground.business import risk
from commonground.business.rules import RISK_DEFAULTS

DAY = datetime.date(2024, 5, 6)
W = dict(RISK_DEFAULTS)


def codes(signals: risk.Signals) -> dict[str, int]:
    return {reason["code"]: reason["points"] for reason in risk.reasons(signals, W)}


def test_reasons__quiet_firm__none_and_score_zero():
    assert risk.assess(risk.Signals(today=DAY, tax_this_year=Decimal(100), tax_last_year=Decimal(100),
                                    headcount=10, headcount_year_ago=10), W) == (0, [])


def test_tax_fall__twenty_percent_down__fires_with_evidence():
    found = risk.reasons(risk.Signals(today=DAY, tax_this_year=Decimal(80), tax_last_year=Decimal(100)), W)
    assert [(r["code"], r["points"], r["evidence"]["percent"]) for r in found] == [("tax_fall", 30, 20)]
    assert found[0]["text"] == ("Tax this year so far ¥80, 20% below the same months last year (¥100).")


def test_tax_fall__nineteen_percent_or_nothing_last_year__does_not_fire():
    assert codes(risk.Signals(today=DAY, tax_this_year=Decimal(81), tax_last_year=Decimal(100))) == {}
    assert codes(risk.Signals(today=DAY, tax_this_year=Decimal(0), tax_last_year=Decimal(0))) == {}


def test_lease_ending__within_180_days_or_ended__fires():
    assert codes(risk.Signals(today=DAY, lease_ends_on=DAY + datetime.timedelta(days=180))) == {"lease_ending": 20}
    ended = risk.reasons(risk.Signals(today=DAY, lease_ends_on=DAY - datetime.timedelta(days=3)), W)
    assert ended[0]["text"] == "The lease ended on 2024-05-03."


def test_lease_ending__181_days_away_or_not_present__does_not_fire():
    assert codes(risk.Signals(today=DAY, lease_ends_on=DAY + datetime.timedelta(days=181))) == {}
    assert codes(risk.Signals(today=DAY, lease_ends_on=DAY, present=False)) == {}


def test_registration_move__announced__fires():
    assert codes(risk.Signals(today=DAY, registration_move_announced_on=DAY)) == {"registration_move": 30}
    assert codes(risk.Signals(today=DAY)) == {}


def test_headcount_fall__a_fifth_fewer__fires_and_less_does_not():
    assert codes(risk.Signals(today=DAY, headcount=80, headcount_year_ago=100)) == {"headcount_fall": 15}
    assert codes(risk.Signals(today=DAY, headcount=81, headcount_year_ago=100)) == {}
    assert codes(risk.Signals(today=DAY, headcount=0, headcount_year_ago=None)) == {}


def test_demands__open_and_overdue__points_each_capped():
    assert codes(risk.Signals(today=DAY, demands_open=1)) == {"demands": 5}
    assert codes(risk.Signals(today=DAY, demands_open=2, demands_overdue=1)) == {"demands": 15}
    assert codes(risk.Signals(today=DAY, demands_open=5, demands_overdue=5)) == {"demands": 25}
    assert codes(risk.Signals(today=DAY, demands_open=0)) == {}


def test_complaints__two_fire_one_does_not():
    assert codes(risk.Signals(today=DAY, complaints=2)) == {"complaints": 15}
    assert codes(risk.Signals(today=DAY, complaints=1)) == {}


def test_registered_elsewhere__present_only():
    assert codes(risk.Signals(today=DAY, registered_here=False)) == {"registered_elsewhere": 10}
    assert codes(risk.Signals(today=DAY, registered_here=False, present=False)) == {}


def test_score__every_signal__sum_capped_at_100():
    signals = risk.Signals(today=DAY, tax_this_year=Decimal(0), tax_last_year=Decimal(1), lease_ends_on=DAY,
                           registration_move_announced_on=DAY, headcount=1, headcount_year_ago=10, demands_open=3,
                           demands_overdue=3, complaints=3, registered_here=False)
    score, found = risk.assess(signals, W)
    assert sum(r["points"] for r in found) == 30 + 20 + 30 + 15 + 25 + 15 + 10
    assert score == 100


def test_weights__a_zero_weight__reason_left_out():
    assert risk.reasons(risk.Signals(today=DAY, registered_here=False), {**W, "registered_elsewhere": 0}) == []
