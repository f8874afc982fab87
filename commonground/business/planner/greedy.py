"""The baseline plan: earliest deadline first, and a building's other due firms filled into the same day.

Firms are taken by (deadline, priority, building, id). Each goes to the feasible commissioner-day that already
visits its building, else to the earliest free day of the least loaded commissioner; then the other unplanned firms
of the same building that this commissioner may visit that day fill the day up to capacity. Deterministic.
With `group_buildings=False` it is plain earliest-deadline-first (each firm to its earliest free day with the least
loaded commissioner), the baseline a planner that knows nothing of buildings would give.
"""

from __future__ import annotations

import time
from collections import defaultdict

from .instance import Instance, Solution, Visit, base_capacity, domains


def solve(instance: Instance, *, group_buildings: bool = True) -> Solution:
    started = time.perf_counter()
    cap = base_capacity(instance)
    doms = domains(instance)
    dom_sets = {k: set(v) for k, v in doms.items()}
    load: dict[int, int] = defaultdict(int)
    open_days: set[tuple[int, int, object]] = set()
    for v in instance.locked:
        load[v.commissioner] += 1
        open_days.add((v.commissioner, v.building, v.day))
    order = sorted((f for f in instance.firms if f.id in doms),
                   key=lambda f: (f.deadline, -f.priority, f.building, f.id))
    by_building: dict[int, list] = defaultdict(list)
    for f in order:
        by_building[f.building].append(f)
    placed: dict[int, Visit] = {}

    def place(firm, cid, day) -> None:
        placed[firm.id] = Visit(firm.id, cid, day, firm.building)
        cap[(cid, day)] -= 1
        load[cid] += 1
        open_days.add((cid, firm.building, day))

    for firm in order:
        if firm.id in placed:
            continue
        options = [(cid, day) for cid, day in doms[firm.id] if cap[(cid, day)] > 0]
        if not options:
            continue
        if not group_buildings:
            place(firm, *min(options, key=lambda o: (o[1], load[o[0]], o[0])))
            continue
        cid, day = min(options, key=lambda o: ((o[0], firm.building, o[1]) not in open_days, o[1], load[o[0]], o[0]))
        place(firm, cid, day)
        for other in by_building[firm.building]:
            if cap[(cid, day)] <= 0:
                break
            if other.id not in placed and (cid, day) in dom_sets[other.id]:
                place(other, cid, day)
    visits = list(instance.locked) + sorted(placed.values(), key=lambda v: (v.day, v.commissioner, v.building,
                                                                              v.firm))
    seconds = time.perf_counter() - started
    return Solution(visits=visits, method="greedy" if group_buildings else "edf", status="FEASIBLE", seconds=seconds,
                    first_solution_seconds=seconds)
