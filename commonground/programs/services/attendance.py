"""Attendance and certificates: staff take a session's attendance from its list of confirmed sign-ups, by the
check-in code of a sign-up (a QR scanner types it), or for a walk-in where the activity welcomes them; a mistake
is removed the same day; a course's participants who attended enough of its sessions get a numbered certificate.

The rules, whatever the way in: only for someone with a confirmed sign-up (a walk-in only where the activity allows
walk-ins; never for someone waiting), never before the session's day, never for a cancelled activity, once per
person and session (the database holds it too).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import Person, User
from commonground.core.permissions import can, require

from ..models import (
    Activity,
    ActivityKind,
    ActivitySession,
    ActivityStatus,
    Attendance,
    AttendanceMethod,
    Certificate,
    Enrolment,
    EnrolmentStatus,
)
from ..rules import certificate_attendance

CERTIFICATE_KINDS = (ActivityKind.COURSE, ActivityKind.TRAINING)
# A code scanned this long before a session starts counts for it (people arrive early).
EARLY_CHECK_IN = datetime.timedelta(hours=1)


def _session_open(session: ActivitySession) -> None:
    """Attendance may be taken for the session: its activity runs and its day has come."""
    if session.activity.status == ActivityStatus.CANCELLED:
        raise ValidationError({"session": _("This activity is cancelled.")})
    if clock.today() < localtime(session.starts_at).date():
        raise ValidationError({"session": _("Attendance can be taken from the day of the session, %(day)s.")
                               % {"day": localtime(session.starts_at).date().isoformat()}})


def _locked_session(session: ActivitySession) -> ActivitySession:
    return ActivitySession.objects.select_for_update().select_related("activity").get(pk=session.pk)


def attendance_row(*, actor: User, session: ActivitySession, person_id: int, enrolment_id: int | None,
                   method: str, now: datetime.datetime) -> Attendance:
    """The attendance row as every way in writes it (the demo bulk-inserts exactly these)."""
    activity = session.activity
    return Attendance(session=session, activity_id=activity.pk, person_id=person_id, enrolment_id=enrolment_id,
                      method=method, recorded_by=actor, recorded_at=now, day=localtime(session.starts_at).date(),
                      place_path=activity.place_path, street_path=activity.street_path,
                      community_path=activity.community_path)


def _signed_up_refusal(enrolment: Enrolment | None, name: str) -> str | None:
    if enrolment is None or enrolment.status == EnrolmentStatus.CANCELLED:
        return _("%(name)s is not signed up for this activity.") % {"name": name}
    if enrolment.status == EnrolmentStatus.WAITING:
        return _("%(name)s is on the waiting list, not confirmed; attendance is only for confirmed places.") % {
            "name": name}
    return None


@transaction.atomic
def attendance_record(*, actor: User, session: ActivitySession, enrolment_ids: Iterable[int]) -> list[Attendance]:
    """The session's list: the confirmed sign-ups ticked present are recorded (all or nothing; those already
    present stay as they are). Returns the new rows."""
    session = _locked_session(session)
    require(actor, "attendance.record", session.activity)
    _session_open(session)
    wanted = set(enrolment_ids)
    enrolments = {e.pk: e for e in Enrolment.objects.filter(activity=session.activity_id, pk__in=wanted)
                  .select_related("participant")}
    errors = []
    for pk in sorted(wanted):
        enrolment = enrolments.get(pk)
        if refusal := _signed_up_refusal(enrolment, enrolment.participant.name if enrolment else str(pk)):
            errors.append(refusal)
    if errors:
        raise ValidationError({"enrolments": errors})
    present = set(Attendance.objects.filter(session=session).values_list("person_id", flat=True))
    now = clock.now()
    rows = [attendance_row(actor=actor, session=session, person_id=e.participant_id, enrolment_id=e.pk,
                           method=AttendanceMethod.LIST, now=now)
            for e in sorted(enrolments.values(), key=lambda e: e.pk) if e.participant_id not in present]
    return Attendance.objects.bulk_create(rows)


def running_session(activity: Activity) -> ActivitySession | None:
    """The activity's session running now: today's session that started last (up to an hour early)."""
    now = clock.now()
    today = clock.today()
    sessions = [s for s in activity.sessions.filter(starts_at__lte=now + EARLY_CHECK_IN).order_by("-starts_at")[:3]
                if localtime(s.starts_at).date() == today]
    return sessions[0] if sessions else None


@transaction.atomic
def attendance_by_code(*, actor: User, code: str, session: ActivitySession | None = None) -> Attendance:
    """A scanned check-in code: its sign-up's participant is present at `session` (default: the session of its
    activity running now)."""
    code = (code or "").strip()
    enrolment = Enrolment.objects.select_related("participant", "activity").filter(code=code).first() \
        if code else None
    # A code of an activity the actor does not run is no code to them (a guess learns nothing).
    if enrolment is None or not can(actor, "attendance.record", enrolment.activity):
        raise ValidationError({"code": _("No sign-up has this check-in code.")})
    if session is None:
        session = running_session(enrolment.activity)
        if session is None:
            raise ValidationError({"code": _("%(activity)s has no session today; choose the session first.")
                                   % {"activity": enrolment.activity.title}})
    elif session.activity_id != enrolment.activity_id:
        raise ValidationError({"code": _("This code is for another activity: %(activity)s.")
                               % {"activity": enrolment.activity.title}})
    session = _locked_session(session)
    _session_open(session)
    if refusal := _signed_up_refusal(enrolment, enrolment.participant.name):
        raise ValidationError({"code": refusal})
    _not_yet_present(session, enrolment.participant, "code")
    row = attendance_row(actor=actor, session=session, person_id=enrolment.participant_id,
                         enrolment_id=enrolment.pk, method=AttendanceMethod.CODE, now=clock.now())
    row.save()
    return row


def _not_yet_present(session: ActivitySession, person: Person, field: str) -> None:
    if Attendance.objects.filter(session=session, person=person).exists():
        raise ValidationError({field: _("%(name)s is already marked present at this session.")
                               % {"name": person.name}})


@transaction.atomic
def attendance_walk_in(*, actor: User, session: ActivitySession, person: Person) -> Attendance:
    """Someone at the door: with a confirmed sign-up they are ticked as on the list; without one they count as a
    walk-in only where the activity welcomes walk-ins; never while on the waiting list."""
    session = _locked_session(session)
    require(actor, "attendance.record", session.activity)
    _session_open(session)
    enrolment = Enrolment.objects.filter(activity=session.activity_id, participant=person).exclude(
        status=EnrolmentStatus.CANCELLED).first()
    if enrolment is not None and enrolment.status == EnrolmentStatus.WAITING:
        raise ValidationError({"person": _signed_up_refusal(enrolment, person.name)})
    if enrolment is None and not session.activity.allow_walk_ins:
        raise ValidationError({"person": _("%(name)s is not signed up for this activity, and it does not take "
                                           "walk-ins.") % {"name": person.name}})
    _not_yet_present(session, person, "person")
    row = attendance_row(actor=actor, session=session, person_id=person.pk,
                         enrolment_id=enrolment.pk if enrolment else None,
                         method=AttendanceMethod.LIST if enrolment else AttendanceMethod.WALK_IN, now=clock.now())
    row.save()
    return row


@transaction.atomic
def attendance_remove(*, actor: User, attendance: Attendance) -> None:
    """Undo a mistaken attendance, on the day it was recorded (after that the record stands)."""
    attendance = Attendance.objects.select_for_update().select_related("activity").get(pk=attendance.pk)
    require(actor, "attendance.record", attendance.activity)
    if localtime(attendance.recorded_at).date() != clock.today():
        raise ValidationError({"attendance": _("Attendance can only be removed on the day it was taken.")})
    if attendance.enrolment_id and Certificate.objects.filter(enrolment_id=attendance.enrolment_id).exists():
        raise ValidationError({"attendance": _("A certificate was issued on this attendance; it stands.")})
    attendance.delete()


def attendance_share(activity: Activity, person_ids: Iterable[int]) -> tuple[int, dict[int, int]]:
    """The activity's number of sessions and, per person, the sessions they attended (two queries)."""
    total = activity.sessions.count()
    attended = dict(Attendance.objects.filter(activity=activity, person_id__in=list(person_ids))
                    .values_list("person_id").annotate(n=Count("id")).values_list("person_id", "n"))
    return total, attended


def meets_threshold(attended: int, total: int) -> bool:
    """At least `certificate_attendance()` of the sessions (0.8 by default: 8 of 10, 4 of 5, 7 of 8)."""
    return total > 0 and Decimal(attended) >= Decimal(total) * certificate_attendance()


def certificate_refusal(activity: Activity) -> str | None:
    """Why the activity gives no certificates now, or None."""
    if activity.kind not in CERTIFICATE_KINDS:
        return _("Certificates are for courses and trainings.")
    if activity.status == ActivityStatus.CANCELLED:
        return _("This activity is cancelled.")
    if activity.last_ends_at is None or activity.last_ends_at > clock.now():
        return _("Certificates are issued once the course has ended.")
    return None


def _issue(*, actor: User, enrolment: Enrolment, attended: int, total: int, now: datetime.datetime) -> Certificate:
    year = localtime(now).year
    serial = (Certificate.objects.filter(year=year).aggregate(m=Max("serial"))["m"] or 0) + 1
    return Certificate.objects.create(
        enrolment=enrolment, activity_id=enrolment.activity_id, person_id=enrolment.participant_id, year=year,
        serial=serial, number=f"{year}-{serial:04d}", sessions_attended=attended, sessions_total=total,
        issued_at=now, issued_by=actor, place_path=enrolment.place_path)


def _lock_numbering(year: int) -> None:
    """Serialise the year's numbering: lock its last certificate, so a second issuer (of another course) waits and
    then reads the new last serial. The year's very first number has no row to lock; two issuers racing for it
    meet the `certificate_serial_per_year` constraint and the second fails instead of duplicating a number."""
    list(Certificate.objects.select_for_update().filter(year=year).order_by("-serial")[:1])


@transaction.atomic
def certificate_issue(*, actor: User, enrolment: Enrolment) -> Certificate:
    """The certificate of a confirmed participant of an ended course who attended enough of its sessions."""
    enrolment = Enrolment.objects.select_for_update().select_related("activity", "participant").get(pk=enrolment.pk)
    activity = Activity.objects.select_for_update().get(pk=enrolment.activity_id)
    require(actor, "activity.manage", activity)
    if refusal := certificate_refusal(activity):
        raise ValidationError({"enrolment": refusal})
    if enrolment.status != EnrolmentStatus.CONFIRMED:
        raise ValidationError({"enrolment": _("Only a confirmed participant can get a certificate.")})
    if Certificate.objects.filter(enrolment=enrolment).exists():
        raise ValidationError({"enrolment": _("%(name)s already has the certificate of this course.")
                               % {"name": enrolment.participant.name}})
    total, attended = attendance_share(activity, [enrolment.participant_id])
    count = attended.get(enrolment.participant_id, 0)
    if not meets_threshold(count, total):
        raise ValidationError({"enrolment": _("%(name)s attended %(count)s of %(total)s sessions; a certificate "
                                              "needs %(share)s%%.") % {
            "name": enrolment.participant.name, "count": count, "total": total,
            "share": int(certificate_attendance() * 100)}})
    _lock_numbering(localtime(clock.now()).year)
    return _issue(actor=actor, enrolment=enrolment, attended=count, total=total, now=clock.now())


@transaction.atomic
def certificates_issue_all(*, actor: User, activity: Activity) -> list[Certificate]:
    """Certificates for every confirmed participant of an ended course who attended enough and has none yet."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    require(actor, "activity.manage", activity)
    if refusal := certificate_refusal(activity):
        raise ValidationError({"activity": refusal})
    enrolments = list(Enrolment.objects.select_for_update().filter(
        ~Exists(Certificate.objects.filter(enrolment=OuterRef("pk"))), activity=activity,
        status=EnrolmentStatus.CONFIRMED).order_by("pk"))
    total, attended = attendance_share(activity, [e.participant_id for e in enrolments])
    now = clock.now()
    _lock_numbering(localtime(now).year)
    return [_issue(actor=actor, enrolment=e, attended=attended.get(e.participant_id, 0), total=total, now=now)
            for e in enrolments if meets_threshold(attended.get(e.participant_id, 0), total)]


def attendance_allowed(actor: User, session: ActivitySession) -> bool:
    """May the actor take this session's attendance now (the page shows the sheet's controls)?"""
    return can(actor, "attendance.record", session.activity) and \
        session.activity.status != ActivityStatus.CANCELLED and \
        clock.today() >= localtime(session.starts_at).date()


__all__ = ["attendance_by_code", "attendance_record", "attendance_remove", "attendance_walk_in",
           "certificate_issue", "certificates_issue_all", "meets_threshold", "running_session"]
