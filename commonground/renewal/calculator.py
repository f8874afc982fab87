"""The one ruler (一把尺子量到底): every option a published rule set gives a household, line by line.

Pure functions, no database: the services store what `compute` returns and the pages show it; nobody types a
figure over a result. Identical rules and facts give identical results (no clock, no randomness, no floats).

Money and rounding
------------------
All arithmetic is Decimal. Every line is rounded to the fen (0.01 yuan) with ROUND_HALF_UP on its own; an
option's total is the sum of its rounded lines, so the lines always add up to the total on the page. Areas are
rounded to 0.01 m² with ROUND_HALF_UP. A positive amount is paid to the household, a negative one is what the
household pays.

The rules (RULES §3, State Council Decree 590)
----------------------------------------------
`rules` is the JSON a rule-set version stores. Amounts, prices, factors and areas are decimal strings ("32000",
"1.02"); plain JSON numbers are accepted too. Every section carries `clause`, the clause of the published plan
that the section's lines cite (e.g. "第三条第（一）项").

- `offered`: `{"clause", "options": ["cash", "exchange", "self_renewal"]}` — the options the plan offers (any
  non-empty subset). Asking for another one is refused with this clause.
- `valuation` (the assessed value of the old flat, Decree 590 Art. 19): `{"clause", "unit_prices": {building
  name: ¥/m²}, "floor_factors": {"<floor>": factor}, "default_floor_factor": factor (default "1")}`. Assessed
  value = certified area × the building's appraised unit price × the floor's factor. Every building of the
  project needs a price.
- `moving` (搬家费, optional): `{"clause", "per_m2": ¥/m², "minimum": ¥ per move (default 0), "times": {option:
  moves}}` — per move, max(area × per_m2, minimum), times the option's number of moves (cash 1; an exchange or a
  self-renewal moves out and back: 2). An option missing from `times` gets no moving line.
- `temporary_housing` (临时安置费, optional): `{"clause", "per_m2_month": ¥/m²/month, "months": {option:
  months}}` — certified area × rate × the option's months. An option missing from `months` (or 0) gets none.
- `incentives` (dated signing incentives, optional): `{"clause", "options": [...] (default: every option),
  "tiers": [{"until": "YYYY-MM-DD", "amount": ¥ (default 0), "per_m2": ¥/m² (default 0), "label": text
  (optional), "clause": text (optional)}, ...]}` with `until` strictly ascending. The first tier whose `until` is
  on or after the offer's day applies (a household signing on that day gets it); after the last tier, none.
- `exchange` (产权调换, Decree 590 Art. 21): `{"clause", "ratio", "bonus_rate" (default 0), "bonus_cap_m2"
  (default 0), "settlement_price": ¥/m², "extra_cap_m2" (default 0), "extra_price": ¥/m² (default 0),
  "extra_clause" (default: clause)}`. Entitled area = certified area × ratio + min(certified area ×
  bonus_rate, bonus_cap_m2). The old flat's assessed value is credited and the new area taken is charged at
  the settlement price (the value difference settled); up to `extra_cap_m2` beyond the entitled area may be
  bought at `extra_price`. The offer itself takes exactly the entitled area.
- `self_renewal` (自主更新, co-funded in-situ rebuilding as at 浙工新村): `{"clause", "contribution_per_m2" (¥1,350
  at 浙工新村), "ratio" (default 1), "bonus_rate" (default 0), "bonus_cap_m2" (default 0), "extra_cap_m2"
  (default 0), "extra_price" (default 0), "extra_clause" (default: clause)}`. The owner pays the contribution
  on the certified area; the entitled area is worked out as for an exchange; extra area up to the cap at its
  price. Plus the temporary-housing and moving lines its `months`/`times` give it.

An option is given only when it is offered and its section (`exchange`, `self_renewal`; `valuation` for cash)
is present. Cash = assessed value + moving + temporary housing + incentive.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

FEN = Decimal("0.01")
OPTIONS = ("cash", "exchange", "self_renewal")
ZERO = Decimal(0)


# The labels stay English in the stored lines (a record reads the same in every language); the pages translate
# them when they show them.
LABELS = {
    "value": gettext_noop("Assessed value of the old flat"),
    "moving": gettext_noop("Moving allowance"),
    "temporary": gettext_noop("Temporary housing allowance"),
    "incentive": gettext_noop("Signing incentive"),
    "new_area": gettext_noop("Entitled new area at the settlement price"),
    "contribution": gettext_noop("Owner's contribution"),
    "extra": gettext_noop("Extra area beyond the entitlement"),
}


class RuleBroken(ValueError):  # noqa: N818 — a refusal, not a programming error
    """A request the rules do not allow; `clause` is the clause it breaks."""

    def __init__(self, clause: str, message: str) -> None:
        super().__init__(message)
        self.clause = clause
        self.message = message


@dataclass(frozen=True)
class HouseholdFacts:
    area_m2: Decimal       # the certified area
    floor: int
    building: str          # the building's name, as the rules' unit_prices name it ("3幢")
    on: datetime.date      # the day the offer is for: decides the dated incentives


@dataclass(frozen=True)
class Line:
    label: str
    amount: Decimal
    clause: str
    basis: str

    def as_dict(self) -> dict[str, str]:
        return {"label": self.label, "amount": str(self.amount), "clause": self.clause, "basis": self.basis}


@dataclass(frozen=True)
class OptionResult:
    option: str
    total: Decimal
    entitled_area_m2: Decimal | None
    lines: list[Line] = field(default_factory=list)
    extra_cap_m2: Decimal | None = None   # how much beyond the entitled area may be bought (exchange, self-renewal)

    def lines_json(self) -> list[dict[str, str]]:
        return [line.as_dict() for line in self.lines]


# ---------------------------------------------------------------------------------------------------- helpers

def dec(value: Any) -> Decimal:
    """A rule's number as a Decimal (strings and JSON numbers; floats through their shortest repr)."""
    if isinstance(value, bool) or value is None:
        raise InvalidOperation(value)
    if isinstance(value, float):
        value = repr(value)
    result = Decimal(value)
    if not result.is_finite():
        raise InvalidOperation(value)
    return result


def fen(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def yuan(amount: Decimal) -> str:
    """¥ with thousands separators; whole amounts without decimals (¥32,000), others to the fen (¥1,234.50)."""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{fen(amount):,.2f}"
    return f"{sign}¥{text}"


def num(value: Decimal) -> str:
    """A factor or area as written: no trailing zeros beyond what it has (1.02, 61.75, 10)."""
    text = format(value.normalize(), "f")
    return text


# ------------------------------------------------------------------------------------------------ the ruler

@dataclass(frozen=True)
class _Terms:
    """An exchange's or a self-renewal's terms, parsed once."""

    clause: str
    extra_clause: str
    ratio: Decimal
    bonus_rate: Decimal
    bonus_cap: Decimal
    price: Decimal          # the settlement price (exchange) or the owner's contribution per m² (self-renewal)
    extra_cap: Decimal
    extra_price: Decimal

    @classmethod
    def of(cls, option: str, section: Mapping[str, Any]) -> _Terms:
        clause = str(section.get("clause", ""))
        price = section["settlement_price"] if option == "exchange" else section["contribution_per_m2"]
        return cls(clause, str(section.get("extra_clause") or clause), dec(section.get("ratio", 1)),
                   dec(section.get("bonus_rate", 0)), dec(section.get("bonus_cap_m2", 0)), dec(price),
                   dec(section.get("extra_cap_m2", 0)), dec(section.get("extra_price", 0)))

    def entitled(self, area: Decimal, area_text: str) -> tuple[Decimal, str]:
        """Certified area × ratio + min(area × bonus rate, bonus cap), to 0.01 m², with its working."""
        bonus = min(area * self.bonus_rate, self.bonus_cap) if self.bonus_rate > 0 and self.bonus_cap > 0 else ZERO
        entitled = (area * self.ratio + bonus).quantize(FEN, rounding=ROUND_HALF_UP)
        basis = f"{area_text} m² × {num(self.ratio)}"
        if bonus:
            basis += f" + min({area_text} m² × {num(self.bonus_rate)}, {num(self.bonus_cap)} m²)"
        return entitled, f"{basis} = {num(entitled)} m²"


class _Ruler:
    """The rules of one version, parsed once (prices, factors, terms and tiers as Decimals), applied to many
    households: the bulk recompute builds one and calls `options` per household."""

    def __init__(self, rules: Mapping[str, Any]) -> None:
        self.rules = rules
        offered = rules.get("offered") or {}
        self.offered_clause = str(offered.get("clause", ""))
        self.offered = [o for o in OPTIONS if o in (offered.get("options") or OPTIONS)]
        valuation = rules["valuation"]
        self.value_clause = str(valuation.get("clause", ""))
        self.prices = {name: (dec(price), yuan(dec(price))) for name, price in valuation["unit_prices"].items()}
        self.factors = {int(floor): dec(f) for floor, f in (valuation.get("floor_factors") or {}).items()}
        self.default_factor = dec(valuation.get("default_floor_factor", 1))
        moving = rules.get("moving") or {}
        self.moving = (str(moving.get("clause", "")), dec(moving.get("per_m2", 0)), dec(moving.get("minimum", 0)),
                       {o: int(n) for o, n in (moving.get("times") or {}).items()}) if moving else None
        if self.moving:
            self.moving_text = (yuan(self.moving[1]), yuan(self.moving[2]))
        temporary = rules.get("temporary_housing") or {}
        self.temporary = (str(temporary.get("clause", "")), dec(temporary.get("per_m2_month", 0)),
                          {o: int(n) for o, n in (temporary.get("months") or {}).items()}) if temporary else None
        if self.temporary:
            self.temporary_text = yuan(self.temporary[1])
        incentives = rules.get("incentives") or {}
        self.incentive_clause = str(incentives.get("clause", ""))
        self.incentive_options = set(incentives.get("options") or OPTIONS)
        self.tiers = [(datetime.date.fromisoformat(t["until"]), dec(t.get("amount", 0)), dec(t.get("per_m2", 0)),
                       t.get("label"), str(t.get("clause") or self.incentive_clause))
                      for t in incentives.get("tiers") or []]
        self._tier_on: dict[datetime.date, tuple | None] = {}
        self.terms = {option: _Terms.of(option, rules[option]) for option in ("exchange", "self_renewal")
                      if rules.get(option)}

    def tier(self, on: datetime.date) -> tuple | None:
        """The incentive tier for a signing on `on`: the first whose last day is on or after it."""
        if on not in self._tier_on:
            self._tier_on[on] = next((tier for tier in self.tiers if on <= tier[0]), None)
        return self._tier_on[on]

    # each option ---------------------------------------------------------------------------------------
    def options(self, facts: HouseholdFacts) -> list[OptionResult]:
        area_text = num(facts.area_m2)
        value = self.value_line(facts, area_text)
        results = []
        for option in self.offered:
            if option == "cash":
                results.append(self.cash(facts, value, area_text))
            elif option in self.terms:
                results.append(self.in_kind(option, facts, value, area_text))
        return results

    def value_line(self, facts: HouseholdFacts, area_text: str) -> Line:
        if facts.building not in self.prices:
            raise RuleBroken(self.value_clause, _("The rules give no unit price for %(building)s.") % {
                "building": facts.building})
        price, price_text = self.prices[facts.building]
        factor = self.factors.get(facts.floor, self.default_factor)
        return Line(LABELS["value"], fen(facts.area_m2 * price * factor), self.value_clause,
                    f"{area_text} m² × {price_text}/m² × {num(factor)}")

    def common(self, option: str, facts: HouseholdFacts, area_text: str) -> list[Line]:
        """Moving, temporary housing and the dated incentive, as far as the option has them."""
        lines = []
        area = facts.area_m2
        if self.moving and self.moving[3].get(option):
            clause, per_m2, minimum, times = self.moving
            moves = times[option]
            per_move = max(fen(area * per_m2), minimum)
            rate_text, minimum_text = self.moving_text
            lines.append(Line(LABELS["moving"], fen(per_move * moves), clause,
                              f"max({area_text} m² × {rate_text}/m², {minimum_text}) × {moves}"))
        if self.temporary and self.temporary[2].get(option):
            clause, rate, months = self.temporary
            n = months[option]
            lines.append(Line(LABELS["temporary"], fen(area * rate * n), clause,
                              f"{area_text} m² × {self.temporary_text}/m²/month × {n} months"))
        tier = self.tier(facts.on) if option in self.incentive_options else None
        if tier is not None:
            until, amount, per_m2, label, clause = tier
            total = amount + area * per_m2
            if total:
                parts = [yuan(amount)] if amount else []
                if per_m2:
                    parts.append(f"{area_text} m² × {yuan(per_m2)}/m²")
                lines.append(Line(label or LABELS["incentive"], fen(total), clause,
                                  f"{facts.on.isoformat()} ≤ {until.isoformat()}: {' + '.join(parts)}"))
        return lines

    def cash(self, facts: HouseholdFacts, value: Line, area_text: str) -> OptionResult:
        lines = [value, *self.common("cash", facts, area_text)]
        return OptionResult("cash", sum((line.amount for line in lines), ZERO), None, lines)

    def in_kind(self, option: str, facts: HouseholdFacts, value: Line, area_text: str,
                requested: Decimal | None = None) -> OptionResult:
        """An exchange or a self-renewal, taking the entitled area (or `requested`, already checked)."""
        terms = self.terms[option]
        entitled, entitled_basis = terms.entitled(facts.area_m2, area_text)
        taken = entitled if requested is None else min(requested, entitled)
        extra = ZERO if requested is None else max(requested - entitled, ZERO)
        if option == "exchange":
            lines = [value, Line(LABELS["new_area"], fen(-(taken * terms.price)), terms.clause,
                                 f"-{num(taken)} m² × {yuan(terms.price)}/m² ({entitled_basis})")]
        else:
            lines = [Line(LABELS["contribution"], fen(-(facts.area_m2 * terms.price)), terms.clause,
                          f"-{area_text} m² × {yuan(terms.price)}/m²")]
        if extra > 0:
            lines.append(Line(LABELS["extra"], fen(-(extra * terms.extra_price)), terms.extra_clause,
                              f"-{num(extra)} m² × {yuan(terms.extra_price)}/m²"))
        lines.extend(self.common(option, facts, area_text))
        return OptionResult(option, sum((line.amount for line in lines), ZERO), entitled, lines,
                            extra_cap_m2=terms.extra_cap)

    # a household's request -----------------------------------------------------------------------------
    def check(self, facts: HouseholdFacts, option: str, requested: Decimal) -> OptionResult:
        if option not in self.offered or (option != "cash" and option not in self.terms):
            raise RuleBroken(self.offered_clause, _("The rules do not offer the option %(option)s.") % {
                "option": option})
        if option == "cash":
            raise RuleBroken(self.offered_clause, _("Cash compensation gives no new flat."))
        terms = self.terms[option]
        if requested <= 0:
            raise RuleBroken(terms.clause, _("The requested area must be above zero."))
        area_text = num(facts.area_m2)
        entitled, _basis = terms.entitled(facts.area_m2, area_text)
        if requested > entitled + terms.extra_cap:
            raise RuleBroken(terms.extra_clause, _(
                "%(requested)s m² is more than the entitled %(entitled)s m² plus the %(cap)s m² of extra area the "
                "rules allow (%(most)s m² at most).") % {
                "requested": num(requested), "entitled": num(entitled), "cap": num(terms.extra_cap),
                "most": num(entitled + terms.extra_cap)})
        return self.in_kind(option, facts, self.value_line(facts, area_text), area_text, requested=requested)


def ruler(rules: Mapping[str, Any]) -> _Ruler:
    """The parsed rules, to apply to many households (`ruler(rules).options(facts)` is `compute`)."""
    return _Ruler(rules)


def compute(rules: Mapping[str, Any], facts: HouseholdFacts) -> list[OptionResult]:
    """Every option the rules give the household, in the order cash, exchange, self-renewal, each with its lines.
    Raises RuleBroken when the rules have no price for the household's building."""
    return _Ruler(rules).options(facts)


def check_request(rules: Mapping[str, Any], facts: HouseholdFacts, option: str, requested_area_m2: Decimal) -> None:
    """None when the household may ask for `requested_area_m2` of new flat under `option`; RuleBroken naming the
    clause otherwise (an option the rules do not offer; more than the entitled area plus the extra cap)."""
    _Ruler(rules).check(facts, option, requested_area_m2)


def compute_request(rules: Mapping[str, Any], facts: HouseholdFacts, option: str,
                    requested_area_m2: Decimal) -> OptionResult:
    """The option as it would stand with `requested_area_m2` of new flat (checked as `check_request` does): less
    than the entitlement is charged at the option's price for the area taken, more adds an extra-area line."""
    return _Ruler(rules).check(facts, option, requested_area_m2)


# ------------------------------------------------------------------------------------------------ validation

def validate_rules(rules: Any, buildings: Iterable[str] | None = None) -> dict[str, str]:
    """What is wrong with `rules`, by key ("valuation.unit_prices.3幢": message); empty when nothing is.
    `buildings`: the names of the project's buildings; each needs a price, and no other may have one."""
    errors: dict[str, str] = {}
    if not isinstance(rules, Mapping):
        return {"rules": _("The rules must be a JSON object.")}

    def number(key: str, value: Any, *, positive: bool = False, required: bool = True) -> Decimal | None:
        if value is None:
            if required:
                errors[key] = _("Missing.")
            return None
        try:
            result = dec(value)
        except (InvalidOperation, TypeError, ValueError):
            errors[key] = _("Not a number: %(value)s.") % {"value": repr(value)}
            return None
        if positive and result <= 0:
            errors[key] = _("Must be above zero.")
        elif result < 0:
            errors[key] = _("Must not be negative.")
        return result

    def section(key: str, required: bool = False) -> Mapping[str, Any] | None:
        value = rules.get(key)
        if value is None:
            if required:
                errors[key] = _("Missing.")
            return None
        if not isinstance(value, Mapping):
            errors[key] = _("Must be a JSON object.")
            return None
        if not str(value.get("clause", "")).strip():
            errors[f"{key}.clause"] = _("Name the clause of the plan this section is.")
        return value

    def per_option(key: str, value: Any) -> None:
        if not isinstance(value, Mapping):
            errors[key] = _("Must map options to whole numbers.")
            return
        for option, n in value.items():
            if option not in OPTIONS:
                errors[f"{key}.{option}"] = _("Unknown option; use %(options)s.") % {"options": ", ".join(OPTIONS)}
            elif isinstance(n, bool) or not isinstance(n, int) or n < 0:
                errors[f"{key}.{option}"] = _("Must be a whole number, zero or more.")

    unknown = set(rules) - {"offered", "valuation", "moving", "temporary_housing", "incentives", "exchange",
                            "self_renewal"}
    for key in sorted(unknown):
        errors[key] = _("Unknown section.")
    offered = section("offered", required=True)
    if offered is not None:
        options = offered.get("options")
        if not isinstance(options, list) or not options or any(o not in OPTIONS for o in options):
            errors["offered.options"] = _("List one or more of %(options)s.") % {"options": ", ".join(OPTIONS)}
        else:
            for option in ("exchange", "self_renewal"):
                if option in options and rules.get(option) is None:
                    errors[option] = _("Offered, but its terms are missing.")
    valuation = section("valuation", required=True)
    if valuation is not None:
        prices = valuation.get("unit_prices")
        if not isinstance(prices, Mapping) or not prices:
            errors["valuation.unit_prices"] = _("Give the appraised unit price of every building.")
        else:
            for name, price in prices.items():
                number(f"valuation.unit_prices.{name}", price, positive=True)
            if buildings is not None:
                names = set(buildings)
                for name in sorted(names - set(prices)):
                    errors[f"valuation.unit_prices.{name}"] = _("Missing: this building of the project has no price.")
                for name in sorted(set(prices) - names):
                    errors[f"valuation.unit_prices.{name}"] = _("Unknown building: not a building of this project.")
        factors = valuation.get("floor_factors") or {}
        if not isinstance(factors, Mapping):
            errors["valuation.floor_factors"] = _("Must map floors to factors.")
        else:
            for floor, factor in factors.items():
                if not str(floor).isdigit() or int(floor) < 1:
                    errors[f"valuation.floor_factors.{floor}"] = _("A floor is a whole number from 1.")
                else:
                    number(f"valuation.floor_factors.{floor}", factor, positive=True)
        number("valuation.default_floor_factor", valuation.get("default_floor_factor", 1), positive=True)
    moving = section("moving")
    if moving is not None:
        number("moving.per_m2", moving.get("per_m2"))
        number("moving.minimum", moving.get("minimum", 0))
        per_option("moving.times", moving.get("times", {}))
    temporary = section("temporary_housing")
    if temporary is not None:
        number("temporary_housing.per_m2_month", temporary.get("per_m2_month"))
        per_option("temporary_housing.months", temporary.get("months", {}))
    incentives = section("incentives")
    if incentives is not None:
        tiers = incentives.get("tiers")
        if not isinstance(tiers, list):
            errors["incentives.tiers"] = _("List the tiers: until (a date) and amount.")
        else:
            previous: datetime.date | None = None
            for n, tier in enumerate(tiers, 1):
                key = f"incentives.tiers.{n}"
                if not isinstance(tier, Mapping):
                    errors[key] = _("Must be a JSON object.")
                    continue
                try:
                    until = datetime.date.fromisoformat(str(tier.get("until")))
                except ValueError:
                    errors[f"{key}.until"] = _("Give the last day as YYYY-MM-DD.")
                    continue
                if previous is not None and until <= previous:
                    errors[f"{key}.until"] = _("The tiers' dates must ascend: this one is not after the one before.")
                previous = until
                number(f"{key}.amount", tier.get("amount", 0))
                number(f"{key}.per_m2", tier.get("per_m2", 0))
        options = incentives.get("options", list(OPTIONS))
        if not isinstance(options, list) or any(o not in OPTIONS for o in options):
            errors["incentives.options"] = _("List some of %(options)s.") % {"options": ", ".join(OPTIONS)}
    for key in ("exchange", "self_renewal"):
        terms = section(key)
        if terms is None:
            continue
        number(f"{key}.ratio", terms.get("ratio", 1), positive=True)
        number(f"{key}.bonus_rate", terms.get("bonus_rate", 0))
        number(f"{key}.bonus_cap_m2", terms.get("bonus_cap_m2", 0))
        number(f"{key}.extra_cap_m2", terms.get("extra_cap_m2", 0))
        number(f"{key}.extra_price", terms.get("extra_price", 0))
        if key == "exchange":
            number("exchange.settlement_price", terms.get("settlement_price"), positive=True)
        else:
            number("self_renewal.contribution_per_m2", terms.get("contribution_per_m2"))
    return errors
