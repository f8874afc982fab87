"""The visit planner at the demo district's size: `commonground bench planner`.

A month (2023-09-01..2023-09-30, the Chinese calendar's working days) of a generated district like the demo's:
17 business communities with 206 office and 29 serviced-apartment buildings, 14,200 firms (10% key firms visited
monthly, the others quarterly from their last contact, 5% newcomers, 2% at risk), ~100 commissioners (buildings
split among a community's commissioners, a fifth of them shared by two; 5 to 8 visits a day; 0 to 3 leave days),
do-not-disturb days at 3% of the firms and other departments' visits in the month at 5%.

Per seed (5 seeds) plain earliest-deadline-first (EDF: no notion of buildings), the greedy baseline (EDF that fills a
building's due firms into the same day) and CP-SAT (decomposed by business community, hinted with the greedy plan,
60 s and 2 workers for the whole district, shared by the communities by size) are run on the same instance, and
printed: required visits uncovered against the floor (required visits no day can serve), repeat contacts, load
range (summed over communities), commissioner-building-days (goal: CP-SAT at least 15% fewer than greedy; printed
against both baselines), time to
the first plan (greedy; CP-SAT's first solution, the greedy hint included); then the medians.
Environment: CG_BENCH_PLANNER_SECONDS (60), CG_BENCH_PLANNER_SEEDS (5), CG_BENCH_PLANNER_WORKERS (2).
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import time

from commonground.business.planner import cpsat, greedy
from commonground.business.planner import instance as inst

START = datetime.date(2023, 9, 1)
END = datetime.date(2023, 9, 30)
COMMUNITIES = 17
OFFICE_BUILDINGS = 206
APARTMENT_BUILDINGS = 29
FIRMS = 14_200
COMMISSIONERS = 100


def district(seed: int) -> inst.Instance:
    """The generated district of `seed` (deterministic)."""
    rnd = random.Random(seed)
    days = inst.working_days(START, END)
    # buildings per community: 新天地 (community 0) has 27 office + 29 apartment buildings, the rest share 179
    offices = [27] + [0] * (COMMUNITIES - 1)
    for i in range(OFFICE_BUILDINGS - 27):
        offices[1 + i % (COMMUNITIES - 1)] += 1
    buildings: list[list[int]] = []
    bid = 0
    for k in range(COMMUNITIES):
        count = offices[k] + (APARTMENT_BUILDINGS if k == 0 else 0)
        buildings.append(list(range(bid, bid + count)))
        bid += count
    all_buildings = [(k, b) for k in range(COMMUNITIES) for b in buildings[k]]
    weights = [rnd.uniform(0.3, 2.0) for _ in all_buildings]
    firm_building = rnd.choices(all_buildings, weights=weights, k=FIRMS)
    per_community = [sum(1 for k, _ in firm_building if k == c) for c in range(COMMUNITIES)]
    people = []
    cid = 0
    for k in range(COMMUNITIES):
        n = max(2, round(COMMISSIONERS * per_community[k] / FIRMS))
        mine: list[set[int]] = [set() for _ in range(n)]
        for i, b in enumerate(buildings[k]):
            mine[i % n].add(b)
            if rnd.random() < 0.2:
                mine[rnd.randrange(n)].add(b)
        for j in range(n):
            cid += 1
            leave = frozenset(rnd.sample(days, rnd.randint(0, 3)))
            people.append(inst.Commissioner(cid, frozenset(mine[j]), rnd.randint(5, 8), leave, k))
    firms = []
    for fid, (k, b) in enumerate(firm_building, start=1):
        key = rnd.random() < 0.10
        newcomer = rnd.random() < 0.05
        moved_in = START - datetime.timedelta(days=rnd.randint(0, 25)) if newcomer else None
        if newcomer and rnd.random() < 0.5:
            last = None
        else:
            last = START - datetime.timedelta(days=rnd.randint(1, 40 if key else 100))
        dnd = ()
        if rnd.random() < 0.03:
            first = rnd.choice(days)
            dnd = [d for d in days if 0 <= (d - first).days < rnd.randint(1, 5)]
        contacts = [rnd.choice(days)] if rnd.random() < 0.05 else []
        firm = inst.requirement(firm_id=fid, building=b, key=key, last_contact=last, moved_in=moved_in,
                                at_risk=rnd.random() < 0.02, start=START, end=END, newcomer_days=30, community=k,
                                do_not_disturb=dnd, contacts=contacts)
        if firm:
            firms.append(firm)
    return inst.Instance(days, tuple(people), tuple(firms), min_gap=14, repeat_window=28)


def _row(name: str, terms: dict, first: float) -> str:
    return (f"  {name:<7} uncovered {terms['uncovered']:5d} (floor {terms['floor']:4d})  repeats {terms['repeats']:4d}"
            f"  load range {terms['load_range']:4d}  building-days {terms['building_days']:5d}"
            f"  first plan {first:7.2f} s")


def run() -> None:
    seconds = float(os.environ.get("CG_BENCH_PLANNER_SECONDS", "60"))
    seeds = int(os.environ.get("CG_BENCH_PLANNER_SEEDS", "5"))
    workers = int(os.environ.get("CG_BENCH_PLANNER_WORKERS", "2"))
    print(f"\nVisit planner: a month ({START}..{END}) of a generated district, {seeds} seeds, CP-SAT {seconds:.0f} s "
          f"on {workers} workers per run")
    results = []
    for seed in range(1, seeds + 1):
        started = time.perf_counter()
        instance = district(seed)
        built = time.perf_counter() - started
        plain = greedy.solve(instance, group_buildings=False)
        e = inst.evaluate(instance, plain.visits)
        base = greedy.solve(instance)
        g = inst.evaluate(instance, base.visits)
        solution = cpsat.solve(instance, seconds=seconds, workers=workers, seed=seed)
        c = inst.evaluate(instance, solution.visits)
        assert not inst.violations(instance, solution.visits), "CP-SAT broke a hard rule"
        assert not inst.violations(instance, base.visits), "greedy broke a hard rule"
        statuses = [p["status"] for p in solution.report["parts"]]
        saving = 1 - c["building_days"] / g["building_days"] if g["building_days"] else 0.0
        saving_edf = 1 - c["building_days"] / e["building_days"] if e["building_days"] else 0.0
        print(f"seed {seed}: {len(instance.firms)} required visits of {FIRMS} firms, {len(instance.commissioners)} "
              f"commissioners, {len(instance.days)} working days (instance {built:.1f} s)")
        print(_row("EDF", e, plain.seconds))
        print(_row("greedy", g, base.seconds))
        print(_row("CP-SAT", c, solution.first_solution_seconds or 0.0)
              + f"  [{statuses.count('OPTIMAL')} of {len(statuses)} communities optimal, "
                f"{solution.seconds:.1f} s, gap {solution.report['gap']:.2e}]")
        floor = inst.building_days_floor(instance, base.visits)
        print(f"  building-days {100 * saving:.1f}% fewer than greedy (goal: 15%), {100 * saving_edf:.1f}% fewer than "
              f"EDF; greedy's own visits need at "
              f"least {floor} (greedy is {100 * (g['building_days'] / floor - 1):.1f}% above that floor)")
        results.append((g, c, base.seconds, solution.first_solution_seconds or 0.0, saving, e, plain.seconds,
                        saving_edf))
    print("median:")

    def median(values) -> float:
        return statistics.median(values)

    for name, index, first_index in (("EDF", 5, 6), ("greedy", 0, 2), ("CP-SAT", 1, 3)):
        terms = {key: round(median([r[index][key] for r in results])) for key in
                 ("uncovered", "floor", "repeats", "load_range", "building_days")}
        print(_row(name, terms, median([r[first_index] for r in results])))
    print(f"  building-days {100 * median([r[4] for r in results]):.1f}% fewer than greedy (goal: 15%), "
          f"{100 * median([r[7] for r in results]):.1f}% fewer than EDF")
