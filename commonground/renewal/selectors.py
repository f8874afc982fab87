"""Reads of the renewal app: which projects and households a user sees (one access function each), and the
lists its pages show."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from commonground.core.models import User
from commonground.core.permissions import access_object, visible_to

from .models import Household, Project
from .rules import needed


def projects_for(actor: User, action: str = "renewal.view") -> QuerySet[Project]:
    return visible_to(actor, action, Project.objects.select_related("estate"))


def access_project(actor: User, pk: int, action: str = "renewal.view") -> Project:
    """The project for `action`: Http404 unless the actor sees it; PermissionDenied when seen but not theirs to
    do `action` on."""
    return access_object(actor, projects_for(actor), action, view_action="renewal.view",
                         missing=_("No such renewal project."), pk=pk)


def households_for(actor: User, project: Project, action: str = "renewal.view") -> QuerySet[Household]:
    """The project's households the actor reaches: the office all, a field group's member their buildings', an
    owner their own."""
    return visible_to(actor, action, Household.objects.filter(project=project)).select_related(
        "flat", "building", "group")


def access_household(actor: User, pk: int, action: str = "renewal.view") -> Household:
    households = visible_to(actor, "renewal.view", Household.objects.select_related(
        "project__estate", "flat", "building", "group"))
    return access_object(actor, households, action, view_action="renewal.view",
                         missing=_("No such household."), pk=pk)


@dataclass(frozen=True)
class HouseholdFilters:
    building: int | None = None
    group: int | None = None
    state: str = ""  # "", "signed", "unsigned", "stale"
    q: str = ""
    stale_before: datetime.datetime | None = None


def household_list(actor: User, project: Project, filters: HouseholdFilters) -> QuerySet[Household]:
    """The households of the list page, in building and flat order."""
    rows = households_for(actor, project)
    if filters.building:
        rows = rows.filter(building_id=filters.building)
    if filters.group:
        rows = rows.filter(group_id=filters.group)
    if filters.state == "signed":
        rows = rows.filter(signed_at__isnull=False)
    elif filters.state == "unsigned":
        rows = rows.filter(signed_at__isnull=True)
    elif filters.state == "stale" and filters.stale_before:
        rows = rows.filter(signed_at__isnull=True).filter(
            Q(last_visit_at__isnull=True) | Q(last_visit_at__lt=filters.stale_before))
    if filters.q:
        rows = rows.filter(Q(flat__name__icontains=filters.q) | Q(owner_names__icontains=filters.q))
    return rows.order_by("place_path")


@dataclass(frozen=True)
class Standing:
    households: int
    signed: int
    needed: int  # signed households the effect threshold asks for
    consented: int
    answered: int
    consent_needed: int

    @property
    def signing_rate(self) -> float:
        return self.signed / self.households if self.households else 0.0

    @property
    def percent(self) -> str:
        """The signing rate in percent to one place, rounded down: 547 of 548 is 99.8, never 100 until all signed."""
        tenths = self.signed * 1000 // self.households if self.households else 0
        return f"{tenths // 10}.{tenths % 10}"


def project_standing(project: Project) -> Standing:
    """How the whole project stands (all its households, whoever asks: a project's figures are public to those
    who see it)."""
    totals = Household.objects.filter(project=project).aggregate(
        households=Count("pk"), signed=Count("pk", filter=Q(signed_at__isnull=False)),
        consented=Count("pk", filter=Q(consent="agree")), answered=Count("pk", filter=~Q(consent="")))
    return Standing(households=totals["households"], signed=totals["signed"],
                    needed=needed(totals["households"], project.effect_threshold),
                    consented=totals["consented"], answered=totals["answered"],
                    consent_needed=needed(totals["households"], project.consent_threshold))
