"""Reads of the fieldwork: a household's visits, the visits planned for a day, households not visited for a while,
the work groups' figures, and where the consent survey stands. What a user reaches is the resolver's: a field
group's member their buildings' households and visits, the office all of the project's; owners no visits."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from commonground.core import clock
from commonground.core.models import User
from commonground.core.permissions import can, visible_to

from .models import ConsentAnswer, Household, Project, Visit, WorkGroup, WorkGroupKind
from .rules import needed, stale_visit_days
from .selectors import households_for, projects_for


def may_do_fieldwork(actor: User, project: Project) -> bool:
    """Whether the actor visits any of the project's households (the office at the estate, a member at their
    group's buildings); owners and readers do not."""
    if can(actor, "renewal.visit", project):
        return True
    return households_for(actor, project, "renewal.visit").exists()


def household_timeline(household: Household) -> list[Visit]:
    """Every visit to the household, newest first, with visitors, recorder and case: three queries whatever the
    number of visits. The caller has checked the actor may see the household's visits ("renewal.visit")."""
    return list(Visit.objects.filter(household=household).select_related("recorded_by", "case")
                .prefetch_related("visitors").order_by("-visited_at", "-pk"))


def visits_for(actor: User, project: Project) -> QuerySet[Visit]:
    """The project's visits the actor reaches."""
    return visible_to(actor, "renewal.visit", Visit.objects.filter(household__project=project))


def planned_visits(actor: User, project: Project, day: datetime.date) -> QuerySet[Visit]:
    """Visits planned for `day`: households not signed whose latest visit set its next visit on that day, among the
    households the actor reaches, by flat."""
    later = Visit.objects.filter(household=OuterRef("household")).filter(
        Q(visited_at__gt=OuterRef("visited_at")) | Q(visited_at=OuterRef("visited_at"), pk__gt=OuterRef("pk")))
    return (visits_for(actor, project).filter(next_on=day, household__signed_at__isnull=True)
            .filter(~Exists(later))
            .select_related("household__flat", "household__building", "household__group")
            .order_by("household__place_path"))


def stale_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Households last visited before this moment are stale (`rules.stale_visit_days()`)."""
    return (now or clock.now()) - datetime.timedelta(days=stale_visit_days())


def stale_q(cutoff: datetime.datetime) -> Q:
    return Q(signed_at__isnull=True) & (Q(last_visit_at__isnull=True) | Q(last_visit_at__lt=cutoff))


def stale_households(actor: User, project: Project, now: datetime.datetime | None = None) -> QuerySet[Household]:
    """Households not signed and not visited for `stale_visit_days()` days (or never), among those the actor
    reaches: the longest forgotten first (never visited before any), then by flat."""
    return (households_for(actor, project, "renewal.visit").filter(stale_q(stale_cutoff(now)))
            .order_by(F("last_visit_at").asc(nulls_first=True), "place_path"))


@dataclass(frozen=True)
class GroupRow:
    group: WorkGroup
    households: int
    visited: int
    signed: int
    stale: int
    last_activity: datetime.datetime | None

    @property
    def signed_percent(self) -> int:
        return self.signed * 100 // self.households if self.households else 0


def group_figures(actor: User, project: Project, now: datetime.datetime | None = None) -> list[GroupRow]:
    """Per field work group, over the households the actor reaches: households, visited at least once, signed,
    stale, and the last visit or signature. Groups the actor reaches none of are left out. Two queries."""
    cutoff = stale_cutoff(now)
    rows = (households_for(actor, project, "renewal.visit").filter(group__isnull=False).order_by()
            .values("group_id").annotate(
                households=Count("pk"), visited=Count("pk", filter=Q(visits_count__gt=0)),
                signed=Count("pk", filter=Q(signed_at__isnull=False)), stale=Count("pk", filter=stale_q(cutoff)),
                last_visit=Max("last_visit_at"), last_signed=Max("signed_at")))
    figures = {row["group_id"]: row for row in rows}
    groups = (WorkGroup.objects.filter(pk__in=figures, kind=WorkGroupKind.FIELD).select_related("leader")
              .prefetch_related("buildings").order_by("name"))
    result = []
    for group in groups:
        row = figures[group.pk]
        moments = [m for m in (row["last_visit"], row["last_signed"]) if m is not None]
        result.append(GroupRow(group, row["households"], row["visited"], row["signed"], row["stale"],
                               max(moments) if moments else None))
    return result


@dataclass(frozen=True)
class ConsentStanding:
    households: int
    answered: int
    agree: int
    needed: int
    threshold: Decimal

    @property
    def disagree(self) -> int:
        return self.answered - self.agree

    @property
    def rate(self) -> Decimal:
        """Households agreeing over all households (not over those who answered)."""
        return Decimal(self.agree) / Decimal(self.households) if self.households else Decimal(0)

    @property
    def passed(self) -> bool:
        return self.households > 0 and self.agree >= self.needed

    @property
    def missing(self) -> int:
        return max(self.needed - self.agree, 0)

    @property
    def rate_width(self) -> str:
        """The rate in percent for a bar's `data-width` (a dot decimal, whatever the language)."""
        return f"{self.rate * 100:.2f}"

    @property
    def threshold_left(self) -> str:
        return f"{self.threshold * 100:.2f}"


def consent_standing(project: Project) -> ConsentStanding:
    """Where the consent survey stands over all the project's households: answered, agree, the households the
    threshold asks for (`rules.needed`), and the live rate. One query."""
    totals = Household.objects.filter(project=project).aggregate(
        households=Count("pk"), answered=Count("pk", filter=~Q(consent="")),
        agree=Count("pk", filter=Q(consent=ConsentAnswer.AGREE)))
    return ConsentStanding(totals["households"], totals["answered"], totals["agree"],
                           needed(totals["households"], project.consent_threshold), project.consent_threshold)


@dataclass(frozen=True)
class BuildingConsent:
    name: str
    households: int
    answered: int
    agree: int

    @property
    def disagree(self) -> int:
        return self.answered - self.agree


def consent_by_building(project: Project, actor: User | None = None) -> list[BuildingConsent]:
    """The survey's answers per building, in building order: all buildings, or those whose households `actor`
    reaches."""
    rows = Household.objects.filter(project=project) if actor is None else households_for(actor, project)
    rows = (rows.order_by().values("building_id", "building__name", "building__path")
            .annotate(households=Count("pk"), answered=Count("pk", filter=~Q(consent="")),
                      agree=Count("pk", filter=Q(consent=ConsentAnswer.AGREE)))
            .order_by("building__path"))
    return [BuildingConsent(row["building__name"], row["households"], row["answered"], row["agree"])
            for row in rows]


@dataclass(frozen=True)
class FieldworkCounts:
    project: Project
    planned_today: int
    stale: int


def fieldwork_counts(actor: User, limit: int = 3) -> list[FieldworkCounts]:
    """For the home: per project under way that the actor does fieldwork in (at most `limit`), the visits planned
    for today and the households not visited for the stale-visit days."""
    if not can(actor, "renewal.visit"):
        return []
    today = clock.today()
    projects = projects_for(actor).filter(Q(done_on__isnull=True) | Q(done_on__gte=today))
    result = []
    for project in projects[:limit]:
        stale = stale_households(actor, project).count()
        planned = planned_visits(actor, project, today).count()
        if stale or planned or may_do_fieldwork(actor, project):
            result.append(FieldworkCounts(project, planned, stale))
    return result


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()
