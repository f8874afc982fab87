"""Eligibility rules of a policy: their schema, their plain-language reading, and the pure evaluator.

A policy's rules are a list of conditions, all of which a firm must meet (AND). Each is
``{"field": <field>, "op": <operator>, "value": <value>}`` over the ledger's facts about a firm:

=====================  ===========================================  ======================  =====================
field                  fact                                          operators               value
=====================  ===========================================  ======================  =====================
industry               national industry code (GB/T 4754, "I6510")   prefix, eq, in          code(s), e.g. "I65"
registered_capital     registered capital in yuan                    ge, le                  number
last_year_tax          tax paid in the last full calendar year       ge, le                  number (yuan)
headcount              people employed                               ge, le, eq              whole number
building               the building (place code) it is in            eq, in                  place code(s)
business_community     its business community (place code)           eq, in                  place code(s)
age_years              whole years since its registration            ge, le                  whole number
tier                   service tier (key / ordinary)                 eq, in                  tier(s)
status                 ledger status (active / moved_out / …)        eq, in                  status(es)
=====================  ===========================================  ======================  =====================

`prefix` and `in` take a list (any one matches); `prefix` also a single string. A rule list without a `status`
rule means "operating firms only" (`effective_rules` adds it), so a policy never finds a firm that has left.

The last full year's tax is the year's total record (month 0) when there is one, else the sum of that year's
months (the same reading the matching queries make, see policies_selectors.tax_last_year). A firm's age in whole
years counts birthdays: a firm registered on 2020-03-01 is 3 on 2023-03-01 and 2 the day before; one registered
on 29 February turns a year older on 1 March in other years.

No database here: the pages, the services and the bulk matcher (which translates the same rules to ORM filters)
all read these definitions, and `evaluate` says which rule failed and why.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

NUMBER_FIELDS = ("registered_capital", "last_year_tax")
WHOLE_FIELDS = ("headcount", "age_years")
LIST_FIELDS = ("industry", "building", "business_community", "tier", "status")

OPERATORS: dict[str, tuple[str, ...]] = {
    "industry": ("prefix", "eq", "in"),
    "registered_capital": ("ge", "le"),
    "last_year_tax": ("ge", "le"),
    "headcount": ("ge", "le", "eq"),
    "building": ("eq", "in"),
    "business_community": ("eq", "in"),
    "age_years": ("ge", "le"),
    "tier": ("eq", "in"),
    "status": ("eq", "in"),
}
FIELD_LABELS = {
    "industry": gettext_lazy("industry code"),
    "registered_capital": gettext_lazy("registered capital (yuan)"),
    "last_year_tax": gettext_lazy("last full year's tax (yuan)"),
    "headcount": gettext_lazy("number of employees"),
    "building": gettext_lazy("building (place code)"),
    "business_community": gettext_lazy("business community (place code)"),
    "age_years": gettext_lazy("years since registration"),
    "tier": gettext_lazy("service tier"),
    "status": gettext_lazy("operating status"),
}
OPERATOR_LABELS = {
    "ge": gettext_lazy("at least"),
    "le": gettext_lazy("at most"),
    "eq": gettext_lazy("equal to"),
    "in": gettext_lazy("one of"),
    "prefix": gettext_lazy("starting with"),
}
TIERS = ("key", "ordinary")
STATUSES = ("active", "moved_out", "deregistered")
MAX_RULES = 20
MAX_VALUES = 200
MAX_NUMBER = Decimal("1e15")
DEFAULT_STATUS_RULE = {"field": "status", "op": "eq", "value": "active"}


@dataclass(frozen=True)
class FirmFacts:
    """What the rules read about one firm (from the ledger and its tax records)."""

    industry_code: str
    registered_capital: Decimal
    last_year_tax: Decimal
    headcount: int
    building_code: str  # the building it is in, or is registered at when absent
    business_community_code: str
    registered_on: datetime.date
    tier: str
    status: str


@dataclass(frozen=True)
class RuleFailure:
    rule: dict[str, Any]
    reason: str  # "需要…，实际…" in plain language


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    failures: tuple[RuleFailure, ...]


def age_in_years(registered_on: datetime.date, today: datetime.date) -> int:
    """Whole years from registration to `today` (birthday counting; 29 February turns on 1 March)."""
    years = today.year - registered_on.year
    if (today.month, today.day) < (registered_on.month, registered_on.day):
        years -= 1
    return max(years, 0)


def registered_by(today: datetime.date, years: int) -> datetime.date:
    """The last registration day of a firm that is at least `years` old on `today` (the ORM form of age ≥ n)."""
    year = today.year - years
    try:
        return today.replace(year=year)
    except ValueError:  # today is 29 February, `year` is not a leap year: a firm of 28 February is old enough
        return datetime.date(year, 2, 28)


def _values(value: Any) -> list[str]:
    return [str(v).strip() for v in (value if isinstance(value, list | tuple) else [value])]


def _number(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise InvalidOperation
    number = Decimal(str(value))
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        raise InvalidOperation
    return number


def validate_rules(raw: Any) -> list[dict[str, Any]]:
    """The rules in their stored form (values normalised: numbers as strings, lists for `in`/`prefix`), or a
    ValidationError({"rules": [...]}) that names each bad rule by its position (1-based)."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise ValidationError({"rules": _("The eligibility rules must be a list.")})
    if len(raw) > MAX_RULES:
        raise ValidationError({"rules": _("A policy has at most %(max)d eligibility rules.") % {"max": MAX_RULES}})
    errors: list[str] = []
    clean: list[dict[str, Any]] = []
    for position, rule in enumerate(raw, start=1):
        try:
            clean.append(_clean_rule(rule))
        except ValueError as error:
            errors.append(_("Rule %(n)d: %(problem)s") % {"n": position, "problem": error})
    if errors:
        raise ValidationError({"rules": errors})
    return clean


def _clean_rule(rule: Any) -> dict[str, Any]:
    if not isinstance(rule, Mapping) or set(rule) - {"field", "op", "value"}:
        raise ValueError(_("give a field, an operator and a value."))
    field, op, value = rule.get("field"), rule.get("op"), rule.get("value")
    if field not in OPERATORS:
        raise ValueError(_("unknown field."))
    if op not in OPERATORS[field]:
        raise ValueError(_("this operator does not apply to %(field)s.") % {"field": FIELD_LABELS[field]})
    if field in NUMBER_FIELDS or field in WHOLE_FIELDS:
        try:
            number = _number(value)
        except (InvalidOperation, ValueError, TypeError):
            raise ValueError(_("give a number.")) from None
        if number < 0:
            raise ValueError(_("give a number of zero or more."))
        if field in WHOLE_FIELDS:
            if number != number.to_integral_value():
                raise ValueError(_("give a whole number."))
            return {"field": field, "op": op, "value": int(number)}
        return {"field": field, "op": op, "value": f"{number.normalize():f}"}
    values = [v for v in _values(value) if v]
    if not values or len(values) > MAX_VALUES or any(len(v) > 40 for v in values):
        raise ValueError(_("give at least one value."))
    if op == "eq" and len(values) != 1:
        raise ValueError(_("“equal to” takes one value; use “one of” for several."))
    if field == "industry":
        values = [v.upper() for v in values]
        if any(not v.isalnum() for v in values):
            raise ValueError(_("an industry code is a letter followed by digits, such as I65."))
    if field == "tier" and set(values) - set(TIERS):
        raise ValueError(_("the tier is key or ordinary."))
    if field == "status" and set(values) - set(STATUSES):
        raise ValueError(_("the status is active, moved_out or deregistered."))
    return {"field": field, "op": op, "value": values[0] if op == "eq" else values}


def effective_rules(rules: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rules as matched: without a status rule, only operating firms."""
    rules = [dict(rule) for rule in rules]
    if not any(rule["field"] == "status" for rule in rules):
        rules.append(dict(DEFAULT_STATUS_RULE))
    return rules


def fact_of(facts: FirmFacts, field: str, today: datetime.date) -> Any:
    return {
        "industry": facts.industry_code,
        "registered_capital": facts.registered_capital,
        "last_year_tax": facts.last_year_tax,
        "headcount": facts.headcount,
        "building": facts.building_code,
        "business_community": facts.business_community_code,
        "age_years": age_in_years(facts.registered_on, today),
        "tier": facts.tier,
        "status": facts.status,
    }[field]


def rule_holds(rule: Mapping[str, Any], actual: Any) -> bool:
    op, value = rule["op"], rule["value"]
    if rule["field"] in NUMBER_FIELDS or rule["field"] in WHOLE_FIELDS:
        actual, value = Decimal(str(actual or 0)), Decimal(str(value))
        return {"ge": actual >= value, "le": actual <= value, "eq": actual == value}[op]
    actual = str(actual or "").upper() if rule["field"] == "industry" else str(actual or "")
    if op == "prefix":
        return any(actual.startswith(prefix) for prefix in _values(value))
    if op == "in":
        return actual in _values(value)
    return actual == str(value)


def evaluate(rules: Sequence[Mapping[str, Any]], facts: FirmFacts, today: datetime.date) -> Verdict:
    """Does the firm meet every rule (with the default status rule)? The failures say which rule failed and
    what the firm's fact is."""
    failures = []
    for rule in effective_rules(rules):
        actual = fact_of(facts, rule["field"], today)
        if not rule_holds(rule, actual):
            failures.append(RuleFailure(rule, _("Needs %(rule)s; the firm has %(actual)s.") % {
                "rule": describe(rule), "actual": show_value(rule["field"], actual)}))
    return Verdict(not failures, tuple(failures))


def show_value(field: str, value: Any) -> str:
    if field in NUMBER_FIELDS:
        return f"{Decimal(str(value or 0)):,.2f}"
    if field == "tier":
        return {"key": _("key enterprise"), "ordinary": _("ordinary enterprise")}.get(str(value), str(value))
    if field == "status":
        return {"active": _("operating"), "moved_out": _("moved out"),
                "deregistered": _("deregistered")}.get(str(value), str(value))
    return str(value) if value not in (None, "") else "—"


def describe(rule: Mapping[str, Any], place_names: Mapping[str, str] | None = None) -> str:
    """One rule in plain language: "注册资本（元） 不少于 1,000,000.00"."""
    field = rule["field"]
    names = place_names or {}
    values = _values(rule["value"])
    if field in ("building", "business_community"):
        values = [names.get(v, v) for v in values]
    else:
        values = [show_value(field, v) for v in values]
    return _("%(field)s %(op)s %(value)s") % {"field": FIELD_LABELS[field], "op": OPERATOR_LABELS[rule["op"]],
                                             "value": "、".join(values)}
