"""The tally of an owners' vote (Civil Code Art. 278), in exact integer arithmetic.

Areas are counted in hundredths of a square metre (integers), so every comparison is exact:
"at least 2/3" is `part * 3 >= whole * 2`, "more than half" is `part * 2 > whole`. Every share is kept
as numerator and denominator so the pages can show both. Pure functions: no database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

QUORUM = Fraction(2, 3)
ORDINARY = Fraction(1, 2)      # more than
SUPERMAJORITY = Fraction(3, 4)  # at least


def to_cents(area: Decimal | str | int) -> int:
    """Square metres to integer hundredths; refuses anything finer than the register's two places."""
    cents = Decimal(area) * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"area {area} has more than two decimal places")
    return int(cents)


@dataclass(frozen=True)
class Share:
    part: int
    whole: int

    def at_least(self, threshold: Fraction) -> bool:
        return self.whole > 0 and self.part * threshold.denominator >= self.whole * threshold.numerator

    def more_than(self, threshold: Fraction) -> bool:
        return self.whole > 0 and self.part * threshold.denominator > self.whole * threshold.numerator

    def as_list(self) -> list[int]:
        return [self.part, self.whole]

    def needed_for(self, threshold: Fraction) -> int:
        """The least part that is at least `threshold` of the whole (what `at_least` asks for)."""
        return -(-self.whole * threshold.numerator // threshold.denominator)


@dataclass(frozen=True)
class Counted:
    """Area (cents) and heads of a set of electors, as shares of a whole."""

    area: Share
    heads: Share

    def as_dict(self) -> dict:
        return {"area": self.area.as_list(), "heads": self.heads.as_list()}


def _count(keys: Iterable[str], areas: Mapping[str, int], whole: tuple[int, int]) -> Counted:
    keys = list(keys)
    return Counted(Share(sum(areas[k] for k in keys), whole[0]), Share(len(keys), whole[1]))


def _register(electorate: Mapping[str, int], ballots: Mapping[str, object],
              register: tuple[int, int] | None) -> tuple[int, int]:
    """(area, heads) of the whole register: the electorate's own, or, when `electorate` holds only the weights
    of the ballots (a published record), the register's totals."""
    unknown = set(ballots) - set(electorate)
    if unknown:
        raise ValueError(f"ballots from electors not on the register: {sorted(unknown)[:3]}")
    if register is None:
        return sum(electorate.values()), len(electorate)
    if sum(electorate.values()) > register[0] or len(electorate) > register[1]:
        raise ValueError("the ballots weigh more than the whole register")
    return register


def passes(counted: Counted, supermajority: bool) -> bool:
    if supermajority:
        return counted.area.at_least(SUPERMAJORITY) and counted.heads.at_least(SUPERMAJORITY)
    return counted.area.more_than(ORDINARY) and counted.heads.more_than(ORDINARY)


@dataclass
class DecisionResult:
    outcome: str
    quorum: Counted
    quorum_met: bool
    supermajority: bool
    agree: Counted
    against: Counted
    abstain: Counted

    def as_dict(self) -> dict:
        return {
            "outcome": self.outcome, "quorum": self.quorum.as_dict(), "quorum_met": self.quorum_met,
            "threshold": "three_quarters" if self.supermajority else "more_than_half",
            "agree": self.agree.as_dict(), "against": self.against.as_dict(), "abstain": self.abstain.as_dict(),
        }


def tally_decision(electorate: Mapping[str, int], ballots: Mapping[str, str], *, supermajority: bool,
                   register: tuple[int, int] | None = None) -> DecisionResult:
    """`electorate`: elector key -> area in cents; `ballots`: elector key -> "agree" | "against" | "abstain".
    With `register` = (area in cents, heads) of the whole register, `electorate` need only weigh the ballots
    (each one head): that is how a published record, keyed by receipt code, is tallied.

    Abstaining is taking part: it counts towards the quorum and the participating whole, not for agreement.
    """
    everyone = _register(electorate, ballots, register)
    quorum = _count(ballots, electorate, everyone)
    quorum_met = quorum.area.at_least(QUORUM) and quorum.heads.at_least(QUORUM)
    taking_part = (quorum.area.part, quorum.heads.part)
    by_choice = {c: _count((k for k, v in ballots.items() if v == c), electorate, taking_part)
                 for c in ("agree", "against", "abstain")}
    if not quorum_met:
        outcome = "no_quorum"
    else:
        outcome = "passed" if passes(by_choice["agree"], supermajority) else "failed"
    return DecisionResult(outcome, quorum, quorum_met, supermajority, by_choice["agree"], by_choice["against"],
                          by_choice["abstain"])


@dataclass
class CandidateResult:
    candidate: int
    marks: Counted
    qualifies: bool
    rank: int | None = None
    elected: bool = False
    tied: bool = False

    def as_dict(self) -> dict:
        return {"candidate": self.candidate, **self.marks.as_dict(), "qualifies": self.qualifies, "rank": self.rank,
                "elected": self.elected, "tied": self.tied}


@dataclass
class ElectionResult:
    outcome: str
    quorum: Counted
    quorum_met: bool
    seats: int
    candidates: list[CandidateResult] = field(default_factory=list)

    @property
    def elected(self) -> list[int]:
        return [c.candidate for c in self.candidates if c.elected]

    @property
    def tied(self) -> list[int]:
        return [c.candidate for c in self.candidates if c.tied]

    @property
    def unfilled(self) -> int:
        return self.seats - len(self.elected)

    def as_dict(self) -> dict:
        return {"outcome": self.outcome, "quorum": self.quorum.as_dict(), "quorum_met": self.quorum_met,
                "threshold": "more_than_half", "seats": self.seats, "elected": self.elected, "tied": self.tied,
                "unfilled": self.unfilled, "candidates": [c.as_dict() for c in self.candidates]}


def tally_election(electorate: Mapping[str, int], ballots: Mapping[str, Sequence[int]], *, candidates: Sequence[int],
                   seats: int, register: tuple[int, int] | None = None) -> ElectionResult:
    """Each ballot marks up to `seats` candidates. A candidate needs more than half of the participating area
    AND owners; those who do are ranked by owners, then area. Seats go down the ranking; candidates tied across
    the last seat are reported as tied and none of them is elected (a run-off decides, not the software).
    `register` as in `tally_decision`."""
    everyone = _register(electorate, ballots, register)
    quorum = _count(ballots, electorate, everyone)
    quorum_met = quorum.area.at_least(QUORUM) and quorum.heads.at_least(QUORUM)
    taking_part = (quorum.area.part, quorum.heads.part)
    results = []
    for candidate in candidates:
        marks = _count((k for k, marked in ballots.items() if candidate in marked), electorate, taking_part)
        results.append(CandidateResult(candidate, marks, quorum_met and passes(marks, supermajority=False)))
    def standing(r: CandidateResult) -> tuple[int, int]:
        return r.marks.heads.part, r.marks.area.part

    ranked = sorted((r for r in results if r.qualifies), key=lambda r: (-standing(r)[0], -standing(r)[1]))
    for result in ranked:  # equal standing, equal rank ("1, 2, 2, 4")
        result.rank = 1 + sum(standing(other) > standing(result) for other in ranked)
    if len(ranked) > seats and standing(ranked[seats - 1]) == standing(ranked[seats]):
        for result in ranked:
            result.tied = standing(result) == standing(ranked[seats])
    for result in ranked[:seats]:
        result.elected = not result.tied
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.candidate))
    if not quorum_met:
        outcome = "no_quorum"
    else:
        outcome = "passed" if sum(r.elected for r in results) == seats else "failed"
    return ElectionResult(outcome, quorum, quorum_met, seats, results)


def record_hash(record: dict) -> str:
    """SHA-256 of the canonical JSON of a ballot record (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
