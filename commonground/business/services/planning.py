"""Writes of the visit planner (聚宝盆): make a business community's plan for a period (CP-SAT within
`rules.planner_seconds()`, the greedy plan as fallback), publish it, move / lock / unlock a planned visit, re-plan.

The instance is read with one query per table (commissioners, assignments, leave days, enterprises, visits,
do-not-disturb days, kept planned visits), never per firm.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import Place, PlaceKind, User
from commonground.core.models.places import scope_columns
from commonground.core.permissions import require

from .. import rules
from ..models import (
    Commissioner,
    CommissionerAssignment,
    DoNotDisturb,
    Enterprise,
    EnterpriseStatus,
    EnterpriseTier,
    LeaveDay,
    PlannedVisit,
    Visit,
    VisitPlan,
    VisitPlanStatus,
    VisitStatus,
)
from ..planner import cpsat, explain, greedy
from ..planner import instance as inst
from ..planning_texts import reason_text
from ..risk_selectors import enterprises_at_risk

MAX_PERIOD_DAYS = 62


def _period_check(business_community: Place, starts_on: datetime.date, ends_on: datetime.date) -> tuple:
    if business_community.kind != PlaceKind.BUSINESS_COMMUNITY:
        raise ValidationError({"business_community": _("Visit plans are made for a business community.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The plan cannot end before it starts.")})
    if (ends_on - starts_on).days >= MAX_PERIOD_DAYS:
        raise ValidationError({"ends_on": _("A plan covers at most two months.")})
    days = inst.working_days(starts_on, ends_on)
    if not days:
        raise ValidationError({"ends_on": _("The period has no working day.")})
    return days


def plan_instance(business_community: Place, starts_on: datetime.date, ends_on: datetime.date, *,
                  kept: list[PlannedVisit] = ()) -> tuple[inst.Instance, dict]:
    """The planner's instance of a business community for the period, and the facts the plan's rows need
    ({"buildings": {building id: path}}). `kept` are planned visits to keep exactly (locked, or recorded)."""
    days = inst.working_days(starts_on, ends_on)
    gap = rules.min_days_between_visits()
    window = max(rules.repeat_contact_days(), gap)
    community_id = business_community.pk
    commissioners = list(Commissioner.objects.filter(business_community=business_community, is_active=True)
                         .values("pk", "daily_capacity"))
    ids = [c["pk"] for c in commissioners]
    buildings: dict[int, set[int]] = defaultdict(set)
    for row in CommissionerAssignment.objects.filter(commissioner_id__in=ids, valid_from__lte=ends_on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=starts_on)).values("commissioner_id", "building_id"):
        buildings[row["commissioner_id"]].add(row["building_id"])
    leave: dict[int, set] = defaultdict(set)
    for row in LeaveDay.objects.filter(commissioner_id__in=ids, day__gte=starts_on, day__lte=ends_on).values(
            "commissioner_id", "day"):
        leave[row["commissioner_id"]].add(row["day"])
    firms = list(Enterprise.objects.filter(community_path=business_community.path, status=EnterpriseStatus.ACTIVE,
                                           building__isnull=False)
                 .values("pk", "building_id", "building__path", "tier", "moved_in_on"))
    kept_visit_ids = [pv.visit_id for pv in kept if pv.visit_id]
    history_from = starts_on - datetime.timedelta(days=inst.ORDINARY_PERIOD_DAYS)
    last: dict[int, datetime.date] = {}
    near: dict[int, list] = defaultdict(list)
    contacts = Visit.objects.filter(enterprise__community_path=business_community.path,
                                    visited_on__gte=history_from,
                                    visited_on__lte=ends_on + datetime.timedelta(days=window)).exclude(
        status=VisitStatus.CANCELLED).exclude(pk__in=kept_visit_ids).values_list("enterprise_id", "visited_on")
    for firm_id, day in contacts:
        if day < starts_on and (firm_id not in last or day > last[firm_id]):
            last[firm_id] = day
        if starts_on - datetime.timedelta(days=window) <= day:
            near[firm_id].append(day)
    quiet: dict[int, set] = defaultdict(set)
    for firm_id, start, end in DoNotDisturb.objects.filter(
            enterprise__community_path=business_community.path, starts_on__lte=ends_on,
            ends_on__gte=starts_on).values_list("enterprise_id", "starts_on", "ends_on"):
        quiet[firm_id].update(d for d in days if start <= d <= end)
    at_risk = enterprises_at_risk([f["pk"] for f in firms])
    newcomer_days = rules.newcomer_days()
    required = []
    paths = {}
    for row in firms:
        paths[row["building_id"]] = row["building__path"]
        firm = inst.requirement(
            firm_id=row["pk"], building=row["building_id"], key=row["tier"] == EnterpriseTier.KEY,
            last_contact=last.get(row["pk"]), moved_in=row["moved_in_on"], at_risk=row["pk"] in at_risk,
            start=starts_on, end=ends_on, newcomer_days=newcomer_days, community=community_id,
            do_not_disturb=quiet.get(row["pk"], ()), contacts=near.get(row["pk"], ()))
        if firm:
            required.append(firm)
    locked = tuple(inst.Visit(pv.enterprise_id, pv.commissioner_id, pv.day, pv.enterprise.building_id or 0,
                              locked=True) for pv in kept)
    instance = inst.Instance(
        days=days, commissioners=tuple(inst.Commissioner(
            c["pk"], frozenset(buildings[c["pk"]]), c["daily_capacity"], frozenset(leave[c["pk"]]), community_id)
            for c in commissioners), firms=tuple(required), locked=locked, min_gap=gap, repeat_window=window)
    return instance, {"buildings": paths}


def solve(instance: inst.Instance, *, seconds: float | None = None, workers: int | None = None) -> inst.Solution:
    """CP-SAT within the time limit; the greedy plan when OR-Tools finds nothing (or is given no time)."""
    seconds = rules.planner_seconds() if seconds is None else seconds
    if seconds <= 0:
        return greedy.solve(instance)
    return cpsat.solve(instance, seconds=seconds, workers=workers or rules.planner_workers(), seed=0)


def _report(instance: inst.Instance, solution: inst.Solution) -> dict:
    terms = inst.evaluate(instance, solution.visits)
    report = {"method": solution.method, "status": solution.status, "seconds": round(solution.seconds, 3),
              "first_solution_seconds": round(solution.first_solution_seconds or 0.0, 3),
              "working_days": len(instance.days), "commissioners": len(instance.commissioners), **terms}
    if solution.objective is not None:
        report.update(objective=solution.objective, bound=solution.bound,
                      gap=round(solution.report.get("gap", 0.0), 6))
    return report


def _write(plan: VisitPlan, instance: inst.Instance, solution: inst.Solution, facts: dict,
           kept: list[PlannedVisit]) -> None:
    reasons = explain.explain(instance, solution.visits)
    kept_by_key = {(pv.enterprise_id, pv.commissioner_id, pv.day): pv for pv in kept}
    paths = dict(facts["buildings"])
    paths.update({pv.enterprise.building_id: pv.place_path for pv in kept})
    order: dict[tuple, int] = defaultdict(int)
    rows = []
    for v in sorted(solution.visits, key=lambda v: (v.day, v.commissioner, v.building, v.firm)):
        key = (v.firm, v.commissioner, v.day)
        old = kept_by_key.get(key)
        why = [dict(r) for r in reasons[key]]
        if old:
            why = [r for r in old.reasons if r.get("code") not in ("grouped",)] or why
            if old.visit_id and not any(r.get("code") == "recorded" for r in why):
                why.append({"code": "recorded"})
        for reason in why:
            reason["text"] = reason_text(reason)
        rows.append(PlannedVisit(plan=plan, commissioner_id=v.commissioner, enterprise_id=v.firm, day=v.day,
                                 order=order[(v.commissioner, v.day)], locked=v.locked, reasons=why,
                                 place_path=old.place_path if old else paths.get(v.building, "")))
        order[(v.commissioner, v.day)] += 1
    PlannedVisit.objects.bulk_create(rows)


def _make(actor: User, business_community: Place, starts_on, ends_on, kept: list[PlannedVisit],
          seconds: float | None = None) -> VisitPlan:
    instance, facts = plan_instance(business_community, starts_on, ends_on, kept=kept)
    solution = solve(instance, seconds=seconds)
    plan = VisitPlan.objects.create(business_community=business_community, starts_on=starts_on, ends_on=ends_on,
                                    status=VisitPlanStatus.DRAFT, solver_report=_report(instance, solution),
                                    created_by=actor, **scope_columns(VisitPlan, business_community.path))
    _write(plan, instance, solution, facts, kept)
    return plan


@transaction.atomic
def plan_create(*, actor: User, business_community: Place, starts_on: datetime.date,
                ends_on: datetime.date, seconds: float | None = None) -> VisitPlan:
    """A draft plan of the business community's required visits from `starts_on` to `ends_on` (CP-SAT within
    `seconds`, by default `rules.planner_seconds()`; 0 for the greedy plan alone)."""
    require(actor, "visitplan.manage", business_community)
    _period_check(business_community, starts_on, ends_on)
    return _make(actor, business_community, starts_on, ends_on, kept=[], seconds=seconds)


def _locked_plan(plan: VisitPlan) -> VisitPlan:
    return VisitPlan.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def plan_replan(*, actor: User, plan: VisitPlan) -> VisitPlan:
    """A new draft plan of the same period keeping the plan's locked visits and those already recorded exactly
    where they are; a draft being re-planned is replaced by the new one."""
    require(actor, "visitplan.manage", plan)
    plan = _locked_plan(plan)
    if plan.status == VisitPlanStatus.SUPERSEDED:
        raise ValidationError({"plan": _("This plan has been replaced; re-plan the plan in force.")})
    kept = list(plan.planned_visits.filter(Q(locked=True) | Q(visit__isnull=False)).select_related("enterprise"))
    new = _make(actor, plan.business_community, plan.starts_on, plan.ends_on, kept=kept)
    if plan.status == VisitPlanStatus.DRAFT:
        plan.status = VisitPlanStatus.SUPERSEDED
        plan.save(update_fields=["status", "updated_at"])
    return new


@transaction.atomic
def plan_publish(*, actor: User, plan: VisitPlan) -> VisitPlan:
    """Put the draft plan in force: published plans of the business community whose dates overlap are replaced,
    and visits recorded from their planned visits move to the same visits of this plan."""
    require(actor, "visitplan.manage", plan)
    plan = _locked_plan(plan)
    if plan.status != VisitPlanStatus.DRAFT:
        raise ValidationError({"plan": _("Only a draft plan can be published.")})
    older = list(VisitPlan.objects.select_for_update().filter(
        business_community_id=plan.business_community_id, status=VisitPlanStatus.PUBLISHED,
        starts_on__lte=plan.ends_on, ends_on__gte=plan.starts_on).exclude(pk=plan.pk))
    if older:
        recorded = {(pv.enterprise_id, pv.commissioner_id, pv.day): pv for pv in PlannedVisit.objects.filter(
            plan__in=older, visit__isnull=False)}
        mine = {(pv.enterprise_id, pv.commissioner_id, pv.day): pv for pv in plan.planned_visits.filter(
            visit__isnull=True)}
        moves = [(recorded[key], mine[key]) for key in recorded if key in mine]
        for old, _new in moves:
            old.visit_id, _new.visit_id = None, old.visit_id
        PlannedVisit.objects.bulk_update([old for old, _new in moves], ["visit"])
        PlannedVisit.objects.bulk_update([new for _old, new in moves], ["visit"])
        for other in older:
            other.status = VisitPlanStatus.SUPERSEDED
            other.save(update_fields=["status", "updated_at"])
    plan.status = VisitPlanStatus.PUBLISHED
    plan.save(update_fields=["status", "updated_at"])
    return plan


def _changeable(planned: PlannedVisit) -> PlannedVisit:
    planned = PlannedVisit.objects.select_for_update().select_related("plan", "enterprise").get(pk=planned.pk)
    if planned.plan.status == VisitPlanStatus.SUPERSEDED:
        raise ValidationError({"plan": _("This plan has been replaced; change the plan in force.")})
    return planned


@transaction.atomic
def planned_visit_move(*, actor: User, planned_visit: PlannedVisit, day: datetime.date,
                       commissioner: Commissioner) -> PlannedVisit:
    """Move a planned visit to another working day and/or commissioner; the hard rules are checked (capacity,
    leave, the commissioner's buildings, do-not-disturb days, no contact within N days). A moved visit is locked,
    so a re-plan keeps it."""
    require(actor, "visitplan.manage", planned_visit.plan)
    planned = _changeable(planned_visit)
    plan = planned.plan
    if planned.visit_id:
        raise ValidationError({"day": _("This visit has been recorded; it cannot move.")})
    if not plan.starts_on <= day <= plan.ends_on or day not in inst.working_days(day, day):
        raise ValidationError({"day": _("Choose a working day within the plan's period.")})
    if commissioner.business_community_id != plan.business_community_id or not commissioner.is_active:
        raise ValidationError({"commissioner": _("The commissioner does not serve this business community.")})
    building = planned.enterprise.building_id
    assigned = CommissionerAssignment.objects.filter(commissioner=commissioner, building_id=building,
                                                     valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)).exists()
    if not assigned:
        raise ValidationError({"commissioner": _("The commissioner is not assigned this firm's building.")})
    if LeaveDay.objects.filter(commissioner=commissioner, day=day).exists():
        raise ValidationError({"day": _("The commissioner is on leave that day.")})
    busy = plan.planned_visits.filter(commissioner=commissioner, day=day).exclude(pk=planned.pk).count()
    if busy >= commissioner.daily_capacity:
        raise ValidationError({"day": _("The commissioner's day is full.")})
    if DoNotDisturb.objects.filter(enterprise_id=planned.enterprise_id, starts_on__lte=day,
                                   ends_on__gte=day).exists():
        raise ValidationError({"day": _("The firm asked not to be disturbed that day.")})
    gap = datetime.timedelta(days=rules.min_days_between_visits() - 1)
    near_visit = Visit.objects.filter(enterprise_id=planned.enterprise_id, visited_on__gte=day - gap,
                                      visited_on__lte=day + gap).exclude(status=VisitStatus.CANCELLED).exists()
    near_plan = plan.planned_visits.filter(enterprise_id=planned.enterprise_id, day__gte=day - gap,
                                           day__lte=day + gap).exclude(pk=planned.pk).exists()
    if near_visit or near_plan:
        raise ValidationError({"day": _("The firm has another contact within %(days)s days.") % {
            "days": rules.min_days_between_visits()}})
    planned.day = day
    planned.commissioner = commissioner
    planned.locked = True
    planned.order = busy
    reasons = [r for r in planned.reasons if r.get("code") not in ("grouped", "moved")]
    moved = {"code": "moved", "on": clock.today().isoformat()}
    moved["text"] = reason_text(moved)
    planned.reasons = [*reasons, moved]
    planned.save()
    return planned


@transaction.atomic
def planned_visit_lock(*, actor: User, planned_visit: PlannedVisit) -> PlannedVisit:
    """Lock a planned visit: a re-plan keeps it exactly."""
    require(actor, "visitplan.manage", planned_visit.plan)
    planned = _changeable(planned_visit)
    if not planned.locked:
        planned.locked = True
        planned.save(update_fields=["locked", "updated_at"])
    return planned


@transaction.atomic
def planned_visit_unlock(*, actor: User, planned_visit: PlannedVisit) -> PlannedVisit:
    """Unlock a planned visit: a re-plan may move it."""
    require(actor, "visitplan.manage", planned_visit.plan)
    planned = _changeable(planned_visit)
    if planned.locked:
        planned.locked = False
        planned.save(update_fields=["locked", "updated_at"])
    return planned
