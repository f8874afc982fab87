"""The retention risk score (安商稳商) of one enterprise from its signals: pure, no database.

Each signal that fires adds its points (settings `CG_BUSINESS_RISK_WEIGHTS` over `rules.RISK_DEFAULTS`); the score
is their sum, capped at 100. The reasons say which fired, with their points and evidence:

- tax_fall: the tax of this year's months so far (January to the current month) is at least `tax_fall_percent`%
  below the same months last year (a year's total, month 0, does not count: it has no months); a firm that paid
  nothing last year cannot fall.
- lease_ending: the lease ends within `lease_days` days, or has ended while the firm is still present.
- registration_move: the firm announced it will move its registration elsewhere.
- headcount_fall: the headcount is at least `headcount_fall_percent`% below a year ago (the ledger's history).
- demands: its demands (cases raised in its visits or filed by its contacts) still open: `demand_open` points each,
  `demand_overdue` each for those past their deadline, together at most `demands_max`.
- complaints: at least `complaints_min` complaints filed by its contacts at its building in the last
  `complaints_days` days.
- registered_elsewhere: present in one of our buildings but registered elsewhere.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

MAX_SCORE = 100


@dataclass(frozen=True)
class Signals:
    today: datetime.date
    tax_this_year: Decimal = Decimal(0)  # this year's months up to the current one
    tax_last_year: Decimal = Decimal(0)  # the same months last year
    lease_ends_on: datetime.date | None = None
    registration_move_announced_on: datetime.date | None = None
    present: bool = True
    headcount: int = 0
    headcount_year_ago: int | None = None  # None: the ledger did not know the firm a year ago
    demands_open: int = 0  # open, overdue included
    demands_overdue: int = 0
    complaints: int = 0
    registered_here: bool = True


def _percent_drop(now: Decimal | int, before: Decimal | int) -> int:
    return int(((Decimal(before) - Decimal(now)) * 100 / Decimal(before)).to_integral_value())


def reasons(signals: Signals, weights: dict[str, int]) -> list[dict[str, Any]]:
    """The reasons that fire, each {code, points, text, evidence} (evidence: the figures behind it)."""
    found: list[dict[str, Any]] = []
    w = weights
    if signals.tax_last_year > 0:
        drop = _percent_drop(signals.tax_this_year, signals.tax_last_year)
        if drop >= w["tax_fall_percent"]:
            found.append({"code": "tax_fall", "points": w["tax_fall"], "evidence": {
                "this_year": str(signals.tax_this_year), "last_year": str(signals.tax_last_year), "percent": drop}})
    if signals.present and signals.lease_ends_on is not None and (
            signals.lease_ends_on - signals.today).days <= w["lease_days"]:
        found.append({"code": "lease_ending", "points": w["lease_ending"],
                      "evidence": {"ends_on": signals.lease_ends_on.isoformat(),
                                   "days": (signals.lease_ends_on - signals.today).days}})
    if signals.registration_move_announced_on is not None:
        found.append({"code": "registration_move", "points": w["registration_move"],
                      "evidence": {"announced_on": signals.registration_move_announced_on.isoformat()}})
    if signals.headcount_year_ago:
        drop = _percent_drop(signals.headcount, signals.headcount_year_ago)
        if drop >= w["headcount_fall_percent"]:
            found.append({"code": "headcount_fall", "points": w["headcount_fall"], "evidence": {
                "now": signals.headcount, "year_ago": signals.headcount_year_ago, "percent": drop}})
    if signals.demands_open:
        overdue = min(signals.demands_overdue, signals.demands_open)
        points = min((signals.demands_open - overdue) * w["demand_open"] + overdue * w["demand_overdue"],
                     w["demands_max"])
        if points > 0:
            found.append({"code": "demands", "points": points,
                          "evidence": {"open": signals.demands_open, "overdue": overdue}})
    if signals.complaints >= w["complaints_min"] > 0:
        found.append({"code": "complaints", "points": w["complaints"],
                      "evidence": {"count": signals.complaints, "days": w["complaints_days"]}})
    if signals.present and not signals.registered_here:
        found.append({"code": "registered_elsewhere", "points": w["registered_elsewhere"], "evidence": {}})
    found = [reason for reason in found if reason["points"] > 0]
    for reason in found:
        reason["text"] = reason_text(reason)
    return found


def score(found: list[dict[str, Any]]) -> int:
    """The sum of the reasons' points, at most 100."""
    return min(sum(reason["points"] for reason in found), MAX_SCORE)


def assess(signals: Signals, weights: dict[str, int]) -> tuple[int, list[dict[str, Any]]]:
    found = reasons(signals, weights)
    return score(found), found


REASON_CODES = ("tax_fall", "lease_ending", "registration_move", "headcount_fall", "demands", "complaints",
                "registered_elsewhere")


def reason_label(code: str) -> str:
    """A reason's short name, for filters and columns."""
    return {
        "tax_fall": _("Tax falling year on year"),
        "lease_ending": _("Lease about to end"),
        "registration_move": _("Registration about to move"),
        "headcount_fall": _("Headcount falling"),
        "demands": _("Demands unresolved or overdue"),
        "complaints": _("Repeated complaints"),
        "registered_elsewhere": _("Present here but registered elsewhere"),
    }.get(code, code)


def reason_text(reason: dict[str, Any]) -> str:
    """A reason as a sentence in the reader's language (the stored text is the language of the run)."""
    e = reason.get("evidence") or {}
    code = reason.get("code")
    try:
        if code == "tax_fall":
            return _("Tax this year so far ¥%(now)s, %(percent)d%% below the same months last year (¥%(before)s).") % {
                "now": e["this_year"], "before": e["last_year"], "percent": e["percent"]}
        if code == "lease_ending":
            if e["days"] < 0:
                return _("The lease ended on %(day)s.") % {"day": e["ends_on"]}
            return _("The lease ends on %(day)s, in %(days)d days.") % {"day": e["ends_on"], "days": e["days"]}
        if code == "registration_move":
            return _("Announced on %(day)s that it will move its registration elsewhere.") % {
                "day": e["announced_on"]}
        if code == "headcount_fall":
            return _("Headcount %(now)d, %(percent)d%% below a year ago (%(before)d).") % {
                "now": e["now"], "before": e["year_ago"], "percent": e["percent"]}
        if code == "demands":
            return _("%(open)d demands unresolved, %(overdue)d of them overdue.") % {
                "open": e["open"], "overdue": e["overdue"]}
        if code == "complaints":
            return _("%(count)d complaints by its people in the last %(days)d days.") % {
                "count": e["count"], "days": e["days"]}
    except (KeyError, TypeError):
        pass
    return reason_label(str(code))
