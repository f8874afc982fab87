"""Reads of the visit plans: who sees which plan, the business communities a user plans for, and a plan as a
calendar (commissioner × working day, the firms grouped by building)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from commonground.core.models import Place, PlaceKind, User
from commonground.core.models.places import within_q
from commonground.core.permissions import access_object, scope_paths, visible_to

from .models import Commissioner, PlannedVisit, VisitPlan
from .planner.instance import working_days


def plans_visible(actor: User, action: str = "visitplan.view") -> QuerySet[VisitPlan]:
    return visible_to(actor, action, VisitPlan.objects.all())


def access_plan(actor: User, pk: int, action: str = "visitplan.view") -> VisitPlan:
    """The plan for `action`: 404 when the actor may not see it, 403 when they see it but may not do `action`."""
    visible = plans_visible(actor).select_related("business_community")
    return access_object(actor, visible, action, view_action="visitplan.view", missing=_("No such visit plan."),
                         pk=pk)


def access_planned_visit(actor: User, pk: int, action: str = "visitplan.manage") -> PlannedVisit:
    visible = PlannedVisit.objects.filter(plan__in=plans_visible(actor)).select_related(
        "plan", "enterprise", "commissioner")
    try:
        planned = visible.get(pk=pk)
    except PlannedVisit.DoesNotExist:
        from django.http import Http404

        raise Http404(_("No such planned visit.")) from None
    access_object(actor, plans_visible(actor), action, view_action="visitplan.view", pk=planned.plan_id)
    return planned


def plan_communities(actor: User, action: str = "visitplan.view") -> list[Place]:
    """The business communities where the actor may see (or make) plans."""
    paths = scope_paths(actor, action)
    communities = Place.objects.filter(kind=PlaceKind.BUSINESS_COMMUNITY)
    if paths is not None:
        if not paths:
            return []
        communities = communities.filter(within_q("path", paths))
    return list(communities.order_by("path")[:200])


def plans_of(actor: User, community: Place) -> QuerySet[VisitPlan]:
    return plans_visible(actor).filter(business_community=community).annotate(
        visit_count=Count("planned_visits")).order_by("-starts_on", "-pk")


@dataclass
class Cell:
    day: object
    groups: list[tuple[str, list[PlannedVisit]]] = field(default_factory=list)
    count: int = 0


@dataclass
class Row:
    commissioner: Commissioner
    cells: list[Cell]
    total: int = 0


@dataclass
class Grid:
    days: list
    rows: list[Row]
    unassigned: int


def plan_grid(plan: VisitPlan) -> Grid:
    """The plan as a calendar: a row per commissioner of the business community, a cell per working day, the
    day's visits grouped by building. Three queries, whatever the plan's size."""
    days = list(working_days(plan.starts_on, plan.ends_on))
    commissioners = list(Commissioner.objects.filter(business_community_id=plan.business_community_id).filter(
        Q(is_active=True) | Q(planned_visits__plan=plan)).distinct().order_by("display_name", "pk"))
    visits = list(plan.planned_visits.select_related("enterprise", "enterprise__building", "visit").order_by(
        "day", "commissioner_id", "order", "pk"))
    cells: dict[tuple[int, object], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for v in visits:
        building = v.enterprise.building.name if v.enterprise.building else ""
        cells[(v.commissioner_id, v.day)][building].append(v)
    rows = []
    for c in commissioners:
        row_cells = []
        total = 0
        for day in days:
            groups = cells.get((c.pk, day), {})
            count = sum(len(g) for g in groups.values())
            total += count
            row_cells.append(Cell(day, sorted(groups.items()), count))
        rows.append(Row(c, row_cells, total))
    return Grid(days, rows, 0)
