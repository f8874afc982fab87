"""The plan by OR-Tools CP-SAT, one business community at a time (communities share no commissioner, so each is
independent), hinted with the greedy plan, within a time limit and a number of workers.

Model of one community: a boolean per (firm, commissioner, day) the hard rules allow (`instance.domains`); each firm
at most once; each commissioner-day within its free capacity; a boolean per (commissioner, building, day) that is
on exactly when one of its visits is; the load range is the most minus the least visits of the community's
commissioners. The lexicographic objective is one weighted sum whose weights (`instance.weights`) are a mixed
radix: one unit of a higher term outweighs every lower term's largest possible value, so the weighted optimum is
the lexicographic optimum. `solve_lexicographic` instead solves term by term with the previous optimum fixed (the
exact reference the tests compare with).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from . import greedy
from .instance import Instance, Solution, Visit, base_capacity, domains, evaluate, is_repeat, weights

STATUS = {cp_model.OPTIMAL: "OPTIMAL", cp_model.FEASIBLE: "FEASIBLE", cp_model.INFEASIBLE: "INFEASIBLE",
          cp_model.MODEL_INVALID: "MODEL_INVALID", cp_model.UNKNOWN: "UNKNOWN"}


LARGE = 3000  # boolean visit variables from which a model is solved without presolve


@dataclass
class _Model:
    model: cp_model.CpModel
    x: dict[tuple[int, int, object], cp_model.IntVar]
    uncovered: cp_model.LinearExpr
    repeats: cp_model.LinearExpr
    load_range: cp_model.LinearExpr
    building_days: cp_model.LinearExpr
    constant_building_days: int
    buildings: dict[int, int]
    y: dict[tuple[int, int, object], cp_model.IntVar]
    bounds: list[tuple[cp_model.IntVar, cp_model.IntVar, list[int]]]


def _build(instance: Instance) -> _Model:
    model = cp_model.CpModel()
    doms = domains(instance)
    cap = base_capacity(instance)
    firms = {f.id: f for f in instance.firms}
    x: dict[tuple[int, int, object], cp_model.IntVar] = {}
    per_firm: dict[int, list] = defaultdict(list)
    per_slot: dict[tuple[int, object], list] = defaultdict(list)
    per_triple: dict[tuple[int, int, object], list] = defaultdict(list)
    per_commissioner: dict[int, list] = defaultdict(list)
    repeat_terms = []
    for fid in sorted(doms):
        firm = firms[fid]
        for cid, day in doms[fid]:
            if cap[(cid, day)] <= 0:
                continue
            var = model.new_bool_var(f"x_{fid}_{cid}_{day:%m%d}")
            x[(fid, cid, day)] = var
            per_firm[fid].append(var)
            per_slot[(cid, day)].append(var)
            per_triple[(cid, firm.building, day)].append(var)
            per_commissioner[cid].append(var)
            if is_repeat(day, firm.contacts, instance.repeat_window):
                repeat_terms.append(var)
    for vars_ in per_firm.values():
        model.add_at_most_one(vars_)
    for slot, vars_ in per_slot.items():
        if len(vars_) > cap[slot]:
            model.add(cp_model.LinearExpr.sum(vars_) <= cap[slot])
    locked_triples = {(v.commissioner, v.building, v.day) for v in instance.locked}
    y_terms = []
    ys = {}
    for triple, vars_ in sorted(per_triple.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])):
        if triple in locked_triples:
            continue
        y = model.new_bool_var(f"y_{triple[0]}_{triple[1]}_{triple[2]:%m%d}")
        for var in vars_:
            model.add_implication(var, y)
        model.add_bool_or(vars_).only_enforce_if(y)
        y_terms.append(y)
        ys[triple] = y
    locked_load: dict[int, int] = defaultdict(int)
    for v in instance.locked:
        locked_load[v.commissioner] += 1
    range_terms = []
    bounds = []
    for part in instance.split():
        ids = [c.id for c in part.commissioners if c.buildings and any(d not in c.leave for d in instance.days)]
        if len(ids) < 2:
            continue
        top = len(instance.firms) + len(instance.locked)
        high = model.new_int_var(0, top, f"max_{part.commissioners[0].community}")
        low = model.new_int_var(0, top, f"min_{part.commissioners[0].community}")
        bounds.append((high, low, ids))
        for cid in ids:
            load = cp_model.LinearExpr.sum(per_commissioner[cid]) + locked_load[cid]
            model.add(high >= load)
            model.add(low <= load)
        range_terms.append(high - low)
    covered = cp_model.LinearExpr.sum(list(x.values())) if x else 0
    return _Model(model=model, x=x, uncovered=len(instance.firms) - covered - len(
        {v.firm for v in instance.locked if v.firm in firms}), repeats=cp_model.LinearExpr.sum(repeat_terms) if repeat_terms else 0,
        load_range=cp_model.LinearExpr.sum(range_terms) if range_terms else 0,
        building_days=cp_model.LinearExpr.sum(y_terms) if y_terms else 0,
        constant_building_days=len(locked_triples), buildings={f.id: f.building for f in instance.firms}, y=ys,
        bounds=bounds)


def _objective(instance: Instance, built: _Model):
    w1, w2, w3, w4 = weights(instance)
    return w1 * built.uncovered + w2 * built.repeats + w3 * built.load_range + w4 * built.building_days


class _FirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self, started: float) -> None:
        super().__init__()
        self.started = started
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        if self.first is None:
            self.first = time.perf_counter() - self.started


def _solver(seconds: float, workers: int, seed: int, large: bool = False) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    solver.parameters.symmetry_level = 0  # the symmetry search costs seconds on a month and finds little here
    if large:  # a month of a community: presolve and the LP cost seconds before the first solution
        solver.parameters.cp_model_presolve = False
        solver.parameters.linearization_level = 0
    return solver


def _visits(instance: Instance, built: _Model, solver: cp_model.CpSolver) -> list[Visit]:
    chosen = [Visit(fid, cid, day, built.buildings[fid]) for (fid, cid, day), var in built.x.items()
              if solver.boolean_value(var)]
    return list(instance.locked) + sorted(chosen, key=lambda v: (v.day, v.commissioner, v.building, v.firm))


def _lexicographic_key(instance: Instance, visits: list[Visit]) -> tuple[int, ...]:
    terms = evaluate(instance, visits)
    return terms["uncovered"], terms["repeats"], terms["load_range"], terms["building_days"]


def _polish(instance: Instance, visits: list[Visit]) -> list[Visit]:
    """Local search after a time-limited solve (which may stop with coverage won but visits scattered): close a
    commissioner-building-day by moving all its visits into other open days of the same building, when each
    visit's new (commissioner, day) is allowed, has room, is no repeat contact where it was none, and the
    community's load range does not grow. Coverage and repeats never worsen; building-days only fall."""
    doms = {fid: set(pairs) for fid, pairs in domains(instance).items()}
    firms = {f.id: f for f in instance.firms}
    cap = base_capacity(instance)
    load: dict[int, int] = defaultdict(int)
    triples: dict[tuple, list[Visit]] = defaultdict(list)
    free = [v for v in visits if not v.locked]
    for v in visits:
        load[v.commissioner] += 1
        triples[(v.commissioner, v.building, v.day)].append(v)
    for v in free:
        cap[(v.commissioner, v.day)] -= 1
    eligible = {c.id for c in instance.commissioners if c.buildings and any(d not in c.leave for d in instance.days)}

    def spread() -> int:
        values = [load[c] for c in eligible]
        return max(values) - min(values) if values else 0

    locked_triples = {(v.commissioner, v.building, v.day) for v in visits if v.locked}
    for triple in sorted(triples, key=lambda t: (len(triples[t]), t[0], t[1], t[2])):
        group = triples.get(triple)
        if not group or triple in locked_triples:
            continue
        targets = [t for t in triples if t != triple and t[1] == triple[1] and triples[t]]
        moves = []
        taken: dict[tuple, int] = defaultdict(int)
        before = spread()
        for v in group:
            firm = firms[v.firm]
            was_repeat = is_repeat(v.day, firm.contacts, instance.repeat_window)
            for t in sorted(targets, key=lambda t: (-len(triples[t]), t[0], t[2])):
                slot = (t[0], t[2])
                if slot in doms.get(v.firm, ()) and cap[slot] - taken[slot] > 0 and (
                        was_repeat or not is_repeat(t[2], firm.contacts, instance.repeat_window)):
                    moves.append((v, t))
                    taken[slot] += 1
                    break
            else:
                break
        if len(moves) != len(group):
            continue
        for v, t in moves:
            load[v.commissioner] -= 1
            load[t[0]] += 1
        if spread() > before:
            for v, t in moves:
                load[v.commissioner] += 1
                load[t[0]] -= 1
            continue
        del triples[triple]
        for v, t in moves:
            cap[(v.commissioner, v.day)] += 1
            cap[(t[0], t[2])] -= 1
            triples[t].append(Visit(v.firm, t[0], t[2], v.building))
    out = [v for group in triples.values() for v in group]
    return sorted(out, key=lambda v: (not v.locked, v.day, v.commissioner, v.building, v.firm))


def _solve_part(part: Instance, *, seconds: float, workers: int, seed: int, hint: bool) -> Solution:
    started = time.perf_counter()
    base = greedy.solve(part)
    built = _build(part)
    if not built.x:
        return Solution(visits=base.visits, method="cpsat", status="OPTIMAL", objective=0, bound=0,
                        seconds=time.perf_counter() - started, first_solution_seconds=time.perf_counter() - started)
    built.model.minimize(_objective(part, built))
    if hint:
        chosen = {(v.firm, v.commissioner, v.day) for v in base.visits if not v.locked}
        for key, var in built.x.items():
            built.model.add_hint(var, key in chosen)
        triples = {(v.commissioner, v.building, v.day) for v in base.visits}
        for key, var in built.y.items():
            built.model.add_hint(var, key in triples)
        load: dict[int, int] = defaultdict(int)
        for v in base.visits:
            load[v.commissioner] += 1
        for high, low, ids in built.bounds:
            built.model.add_hint(high, max(load[c] for c in ids))
            built.model.add_hint(low, min(load[c] for c in ids))
    solver = _solver(seconds - (time.perf_counter() - started), workers, seed, large=len(built.x) > LARGE)
    callback = _FirstSolution(started)
    status = solver.solve(built.model, callback)
    elapsed = time.perf_counter() - started
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        base.status = STATUS.get(status, "UNKNOWN")
        base.method = "greedy"
        base.seconds = elapsed
        return base
    visits = _polish(part, _visits(part, built, solver))
    if _lexicographic_key(part, base.visits) < _lexicographic_key(part, visits):  # never worse than the hint
        visits = base.visits
    return Solution(visits=visits, method="cpsat", status=STATUS[status],
                    objective=solver.objective_value, bound=solver.best_objective_bound, seconds=elapsed,
                    first_solution_seconds=callback.first if callback.first is not None else elapsed)


def solve(instance: Instance, *, seconds: float = 10.0, workers: int = 2, seed: int = 0,
          hint: bool = True) -> Solution:
    """The plan of every business community of `instance`, each solved separately within its share of `seconds`
    (by its number of firms to plan); a community CP-SAT finds no plan for keeps the greedy plan."""
    started = time.perf_counter()
    parts = instance.split()
    sizes = [max(1, len(p.firms)) for p in parts]
    total = sum(sizes)
    visits: list[Visit] = []
    statuses, reports = [], []
    objective = bound = 0.0
    first = 0.0
    for part, size in zip(parts, sizes, strict=True):
        budget = seconds * size / total
        solution = _solve_part(part, seconds=budget, workers=workers, seed=seed, hint=hint)
        visits.extend(solution.visits)
        statuses.append(solution.status)
        first += solution.first_solution_seconds or 0.0
        if solution.objective is not None:
            objective += solution.objective
            bound += solution.bound or 0.0
        reports.append({"community": part.commissioners[0].community if part.commissioners else 0,
                        "status": solution.status, "method": solution.method,
                        "objective": solution.objective, "bound": solution.bound,
                        "seconds": round(solution.seconds, 3)})
    if all(s == "OPTIMAL" for s in statuses):
        status = "OPTIMAL"
    elif all(s in ("OPTIMAL", "FEASIBLE") for s in statuses):
        status = "FEASIBLE"
    else:
        status = "FALLBACK"
    gap = (objective - bound) / objective if objective else 0.0
    return Solution(visits=visits, method="cpsat", status=status, objective=objective, bound=bound,
                    seconds=time.perf_counter() - started, first_solution_seconds=first,
                    report={"parts": reports, "gap": gap})


def solve_lexicographic(instance: Instance, *, seconds: float = 10.0, workers: int = 1,
                        seed: int = 0) -> Solution:
    """The exact lexicographic optimum of the whole instance in one model (not decomposed, not hinted): each term
    minimised in turn with the previous terms fixed at their optimum. Status OPTIMAL only when every step proved
    its optimum."""
    started = time.perf_counter()
    built = _build(instance)
    solver = None
    proven = True
    for term in (built.uncovered, built.repeats, built.load_range, built.building_days):
        built.model.minimize(term)
        solver = _solver(seconds, workers, seed)
        status = solver.solve(built.model)
        if status != cp_model.OPTIMAL:
            proven = False
            if status != cp_model.FEASIBLE:
                return Solution(visits=list(instance.locked), method="lexicographic", status=STATUS[status])
        if not isinstance(term, int):
            built.model.add(term <= round(solver.objective_value))
    visits = _visits(instance, built, solver) if built.x else list(instance.locked)
    return Solution(visits=visits, method="lexicographic", status="OPTIMAL" if proven else "FEASIBLE",
                    seconds=time.perf_counter() - started)
