"""Why each planned visit is in the plan, as codes with parameters (the pages word them):

why this firm — its reasons (key firm monthly / quarterly due / newcomer / at risk, with the due day);
why this day — `grouped` (with N other firms of the building that day), `before_deadline`, `avoids_dnd` (the firm
has do-not-disturb days in the period), `avoids_contact` (another contact of the firm near the period was kept
clear of), `locked` (a manager fixed it).
"""

from __future__ import annotations

from collections import Counter

from .instance import Instance, Visit


def explain(instance: Instance, visits: list[Visit]) -> dict[tuple[int, int, object], list[dict]]:
    """{(firm, commissioner, day): [reason dicts]} for every visit."""
    firms = {f.id: f for f in instance.firms}
    per_triple = Counter((v.commissioner, v.building, v.day) for v in visits)
    first, last = (instance.days[0], instance.days[-1]) if instance.days else (None, None)
    out = {}
    for v in visits:
        reasons: list[dict] = []
        firm = firms.get(v.firm)
        if firm:
            reasons.extend(r.as_dict() for r in firm.reasons)
        if v.locked:
            reasons.append({"code": "locked"})
        others = per_triple[(v.commissioner, v.building, v.day)] - 1
        if others:
            reasons.append({"code": "grouped", "others": str(others)})
        if firm and v.day <= firm.deadline:
            reasons.append({"code": "before_deadline", "due": firm.deadline.isoformat()})
        if firm and first and any(first <= d <= last for d in firm.do_not_disturb):
            reasons.append({"code": "avoids_dnd"})
        if firm and firm.contacts:
            near = [d for d in firm.contacts if abs((d - v.day).days) < instance.repeat_window * 2]
            if near:
                reasons.append({"code": "avoids_contact", "contact": max(near).isoformat(),
                                "gap": str(min(abs((d - v.day).days) for d in near))})
        out[(v.firm, v.commissioner, v.day)] = reasons
    return out
