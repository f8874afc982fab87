"""Reads of the attendance part: the sessions to take attendance for, a session's sheet, a person's participation
record, certificates, and the participation figures (per month, organiser and scope) — each filtered by the
actor's scope in the database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import Person, Place
from commonground.core.permissions import require, scope_condition, scope_paths, visible_to

from .models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Attendance,
    Certificate,
    Enrolment,
    EnrolmentStatus,
)
from .services.attendance import meets_threshold

SESSIONS_BACK = datetime.timedelta(days=7)
SESSIONS_AHEAD = datetime.timedelta(days=2)


def in_scope(actor: Any, action: str, queryset: QuerySet) -> QuerySet:
    """Rows under the places where the actor holds `action` (their own rows do not count: figures are staff's)."""
    paths = scope_paths(actor, action)
    if paths is None:
        return queryset
    if not paths:
        return queryset.none()
    return queryset.filter(scope_condition(queryset.model, paths, action))


def access_activity(actor: Any, pk: int, action: str = "activity.view") -> Activity:
    """The activity the actor sees (404 otherwise), for `action` (403 when seen but not theirs)."""
    try:
        activity = visible_to(actor, "activity.view", Activity.objects.select_related("place", "organiser")).get(
            pk=pk)
    except Activity.DoesNotExist:
        raise Http404(_("No such activity.")) from None
    if action != "activity.view":
        require(actor, action, activity)
    return activity


def access_session(actor: Any, pk: int, action: str = "attendance.record") -> ActivitySession:
    """A session of an activity the actor sees (404 otherwise); 403 unless they may take its attendance."""
    activities = visible_to(actor, "activity.view", Activity.objects.all())
    try:
        session = ActivitySession.objects.select_related("activity__place", "activity__organiser", "zone").get(
            pk=pk, activity__in=activities)
    except ActivitySession.DoesNotExist:
        raise Http404(_("No such session.")) from None
    require(actor, action, session.activity)
    return session


def sessions_to_take(actor: Any) -> QuerySet[ActivitySession]:
    """Sessions of the last week and the next two days at places where the actor takes attendance."""
    now = clock.now()
    since = localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) - SESSIONS_BACK
    activities = in_scope(actor, "attendance.record", Activity.objects.exclude(status=ActivityStatus.DRAFT))
    return (ActivitySession.objects.filter(activity__in=activities, starts_at__gte=since,
                                           starts_at__lte=now + SESSIONS_AHEAD)
            .select_related("activity__place").annotate(present=Count("attendances"))
            .order_by("-starts_at", "pk"))


@dataclass
class SheetRow:
    enrolment: Enrolment
    attendance_id: int | None


def sheet(session: ActivitySession) -> tuple[list[SheetRow], list[Attendance]]:
    """The session's list: its confirmed sign-ups with their attendance (if taken), in name order; and the
    walk-ins present. Two queries."""
    present = Attendance.objects.filter(session=session, person=OuterRef("participant_id"))
    enrolments = (Enrolment.objects.filter(activity_id=session.activity_id, status=EnrolmentStatus.CONFIRMED)
                  .select_related("participant").annotate(attendance_id=Subquery(present.values("pk")[:1]))
                  .order_by("participant__name", "pk"))
    walk_ins = list(Attendance.objects.filter(session=session, enrolment__isnull=True).select_related("person")
                    .order_by("recorded_at", "pk"))
    return [SheetRow(e, e.attendance_id) for e in enrolments], walk_ins


def certificate_rows(activity: Activity) -> list[dict[str, Any]]:
    """A course's confirmed participants: sessions attended, whether they qualify, their certificate."""
    total = activity.sessions.count()
    attended = Attendance.objects.filter(activity=activity, person=OuterRef("participant_id")).values(
        "person").annotate(n=Count("pk")).values("n")
    rows = (Enrolment.objects.filter(activity=activity, status=EnrolmentStatus.CONFIRMED)
            .select_related("participant", "certificate").annotate(attended=Subquery(attended))
            .order_by("participant__name", "pk"))
    result = []
    for enrolment in rows:
        count = enrolment.attended or 0
        certificate = getattr(enrolment, "certificate", None)
        result.append({"enrolment": enrolment, "attended": count, "total": total,
                       "qualifies": meets_threshold(count, total), "certificate": certificate})
    return result


def access_certificate(actor: Any, pk: int) -> Certificate:
    """A certificate: its holder's own, or one of a course in the actor's scope; 404 otherwise."""
    rows = visible_to(actor, "participation.view", Certificate.objects.select_related(
        "activity__place", "activity__organiser", "person", "issued_by"))
    try:
        return rows.get(pk=pk)
    except Certificate.DoesNotExist:
        raise Http404(_("No such certificate.")) from None


@dataclass
class Record:
    person: Person
    activities: list[dict[str, Any]]  # per activity attended: activity, sessions, first and last day
    courses_completed: list[Certificate]
    attendances: int


RECORD_LIMIT = 200


def participation_record(person: Person, attendances: QuerySet[Attendance],
                         certificates: QuerySet[Certificate]) -> Record:
    """A person's record from the attendance and certificate rows given (already narrowed to what the viewer may
    see): activities attended (latest first), courses completed. Three queries."""
    rows = list(attendances.filter(person=person).values("activity").annotate(
        sessions=Count("pk"), first=Min("day"), last=Max("day")).order_by("-last", "activity")[
        :RECORD_LIMIT])
    activities = Activity.objects.select_related("place", "organiser").in_bulk([row["activity"] for row in rows])
    return Record(person=person,
                  activities=[{**row, "activity": activities[row["activity"]]} for row in rows],
                  courses_completed=list(certificates.filter(person=person).select_related("activity")
                                         .order_by("-issued_at", "pk")),
                  attendances=sum(row["sessions"] for row in rows))


def own_record(actor: Any) -> Record | None:
    if not getattr(actor, "person_id", None):
        return None
    person = actor.person
    return participation_record(person, Attendance.objects.all(), Certificate.objects.all())


def staff_record(actor: Any, pk: int) -> Record:
    """A person's participation inside the actor's scope; 404 when the person took no part there."""
    attendances = in_scope(actor, "participation.view", Attendance.objects.all())
    enrolments = in_scope(actor, "participation.view", Enrolment.objects.all())
    person = Person.objects.filter(pk=pk).filter(
        Exists(attendances.filter(person=OuterRef("pk"))) | Exists(enrolments.filter(participant=OuterRef("pk")))
    ).first()
    if person is None:
        raise Http404(_("No participation of this person in your area."))
    return participation_record(person, attendances, in_scope(actor, "participation.view", Certificate.objects.all()))


# -- figures ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FigureFilters:
    start: datetime.date
    end: datetime.date
    place: Place | None = None  # narrow to a place inside the actor's scope


def default_period() -> tuple[datetime.date, datetime.date]:
    """The twelve months up to today."""
    today = clock.today()
    start = (today.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
    return start, today


def figure_rows(actor: Any, filters: FigureFilters) -> QuerySet[Attendance]:
    rows = in_scope(actor, "participation.view", Attendance.objects.all()).filter(
        day__gte=filters.start, day__lte=filters.end)
    if filters.place is not None:
        rows = rows.filter(scope_condition(Attendance, [filters.place.path]))
    return rows


FIGURES = {"activities": Count("activity", distinct=True), "attendances": Count("pk"),
           "participants": Count("person", distinct=True)}


def participation_figures(actor: Any, filters: FigureFilters) -> dict[str, Any]:
    """Activities held (with attendance taken), attendances and distinct participants: in total, by month, per
    organiser and per scope (street, community or business community). Six queries, whatever the rows."""
    rows = figure_rows(actor, filters)
    total = rows.aggregate(**FIGURES)
    by_month = [{**row, "month": row["month"]} for row in rows.annotate(month=TruncMonth("day")).values("month")
                .annotate(**FIGURES).order_by("month")]
    organisers = list(rows.values("activity__organiser", "activity__organiser__name").annotate(**FIGURES)
                      .order_by("-attendances", "activity__organiser__name")[:50])
    scopes = list(rows.values("community_path").annotate(**FIGURES).order_by("-attendances", "community_path")[:80])
    streets = list(rows.values("street_path").annotate(**FIGURES).order_by("-attendances", "street_path")[:40])
    places = {p.path: p for p in Place.objects.filter(
        path__in=[r["community_path"] for r in scopes] + [r["street_path"] for r in streets])}
    for row in scopes:
        row["place"] = places.get(row["community_path"])
    for row in streets:
        row["place"] = places.get(row["street_path"])
    for row in by_month:
        month = row["month"]
        row["month"] = month.date() if isinstance(month, datetime.datetime) else month
    return {"total": total, "by_month": by_month, "organisers": organisers, "scopes": scopes, "streets": streets}


def figure_table(actor: Any, filters: FigureFilters) -> QuerySet:
    """The export's rows: per scope (street, community or business community) and month."""
    return (figure_rows(actor, filters).annotate(month=TruncMonth("day"))
            .values("street_path", "community_path", "month").annotate(**FIGURES)
            .order_by("street_path", "community_path", "month"))


def places_by_path(paths: set[str]) -> dict[str, Place]:
    return {p.path: p for p in Place.objects.filter(path__in=paths)}

