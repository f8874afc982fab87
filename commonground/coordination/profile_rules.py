"""The warnings of an estate's governance profile, as a pure rule: the facts of one estate in, its warnings out
(no database). Pages, the API, the export and the benchmark's check all take their warnings from here.

- no owners' committee in force (high);
- the committee's term: ended (high), ending within `warning_months()` months, that day included (medium), or
  not known (low: neither a filing nor its members' terms say it). The term's end is the filing's `term_to`, else
  the latest `term_to` of the committee's memberships;
- the property contract: none or ended before today (high), ending within `warning_months()` months, today
  included (medium);
- open cases of the estate that are overdue: one or more (high);
- low satisfaction (medium): the mean revisit rating of the estate's cases closed in the last 12 months below
  `low_rating_threshold()` with at least `min_ratings()` ratings;
- a low property-service evaluation (medium): the residents' score (of 100) in the estate's latest closed round
  below `low_score()`, the score under which closing the round opens a supervision case.

"Where to act first": estates by their most severe warning, then by how many warnings, then by overdue cases.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

HIGH, MEDIUM, LOW = 3, 2, 1
SEVERITY_NAMES = {HIGH: "high", MEDIUM: "medium", LOW: "low"}


class Kind:
    NO_COMMITTEE = "no_committee"
    TERM_ENDED = "term_ended"
    TERM_ENDING = "term_ending"
    TERM_UNKNOWN = "term_unknown"
    NO_CONTRACT = "no_contract"
    CONTRACT_ENDED = "contract_ended"
    CONTRACT_ENDING = "contract_ending"
    OVERDUE_CASES = "overdue_cases"
    LOW_SATISFACTION = "low_satisfaction"
    LOW_EVALUATION = "low_evaluation"


SEVERITY = {Kind.NO_COMMITTEE: HIGH, Kind.TERM_ENDED: HIGH, Kind.TERM_ENDING: MEDIUM, Kind.TERM_UNKNOWN: LOW,
            Kind.NO_CONTRACT: HIGH, Kind.CONTRACT_ENDED: HIGH, Kind.CONTRACT_ENDING: MEDIUM,
            Kind.OVERDUE_CASES: HIGH, Kind.LOW_SATISFACTION: MEDIUM, Kind.LOW_EVALUATION: MEDIUM}
LABELS = {
    Kind.NO_COMMITTEE: _("No owners' committee"),
    Kind.TERM_ENDED: _("Committee term has ended"),
    Kind.TERM_ENDING: _("Committee term ends soon"),
    Kind.TERM_UNKNOWN: _("Committee term not on file"),
    Kind.NO_CONTRACT: _("No property contract on file"),
    Kind.CONTRACT_ENDED: _("Property contract has ended"),
    Kind.CONTRACT_ENDING: _("Property contract ends soon"),
    Kind.OVERDUE_CASES: _("Overdue cases"),
    Kind.LOW_SATISFACTION: _("Low satisfaction"),
    Kind.LOW_EVALUATION: _("Low property-service evaluation"),
}
KINDS = list(LABELS)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has no such day (30 Nov + 3 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class EstateFacts:
    """What the warnings read of one estate."""

    has_committee: bool
    term_to: datetime.date | None = None  # the committee's term end (filing, else its members' terms)
    contract_ends_on: datetime.date | None = None  # the end of its latest property contract
    overdue: int = 0  # open overdue cases
    rated: int = 0  # ratings of cases closed in the last 12 months
    rating_sum: int = 0
    evaluation_score: Decimal | None = None  # the latest property-service evaluation's score of 100, if any


@dataclass(frozen=True)
class Warning:
    kind: str
    severity: int
    value: object = None  # the day, the count or the mean the warning is about

    @property
    def label(self) -> str:
        return str(LABELS[self.kind])

    @property
    def severity_name(self) -> str:
        return SEVERITY_NAMES[self.severity]


@dataclass(frozen=True)
class Limits:
    today: datetime.date
    months: int = 3
    low_rating: Decimal = Decimal("3.5")
    min_ratings: int = 5
    low_score: Decimal = Decimal(60)
    horizon: datetime.date = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "horizon", add_months(self.today, self.months))


def mean_rating(facts: EstateFacts) -> Decimal | None:
    return (Decimal(facts.rating_sum) / facts.rated).quantize(Decimal("0.01")) if facts.rated else None


def warnings_of(facts: EstateFacts, limits: Limits) -> list[Warning]:
    """The warnings of one estate, most severe first."""
    found: list[Warning] = []

    def add(kind: str, value: object = None) -> None:
        found.append(Warning(kind, SEVERITY[kind], value))

    if not facts.has_committee:
        add(Kind.NO_COMMITTEE)
    elif facts.term_to is None:
        add(Kind.TERM_UNKNOWN)
    elif facts.term_to < limits.today:
        add(Kind.TERM_ENDED, facts.term_to)
    elif facts.term_to <= limits.horizon:
        add(Kind.TERM_ENDING, facts.term_to)
    if facts.contract_ends_on is None:
        add(Kind.NO_CONTRACT)
    elif facts.contract_ends_on < limits.today:
        add(Kind.CONTRACT_ENDED, facts.contract_ends_on)
    elif facts.contract_ends_on <= limits.horizon:
        add(Kind.CONTRACT_ENDING, facts.contract_ends_on)
    if facts.overdue > 0:
        add(Kind.OVERDUE_CASES, facts.overdue)
    mean = mean_rating(facts)
    if mean is not None and facts.rated >= limits.min_ratings and \
            Decimal(facts.rating_sum) < limits.low_rating * facts.rated:  # exact: no rounding at the threshold
        add(Kind.LOW_SATISFACTION, mean)
    if facts.evaluation_score is not None and facts.evaluation_score < limits.low_score:
        add(Kind.LOW_EVALUATION, facts.evaluation_score)
    found.sort(key=lambda w: -w.severity)
    return found


def urgency(warnings: list[Warning], overdue: int = 0) -> tuple[int, int, int, int]:
    """The sort key of "where to act first" (ascending): most severe warning, then the weight of all of them,
    then how many, then overdue cases."""
    top = max((w.severity for w in warnings), default=0)
    return (-top, -sum(w.severity for w in warnings), -len(warnings), -overdue)
