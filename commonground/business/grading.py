"""The grade of a commercial building (商务楼宇等级), after DB3301/T 0307-2020 (杭州市地方标准《商务楼宇等级划分与
评定》): a building is scored on weighted indicators in six dimensions (location and transport, building quality,
facilities, property management, smart and green, economic contribution and services to firms).

The rule: each indicator i has a weight w_i and a highest value m_i; the clerk enters a value v_i (0 … m_i; an
indicator not entered counts 0). The score out of 100 is

    score = 100 × Σ w_i · v_i / m_i  ÷  Σ w_i          (rounded half-even to two decimals)

and the grade is A when score ≥ the A threshold (85), B when score ≥ the B threshold (70), else C. The indicators
and thresholds are settings (`rules.grade_indicators`, `rules.grade_thresholds`). Pure: no database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    dimension: str
    weight: int
    max: int


@dataclass(frozen=True)
class GradeResult:
    score: Decimal
    grade: str
    by_dimension: dict[str, Decimal]  # points earned per dimension (out of that dimension's share of 100)


def indicators_from(rows: Sequence[Sequence]) -> list[Indicator]:
    return [Indicator(str(code), str(label), str(dimension), int(weight), int(top))
            for code, label, dimension, weight, top in rows]


def clean_values(indicators: Sequence[Indicator], values: Mapping[str, object]) -> tuple[dict[str, Decimal],
                                                                                         dict[str, str]]:
    """The entered values by indicator code, and the codes whose value is not a number in 0 … max (with the max).
    Blank values are left out; unknown codes are errors too."""
    known = {indicator.code: indicator for indicator in indicators}
    cleaned: dict[str, Decimal] = {}
    errors: dict[str, str] = {}
    for code, raw in values.items():
        if raw is None or str(raw).strip() == "":
            continue
        indicator = known.get(code)
        if indicator is None:
            errors[code] = ""
            continue
        try:
            number = Decimal(str(raw).strip())
        except InvalidOperation:
            errors[code] = str(indicator.max)
            continue
        if not number.is_finite() or not 0 <= number <= indicator.max:
            errors[code] = str(indicator.max)
            continue
        cleaned[code] = number
    return cleaned, errors


def grade_of(score: Decimal, thresholds: Mapping[str, Decimal]) -> str:
    if score >= thresholds["A"]:
        return "A"
    if score >= thresholds["B"]:
        return "B"
    return "C"


def grade(indicators: Sequence[Indicator], values: Mapping[str, Decimal],
          thresholds: Mapping[str, Decimal]) -> GradeResult:
    """The score and grade of the entered `values` (already clean: see `clean_values`)."""
    total_weight = sum(indicator.weight for indicator in indicators)
    if total_weight <= 0:
        return GradeResult(Decimal("0.00"), "C", {})
    by_dimension: dict[str, Decimal] = {}
    earned = Decimal(0)
    for indicator in indicators:
        value = min(Decimal(values.get(indicator.code, 0)), Decimal(indicator.max))
        points = Decimal(indicator.weight) * value / Decimal(indicator.max) if indicator.max else Decimal(0)
        earned += points
        by_dimension[indicator.dimension] = by_dimension.get(indicator.dimension, Decimal(0)) + points
    scale = Decimal(100) / Decimal(total_weight)
    score = (earned * scale).quantize(CENT, rounding=ROUND_HALF_EVEN)
    return GradeResult(score, grade_of(score, thresholds),
                       {dim: (points * scale).quantize(CENT, rounding=ROUND_HALF_EVEN)
                        for dim, points in by_dimension.items()})
