"""The rules the rule-set tests use: the campaign fixture's buildings (the tree's 1幢, 甲幢, 乙幢), every section present."""

from __future__ import annotations

import copy

RULES: dict = {
    "offered": {"clause": "第二条", "options": ["cash", "exchange", "self_renewal"]},
    "valuation": {"clause": "第三条第（一）项", "unit_prices": {"1幢": "31000", "甲幢": "32000", "乙幢": "30000"},
                  "floor_factors": {"1": "0.98", "3": "1.02"}, "default_floor_factor": "1.00"},
    "moving": {"clause": "第三条第（二）项", "per_m2": "20", "minimum": "1500",
               "times": {"cash": 1, "exchange": 2, "self_renewal": 2}},
    "temporary_housing": {"clause": "第三条第（三）项", "per_m2_month": "40",
                          "months": {"cash": 6, "exchange": 36, "self_renewal": 30}},
    "incentives": {"clause": "第三条第（四）项", "tiers": [
        {"until": "2023-05-21", "amount": "50000"},
        {"until": "2023-06-30", "amount": "20000", "clause": "第三条第（五）项"}]},
    "exchange": {"clause": "第四条", "ratio": "1.00", "bonus_rate": "0.10", "bonus_cap_m2": "10",
                 "settlement_price": "20000", "extra_cap_m2": "10", "extra_price": "30000",
                 "extra_clause": "第四条第（三）项"},
    "self_renewal": {"clause": "第五条", "contribution_per_m2": "1350", "ratio": "1", "bonus_rate": "0.20",
                     "bonus_cap_m2": "15", "extra_cap_m2": "10", "extra_price": "18000",
                     "extra_clause": "第五条第（二）项"},
}


def rules(**changes) -> dict:
    """A copy of RULES with top-level sections replaced."""
    result = copy.deepcopy(RULES)
    result.update(changes)
    return result
