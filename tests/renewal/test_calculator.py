"""The one ruler's arithmetic on hand-worked households: every option, every line, worked out here by hand."""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.renewal.calculator import (
    HouseholdFacts,
    RuleBroken,
    check_request,
    compute,
    compute_request,
    validate_rules,
)

from .ruleset_data import RULES, rules

MAY = datetime.date(2023, 5, 1)     # first incentive tier
JUNE = datetime.date(2023, 6, 10)   # second tier
JULY = datetime.date(2023, 7, 1)    # after the last tier


def by_option(results):
    return {r.option: r for r in results}


def amounts(result):
    return [(line.clause, line.amount) for line in result.lines]


def test_compute__ground_floor_flat_in_may__every_line_by_hand():
    # 甲幢, 61.75 m², floor 1 (factor 0.98), offer on 2023-05-01 (first tier: ¥50,000)
    options = by_option(compute(RULES, HouseholdFacts(D("61.75"), 1, "甲幢", MAY)))

    value = D("61.75") * 32000 * D("0.98")          # 1,976,000 × 0.98 = 1,936,480.00
    assert value == D("1936480.00")
    moving = max(D("61.75") * 20, D(1500))           # 1,235 < 1,500: the minimum
    cash = options["cash"]
    assert amounts(cash) == [("第三条第（一）项", D("1936480.00")),
                             ("第三条第（二）项", D("1500.00")),            # 1,500 × 1 move
                             ("第三条第（三）项", D("14820.00")),           # 61.75 × 40 × 6 months
                             ("第三条第（四）项", D("50000.00"))]
    assert moving == D(1500)
    assert cash.total == D("2002800.00")                                # 1,936,480 + 1,500 + 14,820 + 50,000
    assert cash.entitled_area_m2 is None
    assert cash.lines[0].basis == "61.75 m² × ¥32,000/m² × 0.98"

    exchange = options["exchange"]
    # entitled: 61.75 × 1 + min(61.75 × 0.10 = 6.175, 10) = 67.925 → 67.93 (half up)
    assert exchange.entitled_area_m2 == D("67.93")
    assert amounts(exchange) == [("第三条第（一）项", D("1936480.00")),
                                 ("第四条", D("-1358600.00")),              # -67.93 × 20,000
                                 ("第三条第（二）项", D("3000.00")),         # 1,500 × 2 moves
                                 ("第三条第（三）项", D("88920.00")),        # 61.75 × 40 × 36
                                 ("第三条第（四）项", D("50000.00"))]
    assert exchange.total == D("719800.00")  # 1,936,480 − 1,358,600 + 3,000 + 88,920 + 50,000

    own = options["self_renewal"]
    # entitled: 61.75 + min(61.75 × 0.20 = 12.35, 15) = 74.10
    assert own.entitled_area_m2 == D("74.10")
    assert amounts(own) == [("第五条", D("-83362.50")),                      # -61.75 × 1,350
                            ("第三条第（二）项", D("3000.00")),
                            ("第三条第（三）项", D("74100.00")),             # 61.75 × 40 × 30
                            ("第三条第（四）项", D("50000.00"))]
    assert own.total == D("43737.50")  # −83,362.50 + 3,000 + 74,100 + 50,000


def test_compute__third_floor_flat_in_june__caps_and_second_tier():
    # 甲幢, 88.88 m², floor 3 (factor 1.02), 2023-06-10 (second tier: ¥20,000 under its own clause)
    options = by_option(compute(RULES, HouseholdFacts(D("88.88"), 3, "甲幢", JUNE)))

    cash = options["cash"]
    assert amounts(cash) == [("第三条第（一）项", D("2901043.20")),  # 88.88 × 32,000 × 1.02 = 88.88 × 32,640
                             ("第三条第（二）项", D("1777.60")),     # 88.88 × 20 = 1,777.60 > 1,500
                             ("第三条第（三）项", D("21331.20")),    # 88.88 × 40 × 6
                             ("第三条第（五）项", D("20000.00"))]
    assert cash.total == D("2944152.00")

    exchange = options["exchange"]
    assert exchange.entitled_area_m2 == D("97.77")  # 88.88 + min(8.888, 10) = 97.768 → 97.77
    assert amounts(exchange)[1:] == [("第四条", D("-1955400.00")),       # -97.77 × 20,000
                                     ("第三条第（二）项", D("3555.20")),  # 1,777.60 × 2
                                     ("第三条第（三）项", D("127987.20")),  # 88.88 × 40 × 36
                                     ("第三条第（五）项", D("20000.00"))]
    assert exchange.total == D("1097185.60")  # 2,901,043.20 − 1,955,400 + 3,555.20 + 127,987.20 + 20,000

    own = options["self_renewal"]
    assert own.entitled_area_m2 == D("103.88")  # 88.88 + min(17.776, 15): the bonus is capped at 15
    assert amounts(own) == [("第五条", D("-119988.00")),                  # -88.88 × 1,350
                            ("第三条第（二）项", D("3555.20")),
                            ("第三条第（三）项", D("106656.00")),          # 88.88 × 40 × 30
                            ("第三条第（五）项", D("20000.00"))]
    assert own.total == D("10223.20")


def test_compute__after_the_last_tier__no_incentive_line():
    options = by_option(compute(RULES, HouseholdFacts(D("61.75"), 1, "甲幢", JULY)))

    assert [line.clause for line in options["cash"].lines] == ["第三条第（一）项", "第三条第（二）项", "第三条第（三）项"]
    assert options["cash"].total == D("1952800.00")  # 2,002,800 without the 50,000


def test_compute__incentive_on_its_last_day__still_given():
    options = by_option(compute(RULES, HouseholdFacts(D("61.75"), 1, "甲幢", datetime.date(2023, 5, 21))))

    assert options["cash"].lines[-1].amount == D("50000.00")


def test_compute__half_a_fen__rounded_up_per_line_and_total_is_sum_of_lines():
    # 10.01 m² × ¥1,350.5/m² = 13,518.505 → −13,518.51 (half up, away from zero; half even would give .50)
    terms = dict(RULES["self_renewal"], contribution_per_m2="1350.5")
    options = by_option(compute(rules(self_renewal=terms), HouseholdFacts(D("10.01"), 2, "乙幢", JULY)))

    own = options["self_renewal"]
    assert own.lines[0].amount == D("-13518.51")
    # moving max(10.01 × 20 = 200.20, 1,500) × 2 = 3,000; temporary 10.01 × 40 × 30 = 12,012
    assert own.total == D("-13518.51") + D("3000.00") + D("12012.00") == D("1493.49")
    assert own.total == sum(line.amount for line in own.lines)


def test_compute__only_the_options_offered():
    offered = {"clause": "第二条", "options": ["cash"]}

    assert [r.option for r in compute(rules(offered=offered), HouseholdFacts(D("50"), 2, "乙幢", MAY))] == ["cash"]


def test_check_request__within_entitled_plus_cap__allowed_and_priced():
    facts = HouseholdFacts(D("61.75"), 1, "甲幢", MAY)

    assert check_request(RULES, facts, "exchange", D("77.93")) is None  # 67.93 entitled + 10 extra
    more = compute_request(RULES, facts, "exchange", D("75"))
    # the entitled 67.93 m² at 20,000 as before, and 75 − 67.93 = 7.07 m² extra at 30,000 = 212,100
    assert (more.lines[1].amount, more.lines[2].amount, more.lines[2].clause) == (
        D("-1358600.00"), D("-212100.00"), "第四条第（三）项")
    assert more.total == D("719800.00") - D("212100.00")
    less = compute_request(RULES, facts, "exchange", D("60"))
    assert less.lines[1].amount == D("-1200000.00")  # only the 60 m² taken is charged
    assert less.total == D("878400.00")  # 1,936,480 − 1,200,000 + 3,000 + 88,920 + 50,000


@pytest.mark.parametrize(("option", "area", "clause"), [
    ("exchange", D("77.94"), "第四条第（三）项"),       # 0.01 m² beyond entitled + cap
    ("self_renewal", D("84.11"), "第五条第（二）项"),   # 74.10 + 10 = 84.10 at most
    ("cash", D("50"), "第二条"),                      # cash gives no flat
    ("self_renewal", D("0"), "第五条"),
])
def test_check_request__outside_the_rules__refused_with_the_clause(option, area, clause):
    with pytest.raises(RuleBroken) as refused:
        check_request(RULES, HouseholdFacts(D("61.75"), 1, "甲幢", MAY), option, area)
    assert refused.value.clause == clause


def test_check_request__option_not_offered__refused_with_the_offering_clause():
    offered = {"clause": "第二条", "options": ["cash", "exchange"]}

    with pytest.raises(RuleBroken) as refused:
        check_request(rules(offered=offered), HouseholdFacts(D("61.75"), 1, "甲幢", MAY), "self_renewal", D("60"))
    assert refused.value.clause == "第二条"


def test_compute__building_without_price__refused():
    with pytest.raises(RuleBroken):
        compute(RULES, HouseholdFacts(D("61.75"), 1, "丙幢", MAY))


def test_validate_rules__good_rules__no_error():
    assert validate_rules(RULES, buildings=["1幢", "甲幢", "乙幢"]) == {}


def test_validate_rules__each_mistake__named_by_key():
    bad = copy.deepcopy(RULES)
    bad["valuation"]["unit_prices"] = {"1幢": "1", "甲幢": "-1", "丙幢": "30000"}
    bad["valuation"]["floor_factors"]["0"] = "1"
    bad["incentives"]["tiers"][1]["until"] = "2023-05-01"
    bad["exchange"]["ratio"] = "0"
    del bad["exchange"]["settlement_price"]
    bad["moving"]["times"]["rent"] = 1
    bad["self_renewal"]["contribution_per_m2"] = "abc"

    errors = validate_rules(bad, buildings=["1幢", "甲幢", "乙幢"])

    assert set(errors) == {
        "valuation.unit_prices.甲幢", "valuation.unit_prices.乙幢", "valuation.unit_prices.丙幢",
        "valuation.floor_factors.0", "incentives.tiers.2.until", "exchange.ratio", "exchange.settlement_price",
        "moving.times.rent", "self_renewal.contribution_per_m2"}
    assert errors["valuation.unit_prices.乙幢"].startswith("Missing")
    assert errors["valuation.unit_prices.丙幢"].startswith("Unknown building")
    assert "ascend" in errors["incentives.tiers.2.until"]


def test_validate_rules__not_an_object_or_sections_missing__refused():
    assert validate_rules(["x"]) == {"rules": "The rules must be a JSON object."}
    assert {"offered", "valuation"} <= set(validate_rules({}))


areas = st.decimals(min_value=D("10.00"), max_value=D("300.00"), places=2, allow_nan=False, allow_infinity=False)
days = st.dates(min_value=datetime.date(2023, 3, 1), max_value=datetime.date(2023, 8, 1))


@settings(max_examples=60, deadline=None)
@given(area=areas, floor=st.integers(1, 6), building=st.sampled_from(["甲幢", "乙幢"]), on=days)
def test_compute__identical_inputs__identical_outputs(area, floor, building, on):
    facts = HouseholdFacts(area, floor, building, on)
    first = compute(RULES, facts)
    again = compute(copy.deepcopy(RULES), HouseholdFacts(D(str(area)), floor, building, on))

    assert first == again
    for result in first:
        assert result.total == sum(line.amount for line in result.lines)
        assert all(line.amount == line.amount.quantize(D("0.01")) for line in result.lines)
