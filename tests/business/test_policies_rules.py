"""The pure eligibility evaluator (business/policy_rules.py): the schema, each field and operator, the default
status rule, ages across birthdays and 29 February, and the reasons a firm fails."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from commonground.business.policy_rules import (
    FirmFacts,
    age_in_years,
    describe,
    effective_rules,
    evaluate,
    registered_by,
    validate_rules,
)

TODAY = datetime.date(2023, 8, 31)
FIRM = FirmFacts(industry_code="I6510", registered_capital=Decimal("5000000"), last_year_tax=Decimal("800000"),
                 headcount=80, building_code="B1", business_community_code="BC1",
                 registered_on=datetime.date(2020, 3, 1), tier="key", status="active")


def rule(field, op, value):
    return {"field": field, "op": op, "value": value}


@pytest.mark.parametrize(("rules", "eligible"), [
    ([], True),
    ([rule("industry", "prefix", ["I65"])], True),
    ([rule("industry", "prefix", ["I64", "M"])], False),
    ([rule("industry", "eq", "i6510")], True),
    ([rule("industry", "in", ["I6510", "I6520"])], True),
    ([rule("registered_capital", "ge", "5000000")], True),
    ([rule("registered_capital", "ge", "5000000.01")], False),
    ([rule("registered_capital", "le", "1000000")], False),
    ([rule("last_year_tax", "ge", "800000")], True),
    ([rule("last_year_tax", "ge", "800001")], False),
    ([rule("headcount", "eq", 80)], True),
    ([rule("headcount", "le", 79)], False),
    ([rule("building", "in", ["B2", "B1"])], True),
    ([rule("business_community", "eq", "BC2")], False),
    ([rule("age_years", "ge", 3)], True),
    ([rule("age_years", "le", 2)], False),
    ([rule("tier", "eq", "ordinary")], False),
    ([rule("status", "in", ["active", "moved_out"])], True),
    ([rule("industry", "prefix", ["I"]), rule("headcount", "ge", 100)], False),
])
def test_evaluate__each_field_and_operator__as_stated(rules, eligible):
    assert evaluate(validate_rules(rules), FIRM, TODAY).eligible is eligible


def test_evaluate__moved_out_firm_without_status_rule__not_eligible_and_says_why():
    verdict = evaluate([], replace(FIRM, status="moved_out"), TODAY)
    assert verdict.eligible is False
    assert [failure.reason for failure in verdict.failures] == [
        "Needs operating status equal to operating; the firm has moved out."]


def test_evaluate__two_rules_fail__both_reasons_in_order():
    rules = validate_rules([rule("registered_capital", "ge", 10_000_000), rule("headcount", "ge", 100),
                            rule("tier", "eq", "key")])
    verdict = evaluate(rules, FIRM, TODAY)
    assert [failure.rule["field"] for failure in verdict.failures] == ["registered_capital", "headcount"]
    assert verdict.failures[0].reason == ("Needs registered capital (yuan) at least 10,000,000.00; the firm has "
                                          "5,000,000.00.")
    assert verdict.failures[1].reason == "Needs number of employees at least 100; the firm has 80."


def test_effective_rules__status_rule_given__no_default_added():
    assert effective_rules([rule("status", "eq", "moved_out")]) == [rule("status", "eq", "moved_out")]
    assert effective_rules([]) == [rule("status", "eq", "active")]


@pytest.mark.parametrize(("registered", "today", "age"), [
    (datetime.date(2020, 3, 1), datetime.date(2023, 2, 28), 2),
    (datetime.date(2020, 3, 1), datetime.date(2023, 3, 1), 3),
    (datetime.date(2020, 2, 29), datetime.date(2023, 2, 28), 2),
    (datetime.date(2020, 2, 29), datetime.date(2023, 3, 1), 3),
    (datetime.date(2020, 2, 29), datetime.date(2024, 2, 29), 4),
    (datetime.date(2023, 9, 1), datetime.date(2023, 8, 31), 0),
])
def test_age_in_years__birthdays_and_29_february(registered, today, age):
    assert age_in_years(registered, today) == age


@given(registered=st.dates(datetime.date(1990, 1, 1), datetime.date(2030, 12, 31)),
       today=st.dates(datetime.date(2000, 1, 1), datetime.date(2030, 12, 31)),
       years=st.integers(0, 30))
def test_registered_by__agrees_with_age_in_years(registered, today, years):
    """The ORM form of "age ≥ n" (registered on or before registered_by) is the evaluator's reading."""
    assume(registered <= today)
    assert (registered <= registered_by(today, years)) == (age_in_years(registered, today) >= years)


@pytest.mark.parametrize(("raw", "message"), [
    ("x", "The eligibility rules must be a list."),
    ([rule("colour", "eq", "red")], "Rule 1: unknown field."),
    ([rule("headcount", "prefix", "1")], "Rule 1: this operator does not apply to number of employees."),
    ([rule("headcount", "ge", "many")], "Rule 1: give a number."),
    ([rule("headcount", "ge", 2.5)], "Rule 1: give a whole number."),
    ([rule("registered_capital", "ge", -1)], "Rule 1: give a number of zero or more."),
    ([rule("registered_capital", "ge", "NaN")], "Rule 1: give a number."),
    ([rule("registered_capital", "ge", True)], "Rule 1: give a number."),
    ([rule("tier", "eq", "vip")], "Rule 1: the tier is key or ordinary."),
    ([rule("industry", "eq", ["I65", "I64"])], "Rule 1: “equal to” takes one value; use “one of” for several."),
    ([rule("industry", "prefix", [])], "Rule 1: give at least one value."),
    ([rule("industry", "prefix", ["I6-5"])], "Rule 1: an industry code is a letter followed by digits, such as I65."),
    ([{"field": "headcount", "op": "ge", "value": 1, "extra": 1}],
     "Rule 1: give a field, an operator and a value."),
    ([rule("headcount", "ge", 1), "headcount"], "Rule 2: give a field, an operator and a value."),
])
def test_validate_rules__each_kind_of_bad_rule__refused_with_its_position(raw, message):
    with pytest.raises(ValidationError) as error:
        validate_rules(raw)
    assert error.value.message_dict["rules"] == [message]


def test_validate_rules__normalises_values():
    assert validate_rules([rule("industry", "prefix", "i65"), rule("registered_capital", "ge", "1000000.00"),
                           rule("headcount", "ge", "10"), rule("building", "eq", ["B1"])]) == [
        rule("industry", "prefix", ["I65"]), rule("registered_capital", "ge", "1000000"),
        rule("headcount", "ge", 10), rule("building", "eq", "B1")]
    assert validate_rules(None) == []


def test_describe__plain_language_with_place_names():
    assert describe(rule("business_community", "in", ["BC1", "BC2"]), {"BC1": "新天地商务社区"}) == (
        "business community (place code) one of 新天地商务社区、BC2")
    assert describe(rule("industry", "prefix", ["I65", "M"])) == "industry code starting with I65、M"
