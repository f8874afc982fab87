"""Reads of the signing and flat-choice pages: a household's agreement, a project's agreements and their state,
the flat board and whose turn it is."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import User
from commonground.core.permissions import access_object, visible_to

from .models import Agreement, AgreementStatus, Household, NewFlat, Offer, OptionKind, Project, RuleSetStatus
from .selectors import project_standing

TAKING_PART = (AgreementStatus.SIGNED, AgreementStatus.EFFECTIVE)


def agreements_for(actor: User, project: Project | None = None) -> QuerySet[Agreement]:
    """The agreements the actor sees: the office all, a field group's member their buildings', an owner their
    own household's."""
    rows = Agreement.objects.select_related("household__flat", "household__group", "rule_set")
    if project is not None:
        rows = rows.filter(household__project=project)
    return visible_to(actor, "renewal.view", rows)


def access_agreement(actor: User, pk: int, action: str = "renewal.view") -> Agreement:
    """The agreement for `action`: Http404 unless the actor sees it, PermissionDenied when seen but not theirs to
    do `action` on (an owner reads their own and does nothing else)."""
    return access_object(actor, agreements_for(actor).select_related("household__project__estate", "drawn_by"),
                         action, view_action="renewal.view", missing=_("No such agreement."), pk=pk)


def agreement_for(household: Household) -> Agreement | None:
    """The household's standing agreement (not cancelled), with its signatures; None when it has none."""
    return (household.agreements.exclude(status=AgreementStatus.CANCELLED)
            .select_related("rule_set", "drawn_by").prefetch_related("signatures__person").first())


def cancelled_agreements(household: Household) -> QuerySet[Agreement]:
    return household.agreements.filter(status=AgreementStatus.CANCELLED).order_by("-cancelled_at", "-pk")


@dataclass(frozen=True)
class AgreementFilters:
    status: str = ""
    group: int | None = None
    building: int | None = None
    q: str = ""


def agreement_list(actor: User, project: Project, filters: AgreementFilters) -> QuerySet[Agreement]:
    """The project's agreements the actor sees, in signing order (unsigned ones after, newest first)."""
    rows = agreements_for(actor, project)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.group:
        rows = rows.filter(household__group_id=filters.group)
    if filters.building:
        rows = rows.filter(household__building_id=filters.building)
    if filters.q:
        rows = rows.filter(Q(household__flat__name__icontains=filters.q)
                           | Q(household__owner_names__icontains=filters.q))
    return rows.order_by(F("sequence").asc(nulls_last=True), "-pk")


@dataclass(frozen=True)
class AgreementsStanding:
    """Where a project's agreements stand: pending (conditional), effective or lapsed, with the count."""

    state: str
    state_label: str
    households: int
    signed: int
    needed: int
    signing_from: datetime.date | None
    deadline: datetime.date | None
    decided_at: datetime.datetime | None
    days_left: int | None  # days of the signing period left, today counted; None outside it

    @property
    def short(self) -> int:
        return max(self.needed - self.signed, 0)


def agreements_standing(project: Project) -> AgreementsStanding:
    standing = project_standing(project)
    today = clock.today()
    days_left = None
    if project.signing_until and project.signing_from and project.signing_from <= today <= project.signing_until:
        days_left = (project.signing_until - today).days + 1
    return AgreementsStanding(
        state=project.agreements_state, state_label=project.get_agreements_state_display(),
        households=standing.households, signed=standing.signed, needed=standing.needed,
        signing_from=project.signing_from, deadline=project.signing_until, decided_at=project.agreements_decided_at,
        days_left=days_left)


def agreements_in_choice(project: Project) -> QuerySet[Agreement]:
    """The standing agreements that take part in the flat choice: signed, taking a flat, numbered."""
    return (Agreement.objects.filter(household__project=project, status__in=TAKING_PART, sequence__isnull=False)
            .exclude(option=OptionKind.CASH))


def waiting(project: Project) -> QuerySet[Agreement]:
    """Agreements whose household has neither chosen nor been passed over, in signing order."""
    chosen = NewFlat.objects.filter(chosen_by_id=OuterRef("household_id"))
    return (agreements_in_choice(project).filter(turn_passed_at__isnull=True).filter(~Exists(chosen))
            .order_by("sequence"))


def turn_of(project: Project) -> Agreement | None:
    """The agreement of the household whose turn it is (the lowest signing number still waiting)."""
    return waiting(project).select_related("household__flat").first()


def next_in_turn(project: Project, count: int = 5) -> list[Agreement]:
    """The households whose turn comes next, the current one first."""
    return list(waiting(project).select_related("household__flat")[:count])


def passed_over(project: Project) -> list[Agreement]:
    """Households passed over and not yet chosen: they may choose at any time."""
    chosen = NewFlat.objects.filter(chosen_by_id=OuterRef("household_id"))
    return list(agreements_in_choice(project).filter(turn_passed_at__isnull=False).filter(~Exists(chosen))
                .select_related("household__flat").order_by("sequence"))


@dataclass
class Floor:
    floor: int
    flats: list[NewFlat] = field(default_factory=list)


@dataclass
class BuildingBoard:
    building: str
    floors: list[Floor] = field(default_factory=list)
    left: int = 0
    chosen: int = 0


@dataclass(frozen=True)
class Board:
    buildings: list[BuildingBoard]
    left: int
    chosen: int


def flat_board(project: Project, *, chosen_by: bool = False) -> Board:
    """The new flats building by building, top floor first: what is left and what is chosen (one query). With
    `chosen_by`, each chosen flat carries its household (for its signing number: staff only)."""
    rows = NewFlat.objects.filter(project=project).order_by("building", "-floor", "number")
    if chosen_by:
        rows = rows.select_related("chosen_by")
    buildings: dict[str, BuildingBoard] = {}
    floors: dict[tuple[str, int], Floor] = {}
    for flat in rows:
        board = buildings.setdefault(flat.building, BuildingBoard(flat.building))
        key = (flat.building, flat.floor)
        if key not in floors:
            floors[key] = Floor(flat.floor)
            board.floors.append(floors[key])
        floors[key].flats.append(flat)
        if flat.chosen_by_id:
            board.chosen += 1
        else:
            board.left += 1
    ordered = sorted(buildings.values(), key=lambda b: (len(b.building), b.building))
    return Board(ordered, sum(b.left for b in ordered), sum(b.chosen for b in ordered))


def new_flats(project: Project, *, left_only: bool = False, max_area=None) -> QuerySet[NewFlat]:
    """The project's new flats (the left ones, up to an area), in building, floor and number order."""
    rows = NewFlat.objects.filter(project=project)
    if left_only:
        rows = rows.filter(chosen_by__isnull=True)
    if max_area is not None:
        rows = rows.filter(area_m2__lte=max_area)
    return rows.order_by("building", "floor", "number")


def published_offers(household: Household) -> list:
    """The household's options under the project's published rule set, in the options' order."""
    order = {value: n for n, value in enumerate(OptionKind.values)}
    rows = Offer.objects.filter(household=household, rule_set__project_id=household.project_id,
                                rule_set__status=RuleSetStatus.PUBLISHED).select_related("rule_set")
    return sorted(rows, key=lambda offer: order.get(offer.option, 99))


def choosers_for(actor: User, project: Project) -> list[Agreement]:
    """The households the actor may choose a flat for now: the one whose turn it is and those passed over,
    among the households the actor reaches for "renewal.select"."""
    reachable = set(visible_to(actor, "renewal.select", Household.objects.filter(project=project))
                    .values_list("pk", flat=True))
    current = turn_of(project)
    rows = ([current] if current else []) + passed_over(project)
    return [agreement for agreement in rows if agreement.household_id in reachable]
