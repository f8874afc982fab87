"""浙工新村's compensation rules (the one ruler) through the services: version 1 drafted by the office and approved
and published by the street with the plan on 2023-03-20; version 2, which moves the first incentive's last day
from 21 May to 31 May, published on 2023-05-10 (every household unsigned then is recomputed, those signed keep
version 1). The figures are the demo's own, shaped like the 2023 plan (owners' contribution ¥1,350/m²)."""

from __future__ import annotations

import copy
import datetime

from ..services.rulesets import ruleset_approve, ruleset_draft, ruleset_publish
from .world import World, local

# Appraised unit prices (¥/m²) of the 13 old buildings, floor factors of a six-storey walk-up.
UNIT_PRICES = {"1幢": "38600", "2幢": "38600", "3幢": "38200", "4幢": "38200", "5幢": "37900", "6幢": "37900",
               "7幢": "37500", "8幢": "37500", "9幢": "37200", "10幢": "37200", "11幢": "36800", "12幢": "36800",
               "13幢": "36500"}

ZHEGONG_RULES: dict = {
    "offered": {"clause": "第二条", "options": ["cash", "exchange", "self_renewal"]},
    "valuation": {"clause": "第三条第（一）项", "unit_prices": UNIT_PRICES,
                  "floor_factors": {"1": "0.98", "2": "1.00", "3": "1.02", "4": "1.02", "5": "1.00", "6": "0.95"},
                  "default_floor_factor": "1.00"},
    "moving": {"clause": "第三条第（二）项", "per_m2": "20", "minimum": "1500",
               "times": {"cash": 1, "exchange": 2, "self_renewal": 2}},
    "temporary_housing": {"clause": "第三条第（三）项", "per_m2_month": "40",
                          "months": {"cash": 6, "exchange": 36, "self_renewal": 30}},
    "incentives": {"clause": "第三条第（四）项", "options": ["cash", "exchange", "self_renewal"], "tiers": [
        {"until": "2023-05-21", "amount": "50000", "label": "签约奖励（第一阶段）"},
        {"until": "2023-06-30", "amount": "20000", "label": "签约奖励（第二阶段）"}]},
    "exchange": {"clause": "第四条", "ratio": "1.00", "bonus_rate": "0.10", "bonus_cap_m2": "10",
                 "settlement_price": "22000", "extra_cap_m2": "10", "extra_price": "32000",
                 "extra_clause": "第四条第（三）项"},
    "self_renewal": {"clause": "第五条", "contribution_per_m2": "1350", "ratio": "1.00", "bonus_rate": "0.20",
                     "bonus_cap_m2": "15", "extra_cap_m2": "10", "extra_price": "18000",
                     "extra_clause": "第五条第（二）项"},
}


def version_two() -> dict:
    rules = copy.deepcopy(ZHEGONG_RULES)
    rules["incentives"]["tiers"][0]["until"] = "2023-05-31"
    return rules


def build_rules(world: World) -> None:
    office, street = world.users["renewal"], world.users["street"]
    project = world.project
    drafted = local(datetime.date(2023, 3, 15), 10)
    published = local(datetime.date(2023, 3, 20), 9)
    first = world.call(drafted, ruleset_draft, actor=office, project=project, rules=ZHEGONG_RULES,
                       note="征求意见稿：补偿安置方案")
    world.call(published, ruleset_approve, actor=street, rule_set=first)
    world.call(published, ruleset_publish, actor=street, rule_set=first)
    world.at(local(datetime.date(2023, 5, 8), 15), lambda: publish_second(world))


def publish_second(world: World) -> None:
    """Version 2 (an incentive's deadline moved), drafted on 8 May and published on 10 May, in the middle of the
    signing: the households signed by then keep version 1."""
    office, street = world.users["renewal"], world.users["street"]
    second = world.call(local(datetime.date(2023, 5, 8), 15), ruleset_draft, actor=office, project=world.project,
                        rules=version_two(), note="第一阶段签约奖励截止日由5月21日延至5月31日")
    moment = local(datetime.date(2023, 5, 10), 9)
    world.call(moment, ruleset_approve, actor=street, rule_set=second)
    world.call(moment, ruleset_publish, actor=street, rule_set=second)
