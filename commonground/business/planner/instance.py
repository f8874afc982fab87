"""The planner's input and output as plain data (no Django): who can visit which firm on which working day.

An `Instance` is one period of one or more business communities: its working days, its commissioners (their
buildings, daily capacity, leave days), the firms that need a visit in the period (`Firm`: its building, why it
needs a visit, the days it may be visited, its do-not-disturb days and the days others contact it) and the visits a
manager locked (or already recorded), which stay exactly where they are.

Hard rules (`violations` checks them): at most `capacity` visits per commissioner and day; none on a leave day or a
firm's do-not-disturb day; a commissioner visits only the firms of their buildings; no firm is contacted twice
within `min_gap` days by anyone; locked visits are kept. Each firm gets at most one visit in a period.

Objective, lexicographic (`evaluate`): required visits covered (max), repeat contacts (min: a visit within
`repeat_window` days of another contact of the firm), load range (min: per community, the most minus the least
visits of its commissioners), commissioner-building-days (min: visits to one building grouped on one day).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

Day = datetime.date

# Reason codes of a required visit; a higher priority is served first by the greedy plan.
KEY_MONTHLY = "key_monthly"
QUARTERLY = "quarterly"
NEWCOMER = "newcomer"
AT_RISK = "at_risk"
PRIORITY = {AT_RISK: 3, NEWCOMER: 2, KEY_MONTHLY: 1, QUARTERLY: 0}
KEY_PERIOD_DAYS = 30
ORDINARY_PERIOD_DAYS = 91
AT_RISK_DAYS = 7


def working_days(start: Day, end: Day) -> tuple[Day, ...]:
    """The working days from `start` to `end` by the Chinese calendar (holidays off, make-up Saturdays on);
    weekdays where the calendar does not know the year."""
    try:
        import chinese_calendar
    except ImportError:  # pragma: no cover - the dependency is installed
        chinese_calendar = None
    days = []
    day = start
    while day <= end:
        try:
            works = chinese_calendar.is_workday(day) if chinese_calendar else day.weekday() < 5
        except NotImplementedError:
            works = day.weekday() < 5
        if works:
            days.append(day)
        day += datetime.timedelta(days=1)
    return tuple(days)


@dataclass(frozen=True)
class Commissioner:
    id: int
    buildings: frozenset[int]
    capacity: int
    leave: frozenset[Day] = frozenset()
    community: int = 0


@dataclass(frozen=True)
class Reason:
    code: str
    params: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict:
        return {"code": self.code, **dict(self.params)}


@dataclass(frozen=True)
class Firm:
    """A firm that needs a visit in the period."""

    id: int
    building: int
    reasons: tuple[Reason, ...]
    earliest: Day
    latest: Day
    deadline: Day
    do_not_disturb: frozenset[Day] = frozenset()
    contacts: tuple[Day, ...] = ()  # other contacts (done, or planned by any department) near the period
    community: int = 0

    @property
    def priority(self) -> int:
        return max((PRIORITY.get(r.code, 0) for r in self.reasons), default=0)


@dataclass(frozen=True)
class Visit:
    firm: int
    commissioner: int
    day: Day
    building: int
    locked: bool = False


@dataclass(frozen=True)
class Instance:
    days: tuple[Day, ...]
    commissioners: tuple[Commissioner, ...]
    firms: tuple[Firm, ...]
    locked: tuple[Visit, ...] = ()
    min_gap: int = 14
    repeat_window: int = 28

    def communities(self) -> list[int]:
        return sorted({c.community for c in self.commissioners} | {f.community for f in self.firms})

    def split(self) -> list[Instance]:
        """One independent instance per business community (no commissioner serves two)."""
        parts = []
        for community in self.communities():
            ids = {c.id for c in self.commissioners if c.community == community}
            parts.append(replace(self, commissioners=tuple(c for c in self.commissioners if c.community == community),
                                 firms=tuple(f for f in self.firms if f.community == community),
                                 locked=tuple(v for v in self.locked if v.commissioner in ids)))
        return parts


@dataclass
class Solution:
    visits: list[Visit]
    method: str = ""
    status: str = ""
    objective: float | None = None
    bound: float | None = None
    seconds: float = 0.0
    first_solution_seconds: float | None = None
    report: dict = field(default_factory=dict)


def requirement(*, firm_id: int, building: int, key: bool, last_contact: Day | None, moved_in: Day | None,
                at_risk: bool, start: Day, end: Day, newcomer_days: int, community: int = 0,
                do_not_disturb: Iterable[Day] = (), contacts: Iterable[Day] = ()) -> Firm | None:
    """The firm's required visit in the period [start, end], or None: key firms monthly and the others quarterly
    when their last contact + period falls due by `end`; newcomers within `newcomer_days` of moving in (unless
    contacted since); firms at risk as soon as possible."""
    reasons: list[Reason] = []
    deadlines: list[Day] = []
    earliest = start
    period = KEY_PERIOD_DAYS if key else ORDINARY_PERIOD_DAYS
    due = last_contact + datetime.timedelta(days=period) if last_contact else start
    if due <= end:
        params = (("due", max(due, start).isoformat()),)
        if last_contact:
            params += (("last", last_contact.isoformat()),)
        reasons.append(Reason(KEY_MONTHLY if key else QUARTERLY, params))
        deadlines.append(max(due, start))
    if moved_in and moved_in <= end and moved_in + datetime.timedelta(days=newcomer_days) >= start and (
            last_contact is None or last_contact < moved_in):
        until = moved_in + datetime.timedelta(days=newcomer_days)
        reasons.append(Reason(NEWCOMER, (("moved_in", moved_in.isoformat()), ("due", until.isoformat()))))
        deadlines.append(max(until, start))
        earliest = max(earliest, moved_in)
    if at_risk:
        reasons.append(Reason(AT_RISK, (("due", (start + datetime.timedelta(days=AT_RISK_DAYS)).isoformat()),)))
        deadlines.append(start + datetime.timedelta(days=AT_RISK_DAYS))
    if not reasons:
        return None
    reasons.sort(key=lambda r: -PRIORITY[r.code])
    return Firm(id=firm_id, building=building, reasons=tuple(reasons), earliest=earliest, latest=end,
                deadline=min(min(deadlines), end), do_not_disturb=frozenset(do_not_disturb),
                contacts=tuple(sorted(set(contacts))), community=community)


# ---- what the rules allow ----------------------------------------------------------------------------------

def _clear(day: Day, contacts: Iterable[Day], gap: int) -> bool:
    return all(abs((day - other).days) >= gap for other in contacts)


def is_repeat(day: Day, contacts: Iterable[Day], window: int) -> bool:
    return any(abs((day - other).days) < window for other in contacts)


def locked_contacts(instance: Instance) -> dict[int, list[Day]]:
    out: dict[int, list[Day]] = defaultdict(list)
    for visit in instance.locked:
        out[visit.firm].append(visit.day)
    return out


def domains(instance: Instance) -> dict[int, list[tuple[int, Day]]]:
    """Per firm still to plan, the (commissioner, day) pairs the hard rules allow (capacity aside)."""
    by_building: dict[int, list[Commissioner]] = defaultdict(list)
    for commissioner in instance.commissioners:
        for building in commissioner.buildings:
            by_building[building].append(commissioner)
    locked = locked_contacts(instance)
    out: dict[int, list[tuple[int, Day]]] = {}
    for firm in instance.firms:
        if firm.id in locked:
            continue
        contacts = firm.contacts
        days = [d for d in instance.days if firm.earliest <= d <= firm.latest and d not in firm.do_not_disturb
                and _clear(d, contacts, instance.min_gap)]
        out[firm.id] = [(c.id, d) for c in sorted(by_building[firm.building], key=lambda c: c.id)
                        for d in days if d not in c.leave]
    return out


def base_capacity(instance: Instance) -> dict[tuple[int, Day], int]:
    """Free visits per commissioner and working day, after leave and locked visits."""
    cap = {(c.id, d): (0 if d in c.leave else c.capacity) for c in instance.commissioners for d in instance.days}
    for visit in instance.locked:
        if (visit.commissioner, visit.day) in cap:
            cap[(visit.commissioner, visit.day)] -= 1
    return cap


def violations(instance: Instance, visits: list[Visit]) -> list[str]:
    """Every hard rule the visits break (empty when all hold)."""
    problems = []
    commissioners = {c.id: c for c in instance.commissioners}
    firms = {f.id: f for f in instance.firms}
    count: dict[tuple[int, Day], int] = defaultdict(int)
    per_firm: dict[int, list[Visit]] = defaultdict(list)
    for visit in visits:
        c = commissioners.get(visit.commissioner)
        if c is None:
            problems.append(f"unknown commissioner {visit.commissioner}")
            continue
        count[(c.id, visit.day)] += 1
        per_firm[visit.firm].append(visit)
        if visit.day not in instance.days:
            problems.append(f"{visit} not on a working day")
        if visit.day in c.leave:
            problems.append(f"{visit} on leave")
        if visit.building not in c.buildings:
            problems.append(f"{visit} outside the commissioner's buildings")
        firm = firms.get(visit.firm)
        if firm and not visit.locked:
            if visit.day in firm.do_not_disturb:
                problems.append(f"{visit} on a do-not-disturb day")
            if not firm.earliest <= visit.day <= firm.latest:
                problems.append(f"{visit} outside the firm's window")
            if firm.building != visit.building:
                problems.append(f"{visit} at the wrong building")
    for (cid, day), n in count.items():
        if n > commissioners[cid].capacity:
            problems.append(f"commissioner {cid} has {n} visits on {day}")
    for firm_id, firm_visits in per_firm.items():
        others = list(firms[firm_id].contacts) if firm_id in firms else []
        for visit in firm_visits:  # a locked visit stays where the manager put it; the planner's must keep clear
            if visit.locked:
                continue
            days = [v.day for v in firm_visits if v is not visit]
            if not _clear(visit.day, others + days, instance.min_gap):
                problems.append(f"firm {firm_id} contacted twice within {instance.min_gap} days ({visit.day})")
    kept = set(visits)
    for visit in instance.locked:
        if visit not in kept:
            problems.append(f"locked {visit} moved")
    return problems


def evaluate(instance: Instance, visits: list[Visit]) -> dict:
    """The objective's terms (and the floor: required visits no day can serve)."""
    firms = {f.id: f for f in instance.firms}
    doms = domains(instance)
    locked_firms = {v.firm for v in instance.locked}
    planned = {v.firm for v in visits}
    required = [f for f in instance.firms]
    covered = sum(1 for f in required if f.id in planned)
    floor = sum(1 for f in required if f.id not in locked_firms and not doms.get(f.id))
    repeats = sum(1 for v in visits if not v.locked and v.firm in firms
                  and is_repeat(v.day, firms[v.firm].contacts, instance.repeat_window))
    load_range = 0
    for part in instance.split():
        ids = [c.id for c in part.commissioners if c.buildings and any(d not in c.leave for d in instance.days)]
        if not ids:
            continue
        load = {cid: 0 for cid in ids}
        for v in visits:
            if v.commissioner in load:
                load[v.commissioner] += 1
        load_range += max(load.values()) - min(load.values())
    building_days = len({(v.commissioner, v.building, v.day) for v in visits})
    return {"required": len(required), "covered": covered, "uncovered": len(required) - covered, "floor": floor,
            "repeats": repeats, "load_range": load_range, "building_days": building_days, "visits": len(visits)}


def weights(instance: Instance) -> tuple[int, int, int, int]:
    """Weights for (coverage, repeats, load range, building-days) that make the weighted sum lexicographic:
    a mixed radix in which each term's unit outweighs every lower term's largest possible value."""
    firms = len(instance.firms)
    locked = len(instance.locked)
    parts = max(1, len(instance.split()))
    b_days = firms + 1  # new commissioner-building-days: at most one per planned visit
    b_range = parts * (firms + locked) + 1  # the sum of the communities' load ranges
    b_repeats = firms + 1
    w4 = 1
    w3 = w4 * b_days
    w2 = w3 * b_range
    w1 = w2 * b_repeats
    return w1, w2, w3, w4


def weighted_remainder(instance: Instance, terms: dict) -> int:
    _, w2, w3, w4 = weights(instance)
    return w2 * terms["repeats"] + w3 * terms["load_range"] + w4 * terms["building_days"]


def building_days_floor(instance: Instance, visits: list[Visit]) -> int:
    """A lower bound of the commissioner-building-days of any plan making the same visits: per building, its
    visits over the largest daily capacity of its commissioners, rounded up."""
    count: dict[int, int] = defaultdict(int)
    for v in visits:
        count[v.building] += 1
    capacity: dict[int, int] = defaultdict(int)
    for c in instance.commissioners:
        for b in c.buildings:
            capacity[b] = max(capacity[b], c.capacity)
    return sum(-(-n // max(1, capacity[b])) for b, n in count.items())
