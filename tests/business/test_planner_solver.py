"""The planner without the database: every hard rule holds on random instances (greedy and CP-SAT), locked visits
never move, the same input gives the same plan, and on tiny seeded instances the planner (decomposed, hinted,
weighted) reaches the exact lexicographic optimum that CP-SAT proves with term-by-term solves."""

from __future__ import annotations

import datetime
import random

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from commonground.business.planner import cpsat, explain, greedy
from commonground.business.planner import instance as inst

START = datetime.date(2023, 9, 4)  # a Monday
END = datetime.date(2023, 9, 15)


def make_instance(rnd: random.Random, *, communities: int = 2, buildings: int = 3, commissioners: int = 2,
                  firms: int = 8, locked: int = 1) -> inst.Instance:
    days = inst.working_days(START, END)
    people, needs, fixed = [], [], []
    cid = fid = 0
    for k in range(communities):
        blds = [k * 100 + b for b in range(buildings)]
        ours = []
        for _ in range(commissioners):
            cid += 1
            mine = frozenset(b for b in blds if rnd.random() < 0.7) or frozenset([blds[0]])
            person = inst.Commissioner(cid, mine, rnd.randint(1, 3),
                                       frozenset(d for d in days if rnd.random() < 0.15), k)
            people.append(person)
            ours.append(person)
        for _ in range(firms):
            fid += 1
            last = START - datetime.timedelta(days=rnd.randint(0, 120)) if rnd.random() < 0.8 else None
            moved = START - datetime.timedelta(days=rnd.randint(0, 40)) if rnd.random() < 0.15 else None
            firm = inst.requirement(
                firm_id=fid, building=rnd.choice(blds), key=rnd.random() < 0.3, last_contact=last, moved_in=moved,
                at_risk=rnd.random() < 0.1, start=START, end=END, newcomer_days=30, community=k,
                do_not_disturb=[d for d in days if rnd.random() < 0.15],
                contacts=[START + datetime.timedelta(days=rnd.randint(-10, 20))] if rnd.random() < 0.3 else [])
            if firm:
                needs.append(firm)
        for _ in range(locked):
            firm = rnd.choice([f for f in needs if f.community == k] or [None])
            who = [p for p in ours if firm and firm.building in p.buildings]
            if firm and who and firm.id not in {v.firm for v in fixed}:
                person = who[0]
                free = [d for d in days if d not in person.leave]
                if free:
                    fixed.append(inst.Visit(firm.id, person.id, rnd.choice(free), firm.building, locked=True))
    return inst.Instance(days, tuple(people), tuple(needs), tuple(fixed), min_gap=7, repeat_window=14)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@seed(16)
@given(st.integers(min_value=0, max_value=10_000))
def test_greedy__random_instances__every_hard_rule_holds_and_locked_kept(number):
    instance = make_instance(random.Random(number))
    visits = greedy.solve(instance).visits
    assert inst.violations(instance, visits) == []
    assert set(instance.locked) <= set(visits)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@seed(16)
@given(st.integers(min_value=0, max_value=10_000))
def test_cpsat__random_instances__every_hard_rule_holds_and_locked_kept(number):
    instance = make_instance(random.Random(number), firms=6)
    visits = cpsat.solve(instance, seconds=0.5, workers=1).visits
    assert inst.violations(instance, visits) == []
    assert set(instance.locked) <= set(visits)


def test_violations__broken_plan__each_rule_reported():
    days = inst.working_days(START, END)
    person = inst.Commissioner(1, frozenset({10}), 1, frozenset({days[1]}))
    firm = inst.Firm(5, 10, (inst.Reason(inst.QUARTERLY),), START, END, END, frozenset({days[2]}), (days[4],))
    other = inst.Firm(6, 20, (inst.Reason(inst.QUARTERLY),), START, END, END)
    instance = inst.Instance(days, (person,), (firm, other), (inst.Visit(5, 1, days[0], 10, locked=True),),
                             min_gap=3, repeat_window=6)
    problems = inst.violations(instance, [
        inst.Visit(5, 1, days[1], 10), inst.Visit(5, 1, days[2], 10), inst.Visit(6, 1, days[3], 20),
        inst.Visit(5, 1, days[3], 10)])
    text = "\n".join(problems)
    for expected in ("on leave", "do-not-disturb", "outside the commissioner's buildings", "contacted twice",
                     "locked", "has 2 visits"):
        assert expected in text


def test_cpsat__same_input__same_plan():
    instance = make_instance(random.Random(3), firms=10)
    first = cpsat.solve(instance, seconds=2, workers=1)
    second = cpsat.solve(instance, seconds=2, workers=1)
    assert first.visits == second.visits
    assert greedy.solve(instance).visits == greedy.solve(instance).visits


def test_cpsat__locked_visit__kept_exactly_and_its_firm_not_planned_again():
    instance = make_instance(random.Random(11), locked=2)
    assert instance.locked
    visits = cpsat.solve(instance, seconds=1, workers=1).visits
    for locked in instance.locked:
        assert locked in visits
        assert [v for v in visits if v.firm == locked.firm] == [locked]


def test_greedy__firms_of_one_building__grouped_on_one_day():
    days = inst.working_days(START, END)
    person = inst.Commissioner(1, frozenset({10, 20}), 4)
    firms = tuple(inst.Firm(i, 10 if i <= 4 else 20, (inst.Reason(inst.QUARTERLY),), START, END, START + (
        datetime.timedelta(days=i))) for i in range(1, 9))
    instance = inst.Instance(days, (person,), firms)
    visits = greedy.solve(instance).visits
    assert inst.evaluate(instance, visits)["building_days"] == 2
    assert {v.day for v in visits if v.building == 10} == {days[0]}


def test_explain__grouped_visit__names_its_reasons():
    days = inst.working_days(START, END)
    person = inst.Commissioner(1, frozenset({10}), 4)
    firms = (inst.Firm(1, 10, (inst.Reason(inst.KEY_MONTHLY, (("due", "2023-09-04"),)),), START, END, END,
                       frozenset({days[3]}), (START - datetime.timedelta(days=20),)),
             inst.Firm(2, 10, (inst.Reason(inst.AT_RISK, (("due", "2023-09-11"),)),), START, END, END))
    instance = inst.Instance(days, (person,), firms, min_gap=14, repeat_window=28)
    visits = greedy.solve(instance).visits
    reasons = explain.explain(instance, visits)
    assert [v.day for v in visits] == [days[0], days[0]]
    first = reasons[(1, 1, days[0])]
    codes = [r["code"] for r in first]
    assert codes == ["key_monthly", "grouped", "before_deadline", "avoids_dnd", "avoids_contact"]
    assert first[1]["others"] == "1"


@pytest.mark.parametrize("number", range(22))
def test_cpsat__tiny_instance__coverage_optimal_and_remainder_within_2_percent(number):
    instance = make_instance(random.Random(1000 + number), communities=2, buildings=2, commissioners=2, firms=5)
    exact = cpsat.solve_lexicographic(instance, seconds=5, workers=1)
    assert exact.status == "OPTIMAL"
    ours = cpsat.solve(instance, seconds=1, workers=1)
    best = inst.evaluate(instance, exact.visits)
    got = inst.evaluate(instance, ours.visits)
    assert inst.violations(instance, ours.visits) == []
    assert got["covered"] == best["covered"]
    assert inst.weighted_remainder(instance, got) <= 1.02 * inst.weighted_remainder(instance, best)


def test_polish__scattered_plan__building_days_closed_and_rules_kept():
    days = inst.working_days(START, END)
    person = inst.Commissioner(1, frozenset({10}), 4)
    firms = tuple(inst.Firm(i, 10, (inst.Reason(inst.QUARTERLY),), START, END, END) for i in range(1, 5))
    instance = inst.Instance(days, (person,), firms)
    scattered = [inst.Visit(i, 1, days[i], 10) for i in range(1, 5)]
    polished = cpsat._polish(instance, scattered)
    assert inst.violations(instance, polished) == []
    assert {v.firm for v in polished} == {1, 2, 3, 4}
    assert inst.evaluate(instance, polished)["building_days"] == 1
