"""Reads for the meeting pages, the calendar feed and the API: what a user may see, conveners and invitees
they may pick, a meeting with its agenda, attendance and resolutions, and how the resolutions' cases progress."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from commonground.cases.models import Case, Category, Channel, Stage
from commonground.cases.selectors import categories_open_to
from commonground.cases.services.intake import reporter_kind
from commonground.core import clock
from commonground.core.models import Organisation, OrganisationMembership, Person, Place, PlaceKind, User
from commonground.core.models.places import ancestor_ids, within_q
from commonground.core.permissions import access_object, active_roles, require, visible_to
from commonground.core.rules import role_permits

from .models import AgendaItem, Attendee, Meeting, MeetingStatus, Resolution
from .selectors import meetings_for

# Places a meeting is usually held at; a user's own scope place is offered too (a building commissioner's building).
MEETING_PLACE_KINDS = (PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY, PlaceKind.ESTATE,
                       PlaceKind.OFFICE_BUILDING, PlaceKind.FACILITY, PlaceKind.GRID)
FEED_PAST_DAYS, FEED_FUTURE_DAYS = 30, 90
# A case counts as done for a resolution once verified and closed (or rated afterwards).
DONE_STAGES = (Stage.CLOSED, Stage.EVALUATED)


def meeting_places(user: Any, action: str = "meeting.add") -> QuerySet[Place]:
    """Places where `user` may hold (or, with "meeting.view", look up) meetings, in tree order."""
    own_scopes = [role.scope_id for role in active_roles(user) if role_permits(role.role, action)]
    places = Place.objects.filter(Q(kind__in=MEETING_PLACE_KINDS) | Q(pk__in=own_scopes))
    return visible_to(user, action, places).order_by("path")


def convener_choices(user: Any, place: Place | None, *, action: str = "meeting.add") -> QuerySet[Organisation]:
    """Organisations that may convene a meeting at `place`: active ones at the place or above it, in the user's
    scope (a community worker picks the community's residents' committee or an estate's owners' committee)."""
    if place is None:
        return Organisation.objects.none()
    organisations = (Organisation.objects.active_on(clock.today()).filter(place_id__in=ancestor_ids(place.path))
                     .select_related("place"))
    return visible_to(user, action, organisations).order_by("-place__depth", "name")


def invitee_choices(user: Any, place: Place | None) -> QuerySet[Person]:
    """People the user may invite by name from a list: members of the organisations at, above or under the
    place, as far as the user may see people at all."""
    if place is None:
        return Person.objects.none()
    today = clock.today()
    serving = OrganisationMembership.objects.filter(
        Q(organisation__place_id__in=ancestor_ids(place.path)) | within_q("organisation__place__path", [place.path]),
        Q(term_to__isnull=True) | Q(term_to__gte=today)).values("person_id")
    return visible_to(user, "person.view", Person.objects.filter(pk__in=serving)).order_by("name_pinyin", "pk")


def meeting_list(user: Any, *, past: bool = False, place: Place | None = None) -> QuerySet[Meeting]:
    """Meetings the user may see: upcoming (not yet over, soonest first) or past (latest first), optionally
    under one place; each with its counts of resolutions and of people signed in."""
    now = clock.now()
    meetings = meetings_for(user)
    if place is not None:
        meetings = meetings.filter(within_q("place__path", [place.path]))
    meetings = meetings.annotate(
        resolution_count=Count("resolutions", distinct=True),
        present_count=Count("attendees", filter=Q(attendees__signed_in_at__isnull=False), distinct=True))
    if past:
        return meetings.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    return meetings.filter(ends_at__gte=now).order_by("starts_at", "pk")


def meeting_search(user: Any, *, place: Place | None = None, when: str = "", kind: str = "",
                   status: str = "") -> QuerySet[Meeting]:
    """Meetings the user may see, latest first, or with `when` "upcoming" or "past" as `meeting_list` has them;
    at or under `place`, of one kind and of one status (each filter only where given)."""
    if when:
        meetings = meeting_list(user, past=when == "past", place=place)
    else:
        meetings = meetings_for(user)
        if place is not None:
            meetings = meetings.filter(within_q("place__path", [place.path]))
    if kind:
        meetings = meetings.filter(kind=kind)
    if status:
        meetings = meetings.filter(status=status)
    return meetings


def _with_details(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    cases = Case.objects.select_related("place", "merged_into").order_by("created_at", "pk")
    return (meetings.select_related("place__parent", "created_by")
            .prefetch_related(
                Prefetch("agenda", queryset=AgendaItem.objects.order_by("position", "pk")),
                Prefetch("attendees", queryset=Attendee.objects.order_by("-invited", "pk")),
                Prefetch("resolutions", queryset=Resolution.objects.order_by("position", "pk")
                         .prefetch_related(Prefetch("cases", queryset=cases))),
                "notices"))


def access_meeting(actor: User, pk: int, action: str = "meeting.view", *, details: bool = False) -> Meeting:
    """The meeting for `action`: Http404 unless the actor sees it (`meetings_for`: the scope of their
    `meeting.view` roles), PermissionDenied when they see it but may not do `action`. With `details`, its
    agenda, attendees, resolutions and their cases come in a fixed number of queries, however many there are."""
    meetings = _with_details(meetings_for(actor)) if details else meetings_for(actor)
    return access_object(actor, meetings, action, view_action="meeting.view", missing=_("No such meeting."),
                         pk=pk)


def access_resolution(actor: User, pk: int, action: str = "meeting.view") -> Resolution:
    """A resolution of a meeting the actor sees (Http404 otherwise); PermissionDenied unless they may do
    `action` on that meeting, as the services ask."""
    resolutions = Resolution.objects.filter(meeting__in=meetings_for(actor)).select_related("meeting")
    resolution = access_object(actor, resolutions, "meeting.view", view_action="meeting.view",
                               missing=_("No such resolution."), pk=pk)
    if action != "meeting.view":
        require(actor, action, resolution.meeting)
    return resolution


def case_is_done(case: Case) -> bool:
    """Closed, or merged into a case that is closed (merged cases share its outcome)."""
    return case.outcome_case.stage in DONE_STAGES


@dataclass(frozen=True)
class Progress:
    done: int
    total: int


def case_progress(meeting: Meeting) -> Progress:
    """How many of the cases opened from the meeting's resolutions are closed (uses the prefetched cases)."""
    cases = {case.pk: case for resolution in meeting.resolutions.all() for case in resolution.cases.all()}
    return Progress(sum(1 for case in cases.values() if case_is_done(case)), len(cases))


@dataclass(frozen=True)
class AttendanceCount:
    present: int
    invited: int
    invited_present: int
    walk_ins: int


def attendance_count(meeting: Meeting) -> AttendanceCount:
    """Counted from the prefetched attendees."""
    attendees = list(meeting.attendees.all())
    invited = [a for a in attendees if a.invited]
    return AttendanceCount(
        present=sum(1 for a in attendees if a.signed_in_at), invited=len(invited),
        invited_present=sum(1 for a in invited if a.signed_in_at),
        walk_ins=sum(1 for a in attendees if not a.invited and a.signed_in_at))


def case_categories_for(user: Any) -> list[Category]:
    """Categories a resolution's case may take: active, open to this user reporting for a meeting, not a
    group of sub-categories, and asking no required question (a resolution answers none)."""
    categories = categories_open_to(reporter_kind(user, Channel.MEETING))
    parents = {c.parent_id for c in categories if c.parent_id}
    return [c for c in categories if c.pk not in parents and not any(q.required for q in c.questions.all())]


def calendar_meetings(user: Any) -> QuerySet[Meeting]:
    """The calendar feed: meetings the user may see from 30 days ago to 90 days ahead, with their agenda."""
    now = clock.now()
    return (meetings_for(user)
            .filter(starts_at__gte=now - datetime.timedelta(days=FEED_PAST_DAYS),
                    starts_at__lte=now + datetime.timedelta(days=FEED_FUTURE_DAYS))
            .prefetch_related(Prefetch("agenda", queryset=AgendaItem.objects.order_by("position", "pk")))
            .order_by("starts_at", "pk"))


def is_upcoming(meeting: Meeting) -> bool:
    return meeting.status == MeetingStatus.PLANNED and meeting.ends_at >= clock.now()
