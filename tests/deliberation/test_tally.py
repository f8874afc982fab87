"""The exact Art. 278 tally against a plain reference written here (Fractions and loops, no shared code),
plus the boundary cases the law turns on."""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.deliberation.tally import record_hash, tally_decision, tally_election, to_cents

CHOICES = ("agree", "against", "abstain")


# --- the reference -------------------------------------------------------------------------------------------

def ref_share(keys: list[str], areas: dict[str, int], whole_area: int, whole_heads: int) -> dict:
    area = 0
    for key in keys:
        area += areas[key]
    return {"area": [area, whole_area], "heads": [len(keys), whole_heads]}


def ref_fraction(share: list[int]) -> Fraction | None:
    part, whole = share
    return Fraction(part, whole) if whole else None


def ref_at_least(share: list[int], threshold: Fraction) -> bool:
    value = ref_fraction(share)
    return value is not None and value >= threshold


def ref_more_than(share: list[int], threshold: Fraction) -> bool:
    value = ref_fraction(share)
    return value is not None and value > threshold


def ref_passes(counted: dict, supermajority: bool) -> bool:
    if supermajority:
        return ref_at_least(counted["area"], Fraction(3, 4)) and ref_at_least(counted["heads"], Fraction(3, 4))
    return ref_more_than(counted["area"], Fraction(1, 2)) and ref_more_than(counted["heads"], Fraction(1, 2))


def ref_quorum(areas: dict[str, int], voters: list[str]) -> tuple[dict, bool]:
    total_area = 0
    for area in areas.values():
        total_area += area
    quorum = ref_share(voters, areas, total_area, len(areas))
    met = ref_at_least(quorum["area"], Fraction(2, 3)) and ref_at_least(quorum["heads"], Fraction(2, 3))
    return quorum, met


def ref_decision(areas: dict[str, int], ballots: dict[str, str], supermajority: bool) -> dict:
    voters = list(ballots)
    quorum, met = ref_quorum(areas, voters)
    part_area, part_heads = quorum["area"][0], quorum["heads"][0]
    result = {"quorum": quorum, "quorum_met": met,
              "threshold": "three_quarters" if supermajority else "more_than_half"}
    for choice in CHOICES:
        result[choice] = ref_share([k for k in voters if ballots[k] == choice], areas, part_area, part_heads)
    if not met:
        result["outcome"] = "no_quorum"
    elif ref_passes(result["agree"], supermajority):
        result["outcome"] = "passed"
    else:
        result["outcome"] = "failed"
    return result


def ref_election(areas: dict[str, int], ballots: dict[str, list[int]], candidates: list[int], seats: int) -> dict:
    voters = list(ballots)
    quorum, met = ref_quorum(areas, voters)
    part_area, part_heads = quorum["area"][0], quorum["heads"][0]
    rows = {}
    for candidate in candidates:
        marked = [k for k in voters if candidate in ballots[k]]
        share = ref_share(marked, areas, part_area, part_heads)
        rows[candidate] = {"candidate": candidate, **share, "qualifies": met and ref_passes(share, False),
                           "rank": None, "elected": False, "tied": False}
    qualified = [c for c in candidates if rows[c]["qualifies"]]

    def standing(c: int) -> tuple[int, int]:
        return rows[c]["heads"][0], rows[c]["area"][0]

    for c in qualified:
        better = 0
        for other in qualified:
            if standing(other)[0] > standing(c)[0] or (
                    standing(other)[0] == standing(c)[0] and standing(other)[1] > standing(c)[1]):
                better += 1
        rows[c]["rank"] = better + 1
    # Seat by seat: a seat goes to everyone at the next standing only if they all fit.
    order = sorted(qualified, key=lambda c: rows[c]["rank"])
    filled = 0
    while order:
        level = standing(order[0])
        group = [c for c in order if standing(c) == level]
        order = [c for c in order if standing(c) != level]
        if filled + len(group) <= seats:
            for c in group:
                rows[c]["elected"] = True
            filled += len(group)
        else:
            if filled < seats:  # the group straddles the last seat
                for c in group:
                    rows[c]["tied"] = True
            break
    elected = [c for c in candidates if rows[c]["elected"]]
    outcome = "no_quorum" if not met else "passed" if len(elected) == seats else "failed"
    ordered = sorted(rows.values(), key=lambda r: (r["rank"] is None, r["rank"] or 0, r["candidate"]))
    return {"outcome": outcome, "quorum": quorum, "quorum_met": met, "threshold": "more_than_half", "seats": seats,
            "elected": [r["candidate"] for r in ordered if r["elected"]],
            "tied": [r["candidate"] for r in ordered if r["tied"]],
            "unfilled": seats - len(elected), "candidates": ordered}


# --- strategies ----------------------------------------------------------------------------------------------

# Areas 0.01 m² to 500.00 m², in cents, for 1 to 60 electors.
registers = st.lists(st.integers(min_value=1, max_value=50_000), min_size=1, max_size=60).map(
    lambda areas: {f"e{i}": area for i, area in enumerate(areas)})


@st.composite
def decisions(draw):
    areas = draw(registers)
    # Skewed towards agreement and turnout so that passing, failing and no quorum all come up often.
    picks = draw(st.lists(st.sampled_from(["agree", "agree", "agree", "against", "abstain", None]),
                          min_size=len(areas), max_size=len(areas)))
    ballots = {key: choice for key, choice in zip(areas, picks, strict=True) if choice}
    return areas, ballots


@st.composite
def elections(draw):
    areas = draw(registers)
    seats = draw(st.sampled_from([3, 5, 7, 9, 11]))
    candidates = draw(st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=seats + 4,
                               unique=True))
    ballots = {}
    for key in areas:
        if draw(st.integers(min_value=0, max_value=5)) == 0:
            continue  # absent
        marks = draw(st.lists(st.sampled_from(candidates), max_size=min(seats, len(candidates)), unique=True))
        ballots[key] = marks
    return areas, ballots, candidates, seats


@settings(max_examples=200, deadline=None)
@given(decisions(), st.booleans())
def test_tally_decision__random_register__matches_reference(case, supermajority):
    areas, ballots = case
    assert tally_decision(areas, ballots, supermajority=supermajority).as_dict() == \
        ref_decision(areas, ballots, supermajority)


@settings(max_examples=200, deadline=None)
@given(elections())
def test_tally_election__random_marks__matches_reference(case):
    areas, ballots, candidates, seats = case
    result = tally_election(areas, ballots, candidates=candidates, seats=seats)
    assert result.as_dict() == ref_election(areas, ballots, candidates, seats)


def as_published(areas: dict[str, int], ballots: dict) -> tuple[dict[str, int], dict, tuple[int, int]]:
    """What a published record keeps: each ballot under a receipt code unrelated to its elector, with its area,
    and the register's totals; the electors who did not vote are only in the totals."""
    receipts = {key: f"R{n:09d}" for n, key in enumerate(sorted(ballots, reverse=True))}
    weights = {receipts[key]: areas[key] for key in ballots}
    return weights, {receipts[key]: marks for key, marks in ballots.items()}, (sum(areas.values()), len(areas))


@settings(max_examples=200, deadline=None)
@given(decisions(), st.booleans())
def test_tally_decision__published_record_alone__matches_reference(case, supermajority):
    areas, ballots = case
    weights, published, register = as_published(areas, ballots)
    assert tally_decision(weights, published, supermajority=supermajority, register=register).as_dict() == \
        ref_decision(areas, ballots, supermajority)


@settings(max_examples=200, deadline=None)
@given(elections())
def test_tally_election__published_record_alone__matches_reference(case):
    areas, ballots, candidates, seats = case
    weights, published, register = as_published(areas, ballots)
    result = tally_election(weights, published, candidates=candidates, seats=seats, register=register)
    assert result.as_dict() == ref_election(areas, ballots, candidates, seats)


@pytest.mark.parametrize("register", [(29_999, 3), (30_000, 1)])
def test_tally_decision__ballots_outweigh_register_totals__refused(register):
    with pytest.raises(ValueError, match="weigh more than the whole register"):
        tally_decision({"A": 10_000, "B": 20_000}, {"A": "agree", "B": "agree"}, supermajority=False,
                       register=register)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=3, max_value=40).flatmap(
    lambda n: st.tuples(st.just(n), st.lists(st.integers(1, 50_000), min_size=n, max_size=n))))
def test_tally_election__many_equal_candidates__tie_never_guessed(case):
    """Everyone marks the same candidates: they all stand level, so they fit or are all tied."""
    n, area_list = case
    areas = {f"e{i}": a for i, a in enumerate(area_list)}
    candidates = [1, 2, 3, 4]
    result = tally_election(areas, {k: [1, 2, 3, 4] for k in areas}, candidates=candidates, seats=3)
    assert result.elected == []
    assert result.tied == [1, 2, 3, 4]
    assert result.unfilled == 3
    assert result.outcome == "failed"


# --- boundaries: quorum ----------------------------------------------------------------------------------------

def test_tally_decision__exactly_two_thirds_of_area_and_heads__quorum_met():
    areas = {"a": 10_000, "b": 10_000, "c": 10_000}
    result = tally_decision(areas, {"a": "agree", "b": "agree"}, supermajority=False)
    assert result.quorum.as_dict() == {"area": [20_000, 30_000], "heads": [2, 3]}
    assert result.quorum_met is True
    assert result.outcome == "passed"


def test_tally_decision__one_cent_below_two_thirds_of_area__no_quorum():
    areas = {"a": 10_000, "b": 9_999, "c": 10_001}
    result = tally_decision(areas, {"a": "agree", "b": "agree"}, supermajority=False)
    assert result.quorum.as_dict() == {"area": [19_999, 30_000], "heads": [2, 3]}
    assert result.quorum_met is False
    assert result.outcome == "no_quorum"


def test_tally_decision__area_quorum_met_but_heads_below__no_quorum():
    areas = {"big": 90_000, "b": 100, "c": 100, "d": 100}
    result = tally_decision(areas, {"big": "agree", "b": "agree"}, supermajority=False)
    assert result.quorum.as_dict() == {"area": [90_100, 90_300], "heads": [2, 4]}
    assert result.quorum_met is False
    assert result.outcome == "no_quorum"


def test_tally_decision__heads_quorum_met_but_area_below__no_quorum():
    areas = {"big": 90_000, "b": 100, "c": 100, "d": 100}
    result = tally_decision(areas, {"b": "agree", "c": "agree", "d": "agree"}, supermajority=False)
    assert result.quorum.as_dict() == {"area": [300, 90_300], "heads": [3, 4]}
    assert result.quorum_met is False
    assert result.outcome == "no_quorum"


def test_tally_decision__abstentions__count_for_quorum_not_for_agreement():
    areas = {"a": 100, "b": 100, "c": 100}
    result = tally_decision(areas, {"a": "agree", "b": "abstain", "c": "abstain"}, supermajority=False)
    assert result.quorum_met is True
    assert result.agree.as_dict() == {"area": [100, 300], "heads": [1, 3]}
    assert result.abstain.as_dict() == {"area": [200, 300], "heads": [2, 3]}
    assert result.outcome == "failed"


def test_tally_decision__nobody_votes__no_quorum_and_empty_shares():
    result = tally_decision({"a": 100, "b": 200}, {}, supermajority=True)
    assert result.as_dict() == {
        "outcome": "no_quorum", "quorum": {"area": [0, 300], "heads": [0, 2]}, "quorum_met": False,
        "threshold": "three_quarters", "agree": {"area": [0, 0], "heads": [0, 0]},
        "against": {"area": [0, 0], "heads": [0, 0]}, "abstain": {"area": [0, 0], "heads": [0, 0]}}


# --- boundaries: passing ---------------------------------------------------------------------------------------

def test_tally_decision__exactly_three_quarters_on_supermajority_matter__passes():
    areas = {"a": 100, "b": 100, "c": 100, "d": 100}
    ballots = {"a": "agree", "b": "agree", "c": "agree", "d": "against"}
    result = tally_decision(areas, ballots, supermajority=True)
    assert result.agree.as_dict() == {"area": [300, 400], "heads": [3, 4]}
    assert result.outcome == "passed"


def test_tally_decision__one_cent_below_three_quarters_on_supermajority_matter__fails():
    areas = {"a": 100, "b": 100, "c": 99, "d": 101}
    ballots = {"a": "agree", "b": "agree", "c": "agree", "d": "against"}
    result = tally_decision(areas, ballots, supermajority=True)
    assert result.agree.as_dict() == {"area": [299, 400], "heads": [3, 4]}
    assert result.quorum_met is True
    assert result.outcome == "failed"


def test_tally_decision__three_quarters_of_area_but_fewer_heads_on_supermajority_matter__fails():
    areas = {"a": 300, "b": 100, "c": 100, "d": 100, "e": 100, "f": 100}
    ballots = {"a": "agree", "b": "agree", "c": "agree", "d": "agree", "e": "against", "f": "against"}
    result = tally_decision(areas, ballots, supermajority=True)
    assert result.agree.as_dict() == {"area": [600, 800], "heads": [4, 6]}
    assert result.outcome == "failed"


def test_tally_decision__exactly_half_on_ordinary_matter__fails_more_than_half():
    areas = {"a": 100, "b": 100, "c": 100, "d": 100}
    ballots = {"a": "agree", "b": "agree", "c": "against", "d": "against"}
    result = tally_decision(areas, ballots, supermajority=False)
    assert result.agree.as_dict() == {"area": [200, 400], "heads": [2, 4]}
    assert result.outcome == "failed"


def test_tally_decision__one_cent_over_half_but_half_the_heads__fails():
    areas = {"a": 100, "b": 101, "c": 100, "d": 99}
    ballots = {"a": "agree", "b": "agree", "c": "against", "d": "against"}
    result = tally_decision(areas, ballots, supermajority=False)
    assert result.agree.as_dict() == {"area": [201, 400], "heads": [2, 4]}
    assert result.outcome == "failed"


def test_tally_decision__area_passes_heads_fail__fails():
    areas = {"big": 500, "b": 100, "c": 100}
    result = tally_decision(areas, {"big": "agree", "b": "against", "c": "against"}, supermajority=False)
    assert result.agree.as_dict() == {"area": [500, 700], "heads": [1, 3]}
    assert result.outcome == "failed"


def test_tally_decision__heads_pass_area_fails__fails():
    areas = {"big": 500, "b": 100, "c": 100}
    result = tally_decision(areas, {"big": "against", "b": "agree", "c": "agree"}, supermajority=False)
    assert result.agree.as_dict() == {"area": [200, 700], "heads": [2, 3]}
    assert result.outcome == "failed"


def test_tally_decision__ballot_of_someone_not_on_register__refused():
    with pytest.raises(ValueError):
        tally_decision({"a": 100}, {"a": "agree", "stranger": "agree"}, supermajority=False)


# --- elections ---------------------------------------------------------------------------------------------------

def test_tally_election__tie_across_last_seat__reported_tied_not_elected():
    areas = {f"e{i}": 100 for i in range(7)}
    ballots = {"e0": [1, 2, 3], "e1": [1, 2, 3], "e2": [1, 2, 4], "e3": [1, 2, 4], "e4": [1, 3, 4],
               "e5": [2, 3, 4], "e6": [5]}
    result = tally_election(areas, ballots, candidates=[1, 2, 3, 4, 5], seats=3)
    assert result.elected == [1, 2]
    assert result.tied == [3, 4]
    assert result.unfilled == 1
    assert result.outcome == "failed"
    rows = {r.candidate: r for r in result.candidates}
    assert rows[3].marks.as_dict() == rows[4].marks.as_dict() == {"area": [400, 700], "heads": [4, 7]}
    assert (rows[1].rank, rows[2].rank, rows[3].rank, rows[4].rank, rows[5].rank) == (1, 1, 3, 3, None)
    assert rows[5].qualifies is False


def test_tally_election__tie_inside_the_seats__all_elected():
    areas = {f"e{i}": 100 for i in range(4)}
    ballots = {k: [1, 2, 3] for k in areas}
    result = tally_election(areas, ballots, candidates=[1, 2, 3, 4], seats=3)
    assert result.elected == [1, 2, 3]
    assert result.tied == []
    assert result.outcome == "passed"


def test_tally_election__equal_heads_more_area__ranks_higher_and_wins_last_seat():
    areas = {"a": 101, "b": 100, "c": 100, "d": 100, "e": 100}
    ballots = {"a": [1, 2, 3], "b": [1, 2, 4], "c": [1, 3, 4], "d": [2, 3, 4], "e": [1, 2]}
    result = tally_election(areas, ballots, candidates=[1, 2, 3, 4], seats=3)
    rows = {r.candidate: r for r in result.candidates}
    assert rows[3].marks.as_dict() == {"area": [301, 501], "heads": [3, 5]}
    assert rows[4].marks.as_dict() == {"area": [300, 501], "heads": [3, 5]}
    assert (rows[1].rank, rows[2].rank, rows[3].rank, rows[4].rank) == (1, 1, 3, 4)
    assert result.elected == [1, 2, 3]
    assert result.tied == []


def test_tally_election__too_few_qualify__unfilled_seats_counted():
    areas = {f"e{i}": 100 for i in range(5)}
    ballots = {"e0": [1, 2], "e1": [1, 2], "e2": [1, 3], "e3": [4, 5], "e4": [4]}
    result = tally_election(areas, ballots, candidates=[1, 2, 3, 4, 5], seats=5)
    assert result.elected == [1]
    assert result.unfilled == 4
    assert result.tied == []
    assert result.outcome == "failed"
    assert result.as_dict()["unfilled"] == 4


def test_tally_election__no_quorum__nobody_elected():
    areas = {f"e{i}": 100 for i in range(3)}
    result = tally_election(areas, {"e0": [1, 2, 3]}, candidates=[1, 2, 3], seats=3)
    assert result.outcome == "no_quorum"
    assert result.elected == []
    assert result.unfilled == 3


# --- the record ------------------------------------------------------------------------------------------------

def test_record_hash__key_order__same_hash():
    one = {"vote": 1, "electorate": [["p1", 100]], "ballots": [{"receipt": "AB", "choice": "agree"}], "名": "小区"}
    other = {"名": "小区", "ballots": [{"choice": "agree", "receipt": "AB"}], "electorate": [["p1", 100]], "vote": 1}
    assert record_hash(one) == record_hash(other)
    canonical = json.dumps(one, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert record_hash(one) == hashlib.sha256(canonical).hexdigest()


def test_record_hash__any_change__different_hash():
    record = {"ballots": [{"receipt": "AB", "choice": "agree"}]}
    assert record_hash(record) != record_hash({"ballots": [{"receipt": "AB", "choice": "against"}]})


@pytest.mark.parametrize(("area", "cents"), [("0.01", 1), ("500.00", 50_000), ("75.5", 7_550), (3, 300)])
def test_to_cents__register_areas__exact_integers(area, cents):
    assert to_cents(area) == cents


def test_to_cents__finer_than_cents__refused():
    with pytest.raises(ValueError):
        to_cents("1.005")
