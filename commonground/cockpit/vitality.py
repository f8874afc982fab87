"""The commercial vitality index (商业活力指数): the pure formula, no database.

For one place (a business community or a street) and one day, six parts, each a raw value normalised to a score
from 0 to 100:

    foot_traffic     people counted that day ÷ the usual for that weekday (the median of the same weekday over the
                     previous 8 weeks); score = 50 × ratio, capped at 100 (a usual day scores 50, twice the usual 100)
    spending         card spending that day ÷ its usual, scored the same way
    occupancy        the occupied share of the office floor area (1 − vacant ÷ floor area), in %; score = the share
    new_enterprises  firms registered in the 30 days up to the day, per 100 firms; score = 20 × that, capped at 100
                     (5 new firms per 100 in a month score 100)
    activities       programme activities starting in the 30 days up to the day; score = 10 × that, capped at 100
    open_issues      cases reported in the 30 days up to the day, per 1,000 firms; score = 100 − 2 × that, at least 0
                     (the only part that counts against: 50 cases per 1,000 firms score 0)

index = Σ score × weight ÷ Σ weight, over the parts that have a value (a place without sensors or spending data is
scored on what it has, not punished with zeros). Weights come from settings (`CG_COCKPIT_VITALITY_WEIGHTS`).
All arithmetic is Decimal, rounded half up to two places at the end of each step.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

BASELINE_WEEKS = 8
WINDOW_DAYS = 30
PARTS = ("foot_traffic", "spending", "occupancy", "new_enterprises", "activities", "open_issues")
DEFAULT_WEIGHTS: dict[str, Decimal] = {
    "foot_traffic": Decimal("0.25"), "spending": Decimal("0.20"), "occupancy": Decimal("0.20"),
    "new_enterprises": Decimal("0.10"), "activities": Decimal("0.10"), "open_issues": Decimal("0.15"),
}
LABELS = {
    "foot_traffic": _("Foot traffic against its usual weekday"),
    "spending": _("Card spending against its usual weekday"),
    "occupancy": _("Occupied share of office floor area (%)"),
    "new_enterprises": _("New firms in 30 days per 100 firms"),
    "activities": _("Programme activities in 30 days"),
    "open_issues": _("Cases reported in 30 days per 1,000 firms"),
}
RULES = {
    "foot_traffic": _("50 × ratio, at most 100"),
    "spending": _("50 × ratio, at most 100"),
    "occupancy": _("the share itself"),
    "new_enterprises": _("20 × value, at most 100"),
    "activities": _("10 × value, at most 100"),
    "open_issues": _("100 − 2 × value, at least 0"),
}
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def weights() -> dict[str, Decimal]:
    """The weights of the parts: the setting's, for the parts it names, else the defaults."""
    configured = getattr(settings, "CG_COCKPIT_VITALITY_WEIGHTS", None) or {}
    return {part: Decimal(str(configured.get(part, DEFAULT_WEIGHTS[part]))) for part in PARTS}


def baseline(same_weekdays: Sequence[Decimal | int]) -> Decimal | None:
    """The usual value of a weekday: the median of the same weekday over the previous weeks that reported."""
    values = [Decimal(v) for v in same_weekdays]
    return Decimal(statistics.median(values)) if values else None


@dataclass(frozen=True)
class Raw:
    """The raw values of one place and day; None where there is nothing to measure."""

    foot_traffic: Decimal | None = None  # that day's count ÷ its baseline
    spending: Decimal | None = None
    occupancy: Decimal | None = None  # %
    new_enterprises: Decimal | None = None  # per 100 firms
    activities: Decimal | None = None  # count
    open_issues: Decimal | None = None  # per 1,000 firms


def ratio(value: Decimal | int | None, usual: Decimal | None) -> Decimal | None:
    """`value` ÷ `usual`, None without a usual (or a usual of zero)."""
    if value is None or not usual:
        return None
    return q2(Decimal(value) / usual)


def per(count: int, whole: int, unit: int) -> Decimal | None:
    """`count` per `unit` of `whole`, None when there is no whole."""
    return q2(Decimal(count) * unit / whole) if whole else None


def clamp(value: Decimal) -> Decimal:
    return min(HUNDRED, max(Decimal(0), value))


def score(part: str, raw: Decimal) -> Decimal:
    """The 0–100 score of `part`'s raw value (the rules in the module's docstring)."""
    if part in ("foot_traffic", "spending"):
        return q2(clamp(50 * raw))
    if part == "occupancy":
        return q2(clamp(raw))
    if part == "new_enterprises":
        return q2(clamp(20 * raw))
    if part == "activities":
        return q2(clamp(10 * raw))
    if part == "open_issues":
        return q2(clamp(HUNDRED - 2 * raw))
    raise ValueError(part)


def index(raw: Raw, weights_: Mapping[str, Decimal] | None = None) -> tuple[Decimal | None, dict[str, dict]]:
    """The index and its parts: {part: {raw, score, weight, contribution}} (strings, for JSON), the weight being
    the part's share of the weights in use, so the contributions add up to the index (to the cent)."""
    weights_ = weights_ or weights()
    present = {part: getattr(raw, part) for part in PARTS if getattr(raw, part) is not None and weights_[part] > 0}
    total_weight = sum((weights_[part] for part in present), Decimal(0))
    if not present or not total_weight:
        return None, {}
    parts: dict[str, dict] = {}
    value = Decimal(0)
    for part, raw_value in present.items():
        part_score = score(part, raw_value)
        share = weights_[part] / total_weight
        contribution = part_score * share
        value += contribution
        parts[part] = {"raw": str(raw_value), "score": str(part_score), "weight": str(q2(share * HUNDRED) / HUNDRED),
                       "contribution": str(q2(contribution))}
    return q2(value), parts
