"""Reads of activities and sign-ups: which activities and sign-ups a user sees (one access function each, used by
the pages, the API, the exports and the calendars), the noticeboard, the staff list, an activity's page, a user's
own sign-ups and an activity's sign-up list with personal data as the user may see it.

Lists filter in the database and cost a fixed number of queries whatever their length.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.masking import personal_flag, shown
from commonground.core.models import Person, Place, User
from commonground.core.models.places import within_q
from commonground.core.people_search import parse
from commonground.core.people_selectors import PeopleFilters, people_list
from commonground.core.permissions import access_object, visible_to

from .audience import age_on, household_people
from .models import (
    Activity,
    ActivityCalendarToken,
    ActivitySession,
    ActivityStatus,
    Enrolment,
    EnrolmentStatus,
)
from .rules import adult_age
from .services.activities import sign_up_refusal

DESK_SEARCH_LIMIT = 20
FEED_PAST_DAYS = 30


def activities_for(actor: Any, action: str = "activity.view") -> QuerySet[Activity]:
    """The activities `actor` may `action`: everyone signed in sees the published and cancelled ones; staff also
    the drafts of their scope."""
    return visible_to(actor, action, Activity.objects.select_related("place", "organiser"))


def access_activity(actor: Any, pk: int, action: str = "activity.view") -> Activity:
    """The activity for `action`: Http404 unless the actor sees it, PermissionDenied when seen but not theirs."""
    return access_object(actor, activities_for(actor), action, view_action="activity.view",
                         missing=_("No such activity."), pk=pk)


def enrolments_for(actor: Any, action: str = "enrolment.view") -> QuerySet[Enrolment]:
    """The sign-ups `actor` sees: their own and those they made (for their children), and staff their scope's."""
    return visible_to(actor, action, Enrolment.objects.select_related("activity__place", "participant"))


def access_enrolment(actor: Any, pk: int, action: str = "enrolment.view") -> Enrolment:
    """The sign-up for `action`: Http404 unless the actor sees it, PermissionDenied when seen but not theirs."""
    return access_object(actor, enrolments_for(actor), action, view_action="enrolment.view",
                         missing=_("No such sign-up."), pk=pk)


@dataclass(frozen=True)
class ActivityFilters:
    kind: str = ""
    place: Place | None = None  # a place, street or community: activities held at or under it
    audience: str = ""
    open_now: bool = False  # sign-up open at this moment
    text: str = ""
    status: str = ""  # the staff list only


def _filtered(rows: QuerySet[Activity], filters: ActivityFilters) -> QuerySet[Activity]:
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.place is not None:
        rows = rows.filter(within_q("place_path", [filters.place.path]))
    if filters.audience:
        rows = rows.filter(audience=filters.audience)
    if filters.open_now:
        now = clock.now()
        rows = rows.filter(status=ActivityStatus.PUBLISHED, signup_opens_at__lte=now, signup_closes_at__gt=now)
    if filters.text:
        text = filters.text.strip()[:100]
        rows = rows.filter(Q(title__icontains=text) | Q(description__icontains=text))
    return rows


def noticeboard(actor: Any, filters: ActivityFilters) -> QuerySet[Activity]:
    """The published activities the user may see that are not over, the soonest first."""
    rows = activities_for(actor).filter(status=ActivityStatus.PUBLISHED, last_ends_at__gte=clock.now())
    return _filtered(rows, filters).order_by("first_starts_at", "pk")


def noticeboard_places(actor: Any) -> list[Place]:
    """The streets and communities (and the places themselves) holding activities on the user's noticeboard: the
    choices of its place filter."""
    rows = noticeboard(actor, ActivityFilters()).order_by()
    paths = set()
    for place_path, street, community in rows.values_list("place_path", "street_path", "community_path").distinct():
        paths.update(p for p in (place_path, street, community) if p)
    return list(Place.objects.filter(path__in=sorted(paths)[:500]).order_by("path"))


def staff_activities(actor: Any, filters: ActivityFilters) -> QuerySet[Activity]:
    """The activities the user runs (drafts too), latest first by their first session; drafts without a session
    first of all."""
    rows = activities_for(actor, "activity.manage")
    if filters.status:
        rows = rows.filter(status=filters.status)
    from django.db.models import F

    return _filtered(rows, filters).order_by(F("first_starts_at").desc(nulls_first=True), "-pk")


def waiting_position() -> Subquery:
    """Per sign-up row: its place in its activity's waiting list (1 for the first), for waiting rows."""
    ahead = (Enrolment.objects.filter(activity_id=OuterRef("activity_id"), status=EnrolmentStatus.WAITING,
                                      pk__lte=OuterRef("pk"))
             .order_by().values("activity_id").annotate(n=Count("pk")).values("n"))
    return Subquery(ahead, output_field=IntegerField())


def waiting_counts() -> Coalesce:
    waiting = (Enrolment.objects.filter(activity_id=OuterRef("pk"), status=EnrolmentStatus.WAITING)
               .order_by().values("activity_id").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(waiting, output_field=IntegerField()), Value(0))


def household_minors(actor: Any, day: datetime.date) -> list[Person]:
    """The minors (on `day`) of the actor's household, whom the actor may sign up; by name."""
    person_id = getattr(actor, "person_id", None)
    if not person_id:
        return []
    person = Person(pk=person_id)
    adult = adult_age()
    rows = Person.objects.filter(household_people(person)).exclude(pk=person_id).filter(
        birth_date__isnull=False).order_by("birth_date", "pk")
    return [p for p in rows if age_on(p.birth_date, day) < adult]


@dataclass
class Candidate:
    person: Person
    is_self: bool
    refusal: str | None
    enrolment: Enrolment | None = None


@dataclass
class ActivityPage:
    activity: Activity
    sessions: list[ActivitySession]
    waiting: int
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def may_sign_up(self) -> list[Candidate]:
        return [c for c in self.candidates if c.refusal is None and c.enrolment is None]

    @property
    def signed_up(self) -> list[Candidate]:
        return [c for c in self.candidates if c.enrolment is not None]


def activity_page(actor: User, activity: Activity) -> ActivityPage:
    """An activity as its page shows it: the sessions, the places left and the waiting list's length, and for
    the user and each minor of their household their sign-up or the reason they may not sign up."""
    sessions = list(activity.sessions.select_related("zone").order_by("starts_at", "pk"))
    waiting = Enrolment.objects.filter(activity=activity, status=EnrolmentStatus.WAITING).count()
    page = ActivityPage(activity, sessions, waiting)
    if not getattr(actor, "person_id", None):
        return page
    day = localtime(activity.first_starts_at or clock.now()).date()
    people = [(actor.person, True)] + [(child, False) for child in household_minors(actor, day)]
    enrolments = {e.participant_id: e for e in Enrolment.objects.filter(
        activity=activity, participant_id__in=[p.pk for p, _own in people]).exclude(
        status=EnrolmentStatus.CANCELLED).annotate(position=waiting_position())}
    for person, own in people:
        enrolment = enrolments.get(person.pk)
        page.candidates.append(Candidate(person, own, None if enrolment else sign_up_refusal(actor, activity, person),
                                         enrolment))
    return page


def my_enrolments(actor: Any, *, include_past: bool = False) -> QuerySet[Enrolment]:
    """The user's own sign-ups and those they made (for their children), soonest activity first; each with its
    place on the waiting list."""
    condition = Enrolment.own_q(actor, "enrolment.view")
    if condition is None:
        return Enrolment.objects.none()
    rows = (Enrolment.objects.filter(condition).select_related("activity__place", "participant")
            .annotate(position=waiting_position()))
    if not include_past:
        rows = rows.filter(activity__last_ends_at__gte=clock.now())
    return rows.order_by("activity__first_starts_at", "activity_id", "pk")


@dataclass
class EnrolmentRow:
    enrolment: Enrolment
    name: str
    phone: str
    position: int | None


ENROLMENT_ORDER = {EnrolmentStatus.CONFIRMED: 0, EnrolmentStatus.WAITING: 1, EnrolmentStatus.CANCELLED: 2}


def activity_enrolments(actor: Any, activity: Activity, status: str = "") -> QuerySet[Enrolment]:
    """The activity's sign-ups the user sees (staff: their scope's), confirmed first, then the waiting list in
    order, then the cancelled; each with whether its personal data shows in full."""
    from django.db.models import Case, When

    rows = (enrolments_for(actor).filter(activity=activity)
            .annotate(order=Case(*(When(status=s, then=Value(n)) for s, n in ENROLMENT_ORDER.items()),
                                 output_field=IntegerField()),
                      in_full=personal_flag(actor, "place_path"), position=waiting_position()))
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("order", "pk")


def enrolment_rows(enrolments: list[Enrolment]) -> list[EnrolmentRow]:
    return [EnrolmentRow(e, shown("name", e.participant.name, in_full=e.in_full),
                         shown("phone", e.participant.phone, in_full=e.in_full), e.position) for e in enrolments]


def enrolment_headers() -> list[str]:
    return [_("Participant's name"), _("Phone"), _("Sign-up status"), _("Place on the waiting list"), _("Signed up at"),
            _("Place confirmed at"), _("Cancelled at"), _("Check-in code")]


def enrolment_table(actor: Any, activity: Activity) -> Iterator[list[object]]:
    """The export: one row per sign-up as the list shows it (names and phones masked where the list masks them;
    the check-in code only for the rows shown in full)."""
    def moment(value) -> str:
        return localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    for row in enrolment_rows(list(activity_enrolments(actor, activity).iterator(chunk_size=500))):
        e = row.enrolment
        yield [row.name, row.phone, e.get_status_display(), row.position or "", moment(e.created_at),
               moment(e.confirmed_at), moment(e.cancelled_at), e.code if e.in_full else ""]


def desk_people(actor: Any, text: str) -> list[Person]:
    """People the desk may sign up: those the user sees matching the search box (name, initials, phone tail)."""
    search = parse(text)
    if not search:
        return []
    return list(people_list(actor, PeopleFilters(search=search))[:DESK_SEARCH_LIMIT])


def place_sessions(actor: Any, place: Place) -> QuerySet[ActivitySession]:
    """The published sessions of activities held at or under `place` that the user sees, from 30 days back."""
    activities = activities_for(actor).filter(within_q("place_path", [place.path]),
                                              status=ActivityStatus.PUBLISHED)
    return (ActivitySession.objects.filter(activity__in=activities.values("pk"),
                                           ends_at__gte=clock.now() - datetime.timedelta(days=FEED_PAST_DAYS))
            .select_related("activity__place").order_by("starts_at", "pk"))


def person_sessions(user: User) -> QuerySet[ActivitySession]:
    """The sessions of the user's confirmed sign-ups and their children's (those they made), from 30 days back;
    cancelled activities' sessions too, so calendars drop them."""
    condition = Enrolment.own_q(user, "enrolment.view")
    if condition is None:
        return ActivitySession.objects.none()
    confirmed = Enrolment.objects.filter(condition, status=EnrolmentStatus.CONFIRMED)
    return (ActivitySession.objects.filter(activity__in=confirmed.values("activity_id"),
                                           ends_at__gte=clock.now() - datetime.timedelta(days=FEED_PAST_DAYS))
            .select_related("activity__place").order_by("starts_at", "pk"))


def calendar_token(user: Any) -> ActivityCalendarToken | None:
    return ActivityCalendarToken.objects.filter(user_id=user.pk).first()


def user_of_token(token: str) -> User | None:
    found = ActivityCalendarToken.objects.filter(token=token).select_related("user").first() if token else None
    return found.user if found and found.user.is_active else None
