"""Reads of the estate profiles: the street's or district's list of estates by their warnings ("where to act
first"), the owners' committee formation rate, and one estate's profile.

The list computes every warning of every estate of a scope in a constant number of queries (5, whatever the
number of estates): the estates, their owners' committees in force with their filed and members' terms, the
contracts' ends, the open cases (from the case table's partial indexes of open cases, by the street's or
community's path column) and the ratings of the cases closed in the last 12 months; then a dict join in Python
and `profile_rules.warnings_of` per estate.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from commonground.cases.models import CLOSED_STAGES, Case
from commonground.core import clock
from commonground.core.masking import in_full, shown
from commonground.core.models import (
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    Place,
    PlaceKind,
    RoleAssignment,
    RoleKind,
)
from commonground.core.models.places import SEGMENT_WIDTH, within_q
from commonground.core.permissions import can, scope_paths, visible_to
from commonground.deliberation.models import Meeting, Vote

from .evaluation_selectors import latest_scores
from .models import CommitteeFiling, PropertyContract
from .profile_rules import KINDS, EstateFacts, Limits, Warning, add_months, urgency, warnings_of
from .rules import low_rating_threshold, low_score, min_ratings, warning_months

VIEW = "coordination.view"
ESTATE_PATH_LENGTH = 4 * SEGMENT_WIDTH  # district, street, community, estate
RATING_MONTHS = 12


def evaluation_scores(estate_ids: Iterable[int]) -> dict[int, Decimal]:
    """The residents' score (of 100) per estate in its latest closed property-service evaluation round (one
    query), for the low-evaluation warning."""
    return latest_scores(list(estate_ids))


def limits() -> Limits:
    return Limits(today=clock.today(), months=warning_months(), low_rating=low_rating_threshold(),
                  min_ratings=min_ratings(), low_score=Decimal(low_score()))


@dataclass(frozen=True)
class EstateFilters:
    """What the list is narrowed to: a street's or community's code, a warning kind (profile_rules.Kind)."""

    street: str = ""
    community: str = ""
    warning: str = ""

    @classmethod
    def from_mapping(cls, data: Any) -> EstateFilters:
        warning = str(data.get("warning", "") or "")[:32]
        return cls(street=str(data.get("street", "") or "")[:64], community=str(data.get("community", "") or "")[:64],
                   warning=warning if warning in KINDS else "")


@dataclass
class EstateRow:
    pk: int
    code: str
    name: str
    path: str
    community: str
    street: str
    facts: EstateFacts
    open_cases: int = 0
    disputes: int = 0
    warnings: list[Warning] = field(default_factory=list)
    committee_id: int | None = None

    @property
    def severity(self) -> int:
        return max((w.severity for w in self.warnings), default=0)


@dataclass
class EstateList:
    rows: list[EstateRow]  # most urgent first
    estates: int  # in the scope and filters, before the warning filter
    with_committee: int
    counts: dict[str, int]  # warning kind → estates with it

    @property
    def formation_rate(self) -> float | None:
        return round(self.with_committee / self.estates, 4) if self.estates else None


def visible_estates(actor: Any) -> QuerySet[Place]:
    return visible_to(actor, VIEW, Place.objects.filter(kind=PlaceKind.ESTATE))


def access_estate_profile(actor: Any, estate_id: int) -> Place:
    """The estate whose profile `actor` may see (coordination.view at it), or Http404: an owners' committee member
    and a property manager reach their own estate only."""
    try:
        return visible_estates(actor).select_related("parent__parent").get(pk=estate_id)
    except Place.DoesNotExist:
        raise Http404 from None


def _prefixes(actor: Any, scope: Place | None) -> list[str]:
    """The paths the list reads under: the scope narrowed to the actor's reach (or widened to none)."""
    reach = scope_paths(actor, VIEW)
    if scope is None:
        return reach if reach is not None else [p for p in Place.objects.filter(parent=None).values_list(
            "path", flat=True)]
    if reach is None:
        return [scope.path]
    paths = set()
    for path in reach:
        if path.startswith(scope.path):
            paths.add(path)
        elif scope.path.startswith(path):
            paths.add(scope.path)
    return sorted(paths)


def _case_condition(paths: list[str]) -> Q:
    """Cases placed under any of `paths`, on the columns the case table's open-case indexes lead with: the
    street's or community's path by equality, an estate's under its community."""
    conditions = []
    for path in paths:
        segments = len(path) // SEGMENT_WIDTH
        if segments == 2:
            conditions.append(Q(street_path=path))
        elif segments == 3:
            conditions.append(Q(unit_path=path))
        elif segments > 3:
            conditions.append(Q(unit_path=path[:3 * SEGMENT_WIDTH]) & within_q("place_path", [path]))
        else:
            conditions.append(within_q("place_path", [path]))
    return reduce(operator.or_, conditions) if conditions else Q(pk__in=[])


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def committees_in_force(estates: QuerySet[Place], today: datetime.date) -> QuerySet[Organisation]:
    return Organisation.objects.active_on(today).filter(kind=OrganisationKind.OWNERS_COMMITTEE,
                                                          place__in=estates.values("pk"))


def estate_facts(estates: QuerySet[Place], paths: list[str], today: datetime.date) -> dict[int, dict[str, Any]]:
    """The facts of every estate of `estates` (lying under `paths`), in 5 queries: {estate id: {...}}."""
    facts: dict[int, dict[str, Any]] = {}
    by_path: dict[str, int] = {}
    for row in estates.values("pk", "code", "name", "path", "parent__name", "parent__parent__name"):
        facts[row["pk"]] = {"row": row, "committee": None, "term_to": None, "contract_ends_on": None, "overdue": 0,
                            "open": 0, "disputes": 0, "rated": 0, "rating_sum": 0}
        by_path[row["path"]] = row["pk"]
    chosen: dict[int, tuple] = {}
    # each committee in force with the end of its latest filed term and its members' latest term end
    filed = CommitteeFiling.objects.filter(committee=OuterRef("pk")).order_by("-term_from", "-pk").values("term_to")[:1]
    held = (OrganisationMembership.objects.filter(organisation=OuterRef("pk")).order_by().values("organisation")
            .annotate(last=Max("term_to")).values("last"))
    for pk, place_id, established, filed_to, held_to in committees_in_force(estates, today).annotate(
            filed_to=Subquery(filed), held_to=Subquery(held)).values_list(
            "pk", "place_id", "established_on", "filed_to", "held_to"):
        key = (established or datetime.date.min, pk)  # the latest committee in force is the estate's
        if place_id in facts and (place_id not in chosen or key > chosen[place_id][0]):
            chosen[place_id] = (key, filed_to or held_to)
    for place_id, ((_established, pk), term_to) in chosen.items():
        facts[place_id].update(committee=pk, term_to=term_to)
    contracts = PropertyContract.objects.filter(within_q("estate_path", paths)).values("estate_id").annotate(
        last=Max("ends_on")).values_list("estate_id", "last")
    for estate_id, last in contracts:
        if estate_id in facts:
            facts[estate_id]["contract_ends_on"] = last
    where = _case_condition(paths)
    open_cases = (Case.objects.open().filter(where).annotate(estate=Substr("place_path", 1, ESTATE_PATH_LENGTH))
                  .values("estate").annotate(n=Count("pk"), overdue=Count("pk", filter=Q(is_overdue=True)),
                                             disputes=Count("pk", filter=Q(category__is_dispute=True)))
                  .values_list("estate", "n", "overdue", "disputes"))
    for path, n, overdue, disputes in open_cases:
        if path in by_path:
            facts[by_path[path]].update(open=n, overdue=overdue, disputes=disputes)
    since = _local_midnight(add_months(today, -RATING_MONTHS))
    ratings = (Case.objects.filter(where, stage__in=CLOSED_STAGES, closed_at__gte=since, rating__isnull=False)
               .annotate(estate=Substr("place_path", 1, ESTATE_PATH_LENGTH)).values("estate")
               .annotate(n=Count("pk"), total=Sum("rating")).values_list("estate", "n", "total"))
    for path, n, total in ratings:
        if path in by_path:
            facts[by_path[path]].update(rated=n, rating_sum=total or 0)
    return facts


def _rows(facts: dict[int, dict[str, Any]], rules: Limits) -> list[EstateRow]:
    scores = evaluation_scores(facts)
    rows = []
    for pk, data in facts.items():
        row = data["row"]
        estate_facts_ = EstateFacts(has_committee=data["committee"] is not None, term_to=data["term_to"],
                                    contract_ends_on=data["contract_ends_on"], overdue=data["overdue"],
                                    rated=data["rated"], rating_sum=data["rating_sum"],
                                    evaluation_score=scores.get(pk))
        rows.append(EstateRow(pk=pk, code=row["code"], name=row["name"], path=row["path"],
                              community=row["parent__name"] or "", street=row["parent__parent__name"] or "",
                              facts=estate_facts_, open_cases=data["open"], disputes=data["disputes"],
                              warnings=warnings_of(estate_facts_, rules), committee_id=data["committee"]))
    rows.sort(key=lambda r: (*urgency(r.warnings, r.facts.overdue), r.path))
    return rows


def filter_places(actor: Any, scope: Place | None, kind: str) -> QuerySet[Place]:
    """The streets or communities of the scope the actor reaches, for the list's filters."""
    places = visible_to(actor, VIEW, Place.objects.filter(kind=kind))
    if scope is not None:
        places = places.within(scope)
    return places.only("code", "name", "path").order_by("path")


def estates_by_warning(actor: Any, scope: Place | None, filters: EstateFilters = EstateFilters()) -> EstateList:
    """Every estate of `scope` (None: all the actor reaches) that the actor may see, with its warnings, most
    urgent first; the counts of each warning and the formation rate of owners' committees over the estates the
    street/community filters leave. A constant number of queries, whatever the number of estates."""
    paths = _prefixes(actor, scope)
    for code, segments in ((filters.street, 2), (filters.community, 3)):
        if code:
            # narrowed to a place by its code: the paths read so far that lie under it, or it under them
            narrowed = Place.objects.filter(code=code, kind=PlaceKind.STREET if segments == 2 else
                                            PlaceKind.COMMUNITY).values_list("path", flat=True).first()
            paths = sorted({narrowed if narrowed.startswith(p) else p for p in paths
                            if narrowed.startswith(p) or p.startswith(narrowed)}) if narrowed else []
    estates = visible_estates(actor).filter(within_q("path", paths)) if paths else Place.objects.none()
    rules = limits()
    rows = _rows(estate_facts(estates, paths, rules.today), rules) if paths else []
    counts = dict.fromkeys(KINDS, 0)
    for row in rows:
        for warning in row.warnings:
            counts[warning.kind] += 1
    with_committee = sum(1 for row in rows if row.facts.has_committee)
    total = len(rows)
    if filters.warning:
        rows = [row for row in rows if any(w.kind == filters.warning for w in row.warnings)]
    return EstateList(rows=rows, estates=total, with_committee=with_committee, counts=counts)


def estate_committee(estate: Place) -> Organisation | None:
    """The estate's owners' committee in force today (the latest elected), or None."""
    return committees_in_force(Place.objects.filter(pk=estate.pk), clock.today()).order_by(
        "-established_on", "-pk").first()


def formation_rate(actor: Any, scope: Place | None) -> float | None:
    """The share of the scope's estates with an owners' committee in force (computed; 2 queries)."""
    estates = visible_estates(actor)
    if scope is not None:
        estates = estates.within(scope)
    total = estates.count()
    formed = committees_in_force(estates, clock.today()).values("place_id").distinct().count()
    return round(formed / total, 4) if total else None


@dataclass
class Member:
    name: str
    position: str
    term_from: datetime.date | None
    term_to: datetime.date | None


def estate_profile(estate: Place, actor: Any) -> dict[str, Any]:
    """Everything the profile page shows of `estate` (which `access_estate_profile` gave), in a bounded number of
    queries: its warnings, the three parties, the party branches and associations, the grid, cases, meetings and
    votes. Committee members' names are masked for whoever may not see the estate's personal data."""
    rules = limits()
    today = rules.today
    estates = Place.objects.filter(pk=estate.pk)
    row = _rows(estate_facts(estates, [estate.path], today), rules)[0]
    community = estate.parent
    orgs = list(Organisation.objects.active_on(today).filter(
        Q(place_id__in=[estate.pk, community.pk]) | within_q("place__path", [estate.path]))
        .select_related("place", "parent").order_by("place__path", "kind", "name"))

    def kind(*kinds: str, at: Place | None = None) -> list[Organisation]:
        return [o for o in orgs if o.kind in kinds and (at is None or o.place_id == at.pk)]

    committee = next((o for o in orgs if o.pk == row.committee_id), None)
    members: list[Member] = []
    filing = None
    if committee is not None:
        full = in_full(actor, estate)
        members = [Member(shown("name", m.person.name, in_full=full), m.position, m.term_from, m.term_to)
                   for m in OrganisationMembership.objects.filter(organisation=committee).select_related("person")
                   .order_by("term_from", "pk")]
        filing = CommitteeFiling.objects.filter(committee=committee).order_by("-term_from", "-pk").first()
    contract = (PropertyContract.objects.filter(estate=estate).select_related("company", "decided_by")
                .order_by("-ends_on", "-pk").first())
    grids = list(Place.objects.filter(parent=community, kind=PlaceKind.GRID).order_by("path"))
    grid_workers = list(RoleAssignment.objects.active(today).filter(
        role=RoleKind.GRID_WORKER, scope_id__in=[community.pk, *(g.pk for g in grids)]).select_related("user", "scope")
        .order_by("scope__path", "user__display_name"))
    meetings = list(visible_to(actor, "meeting.view", Meeting.objects.filter(
        within_q("place__path", [estate.path]))).order_by("-starts_at", "-pk")[:5])
    votes = list(visible_to(actor, "vote.view", Vote.objects.filter(estate=estate)).order_by("-opens_at", "-pk")[:5])
    party = kind(OrganisationKind.PARTY_ORGANISATION)
    return {
        "estate": estate, "community": community, "street": community.parent, "row": row,
        "warnings": row.warnings, "limits": rules,
        "residents_committee": kind(OrganisationKind.RESIDENTS_COMMITTEE, at=community),
        "community_party": [o for o in party if o.place_id == community.pk],
        "owners_committee": committee, "members": members, "filing": filing,
        "property_departments": kind(OrganisationKind.PROPERTY_COMPANY, at=estate), "contract": contract,
        "estate_party": [o for o in party if o.place_id == estate.pk],
        "corridor_branches": [o for o in party if o.place.kind == PlaceKind.CORRIDOR],
        "associations": kind(OrganisationKind.MASS_ASSOCIATION, at=estate),
        "grids": grids, "grid_workers": grid_workers,
        "meetings": meetings, "votes": votes,
        "may_manage": can(actor, "coordination.manage", estate),
    }
