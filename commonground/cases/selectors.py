"""Every read the case pages and APIs need: the work queue, one case, the counts for a scope,
the categories a reporter may use. Lists are filtered by the resolver in SQL."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import Place, PlaceKind, User
from commonground.core.models.places import is_root_path, within_q
from commonground.core.permissions import (
    access_object,
    active_roles,
    scope_condition,
    scope_paths,
    visible_to,
)
from commonground.core.place_cache import root_paths
from commonground.core.rules import role_permits

from .models import CLOSED_STAGES, OPEN_STAGES, Case, CaseEvent, Category, ReporterKind, Stage

UNDATED = ExpressionWrapper(Q(deadline__isnull=True), output_field=BooleanField())
QUEUE_RELATED = ("category", "place", "handling_place", "handler", "merged_into")
# What a case page shows beside the queue's columns.
CASE_RELATED = (*QUEUE_RELATED, "place__parent", "handling_place__parent", "reporter__person")
TRUE_WORDS = {"1", "true", "yes", "on"}
DUE_TODAY = "today"


SORTS = ("deadline", "newest")
SEARCH_MAX = 100  # characters of a search
SEARCH_PLACES = 50  # places whose name matches a search, at most (their cases and everything under them)
# Where new cases are accepted and dispatched, and where cases handled at an estate or a building are followed.
INTAKE_KINDS = (PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY)


@dataclass(frozen=True)
class QueueFilters:
    """What a queue is narrowed to. `stage`: "" (open stages, the default), "all", "closed" or a Stage
    value; `category` and `place` are codes (a place includes everything under it); `overdue`: only overdue;
    `q`: a case number (or its start), or words of the description, the address, the category or a place's name;
    `mine`: only what waits at the caller's own level (`waiting_for`); `sort`: "deadline" (cases not yet
    dispatched first, newest first, then the soonest deadline) or "newest".
    `due`: "today" for the cases whose deadline falls today (local time);
    `reported_from`/`reported_to` and `closed_from`/`closed_to`: local days, both ends included (the figures
    page links its numbers to these)."""

    stage: str = ""
    category: str = ""
    place: str = ""
    overdue: bool = False
    due: str = ""
    q: str = ""
    mine: bool = False
    sort: str = "deadline"
    reported_from: datetime.date | None = None
    reported_to: datetime.date | None = None
    closed_from: datetime.date | None = None
    closed_to: datetime.date | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> QueueFilters:
        """From a query string (request.GET) or a dict; unknown keys are ignored. `scope=mine` sets `mine`."""
        overdue = data.get("overdue", False)
        if isinstance(overdue, str):
            overdue = overdue.strip().lower() in TRUE_WORDS
        sort = str(data.get("sort") or "").strip()
        return cls(stage=str(data.get("stage") or "").strip(), category=str(data.get("category") or "").strip(),
                   place=str(data.get("place") or "").strip(), overdue=bool(overdue),
                   q=str(data.get("q") or "").strip()[:SEARCH_MAX], mine=str(data.get("scope") or "") == "mine",
                   sort=sort if sort in SORTS else "deadline",
                   due=str(data.get("due") or "").strip(),
                   **{name: _day(data.get(name)) for name in DATE_FILTERS})


DATE_FILTERS = ("reported_from", "reported_to", "closed_from", "closed_to")


def _day(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date) or value is None:
        return value
    try:
        return parse_date(str(value).strip())
    except ValueError:
        return None


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of a local day: days compare as ranges on the timestamp, which its index serves."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def in_days(field: str, first: datetime.date | None, last: datetime.date | None) -> Q:
    """`field` (a timestamp) on a local day from `first` to `last`, both included; an absent end is open."""
    condition = Q()
    if first is not None:
        condition &= Q(**{f"{field}__gte": day_start(first)})
    if last is not None:
        condition &= Q(**{f"{field}__lt": day_start(last + datetime.timedelta(days=1))})
    return condition


def visible_cases(user: Any, action: str = "case.view") -> QuerySet[Case]:
    """The cases `user` may do `action` on: in the scope of their roles (for handling, where the handling place
    lies), and for viewing and rating their own reports. The one rule of `access_case` and every list."""
    return visible_to(user, action, Case.objects.all())


LISTED_ATTR = "_cg_reported_outside_scope"


def listed_cases(user: Any) -> QuerySet[Case]:
    """`visible_cases` for a list, in a shape its indexes serve: the whole district without a place filter, and
    the user's own reports beside their scope only when one lies outside it (one query on the reporter index).
    "Mine or in my street" would make the database sort the street's every case; "in my street" walks the
    street's index in the list's order."""
    paths = scope_paths(user, "case.view") if getattr(user, "is_authenticated", False) and user.is_active else []
    if not paths:  # the operator (everything), or no role: their own reports
        return visible_cases(user)
    if any(is_root_path(path) for path in paths) and root_paths() <= set(paths):
        return Case.objects.all()
    scope = scope_condition(Case, paths, "case.view")
    # (asked once per request: the home's cards list the queue several times)
    if LISTED_ATTR not in user.__dict__:
        user.__dict__[LISTED_ATTR] = Case.objects.filter(reporter_id=user.pk).exclude(scope).exists()
    return visible_cases(user) if user.__dict__[LISTED_ATTR] else Case.objects.filter(scope)


def case_queue(user: Any, filters: QueueFilters | Mapping[str, Any] | None = None) -> QuerySet[Case]:
    """The caller's work queue: cases they may view, filtered and sorted (`QueueFilters`). Related rows for a
    list are joined, not fetched per row."""
    if filters is None:
        filters = QueueFilters()
    elif not isinstance(filters, QueueFilters):
        filters = QueueFilters.from_mapping(filters)
    cases = listed_cases(user).select_related(*QUEUE_RELATED)
    if filters.stage == "all":
        pass
    elif filters.stage == "closed":
        cases = cases.filter(stage__in=CLOSED_STAGES)
    elif filters.stage in Stage.values:
        cases = cases.filter(stage=filters.stage)
    elif filters.stage in ("", "open"):
        cases = cases.open()
    else:
        cases = cases.none()
    if filters.category:
        # a parent category's queue includes its sub-categories
        cases = cases.filter(Q(category__code=filters.category) | Q(category__parent__code=filters.category))
    if filters.place:
        path = Place.objects.filter(code=filters.place).values_list("path", flat=True).first()
        cases = cases.filter(scope_condition(Case, [path])) if path else cases.none()
    if filters.overdue:
        cases = cases.filter(is_overdue=True)
    if filters.reported_from or filters.reported_to:
        cases = cases.filter(in_days("created_at", filters.reported_from, filters.reported_to))
    if filters.closed_from or filters.closed_to:
        cases = cases.filter(in_days("closed_at", filters.closed_from, filters.closed_to))
    if filters.due == DUE_TODAY:
        start, end = day_bounds(clock.today())
        cases = cases.filter(deadline__gte=start, deadline__lt=end)
    elif filters.due:
        cases = cases.none()
    if filters.q:
        cases = cases.filter(search_q(filters.q))
    if filters.mine:
        cases = cases.filter(waiting_for(user))
    if filters.sort == "newest":
        return cases.order_by("-created_at", "-pk")
    # new cases (no deadline yet) first, newest first; then the soonest deadline
    if filters.mine:
        # What waits at one level is few: found through the handling place and sorted. Ordered as the index of
        # the area's queue is, it would tempt SQLite to walk all of the area's cases in that order instead.
        return cases.order_by(UNDATED.desc(), "deadline", "-created_at", "pk")
    return cases.order_by(F("deadline").asc(nulls_first=True), "-created_at", "pk")


def search_q(text: str) -> Q:
    """Cases matching a search: by number (its start), or words in the description, the address, the category
    or the name of the place (or a place above it)."""
    text = text.strip()[:SEARCH_MAX]
    condition = Q(number__startswith=text.upper())
    if text.isdigit() or (text[:2].upper() == "SX" and text[2:].isdigit()):
        return condition
    paths = list(Place.objects.filter(name__icontains=text).order_by("path").values_list("path", flat=True)
                 [:SEARCH_PLACES])
    return (condition | Q(description__icontains=text) | Q(address__icontains=text)
            | Q(category__name__icontains=text) | within_q("place_path", paths))


def waiting_for(user: Any) -> Q:
    """What waits at the user's own level: cases handled right at a place where they hold a role; and, for a
    role at a community, the cases of that community not sent above it (new ones to accept and dispatch, and
    those handled in its estates and buildings). A district officer's work is what the district handles, not
    every case in the district. Everything (for the operator, who holds no place)."""
    if scope_paths(user, "case.view") is None:
        return Q()
    roles = [role for role in active_roles(user) if role_permits(role.role, "case.view")]
    condition = Q(handling_place_id__in=[role.scope_id for role in roles])
    communities = [role.scope.path for role in roles if role.scope.kind in INTAKE_KINDS]
    if communities:
        condition |= scope_condition(Case, communities) & (
            Q(handling_path="") | within_q("handling_path", communities))
    return condition


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The start of `day` and of the next, local time."""
    return day_start(day), day_start(day + datetime.timedelta(days=1))


def queue_counts(user: Any, named: Mapping[str, QueueFilters]) -> dict[str, int]:
    """How many cases each named queue filter holds for `user`: the very cases its queue page lists, one count
    query each."""
    return {name: case_queue(user, filters).order_by().count() for name, filters in named.items()}


def reported_by(user: Any) -> QuerySet[Case]:
    """The cases `user` reported (through `visible_cases`, the rule of every list), with what their page shows."""
    return visible_cases(user).filter(reporter=user).select_related("category", "place", "handling_place__parent",
                                                                    "handler")


def reports_to_follow(user: Any) -> QuerySet[Case]:
    """The reporter's cases still under way: open ones and closed ones waiting for their rating, newest first."""
    return reported_by(user).filter(stage__in=[*OPEN_STAGES, Stage.CLOSED]).order_by("-created_at", "-pk")


def with_details(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Everything a case page shows: related rows joined, the event log and attachments prefetched."""
    return cases.select_related(*CASE_RELATED, "recorded_by").prefetch_related(
        Prefetch("events", queryset=CaseEvent.objects.select_related("actor").order_by("at", "pk")),
        "attachments",
    )


def _one_case(actor: User, with_events: bool) -> QuerySet[Case]:
    cases = visible_cases(actor)
    return with_details(cases) if with_events else cases.select_related(*CASE_RELATED)


def case_for(user: Any, number: str, *, with_events: bool = False) -> Case | None:
    """One case by number if `user` may view it, else None (for a lookup that is not the page's own key)."""
    return _one_case(user, with_events).filter(number=number).first()


def access_case(actor: User, number: str, action: str = "case.view", *, with_events: bool = False) -> Case:
    """The case for `action`: Http404 unless the actor may view it (`visible_cases`), so numbers leak nothing;
    PermissionDenied when they see it but may not do `action`. With `with_events`, the log and the attachments
    come along (`with_details`)."""
    return access_object(actor, _one_case(actor, with_events), action, view_action="case.view",
                         missing=_("No such case."), number=number)


def case_reloaded(case: Case) -> Case:
    """A case just written by the caller, fresh and with its details (for the answer to that write)."""
    return with_details(Case.objects.filter(pk=case.pk)).get()


def active_categories() -> QuerySet[Category]:
    """Active categories with their parent and questions, ready to list."""
    return (Category.objects.filter(is_active=True).select_related("parent")
            .prefetch_related("questions").order_by("code"))


def is_open_to(category: Category, kind: str) -> bool:
    """An empty "open to" list means open to every kind of reporter (as intake reads it)."""
    return kind in (category.open_to or list(ReporterKind))


def categories_open_to(kind: str) -> list[Category]:
    """Active categories a reporter of `kind` may use. Filtered after loading because JSON containment
    is not portable to SQLite; categories are a small configuration table."""
    return [category for category in active_categories() if is_open_to(category, kind)]
