"""Activities and their sign-ups: create, edit (more places promote the waiting list), add, move or remove sessions
not started, publish, cancel; sign up oneself, a child of one's household, or (staff at the desk) a person they see
(a place or the waiting list); cancel a sign-up (the first on the waiting list takes the freed place); what the
pages may offer (`activity_allowed_actions`, `enrolment_allowed_actions`); the secret of a user's calendar feed.

Capacity under a rush: a sign-up locks the activity's row first, so concurrent sign-ups queue on it and the waiting
list keeps the order in which people signed up (their enrolments' `pk`); a place is taken with one conditional
UPDATE of the activity's `confirmed_count`, which the database checks never passes `capacity`.
"""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import Organisation, Person, Place, User
from commonground.core.models.places import scope_columns
from commonground.core.permissions import can, require

from ..audience import audience_refusal, may_sign_up_for
from ..models import (
    Activity,
    ActivityCalendarToken,
    ActivityKind,
    ActivitySession,
    ActivityStatus,
    Audience,
    Enrolment,
    EnrolmentStatus,
    FacilityZone,
)


def _check_activity_fields(*, capacity: int, signup_opens_at: datetime.datetime,
                           signup_closes_at: datetime.datetime, audience: str, min_age: int | None,
                           max_age: int | None, fee: Decimal, title: str) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the activity a title.")
    if capacity is None or capacity <= 0:
        errors["capacity"] = _("The number of places must be at least 1.")
    if signup_closes_at <= signup_opens_at:
        errors["signup_closes_at"] = _("Sign-up must close after it opens.")
    if fee is not None and fee < 0:
        errors["fee"] = _("The fee cannot be negative.")
    for field, age in (("min_age", min_age), ("max_age", max_age)):
        if age is not None and not 0 <= age <= 120:
            errors[field] = _("An age is between 0 and 120.")
    if min_age is not None and max_age is not None and max_age < min_age:
        errors["max_age"] = _("The oldest age cannot be below the youngest.")
    if audience == Audience.CHILDREN and max_age is None:
        errors["max_age"] = _("An activity for children needs the oldest age.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_create(*, actor: User, place: Place, organiser: Organisation, title: str, kind: str = ActivityKind.ACTIVITY,
                    capacity: int, signup_opens_at: datetime.datetime, signup_closes_at: datetime.datetime,
                    audience: str = Audience.EVERYONE, min_age: int | None = None, max_age: int | None = None,
                    description: str = "", allow_walk_ins: bool = False, fee: Decimal = Decimal("0")) -> Activity:
    """A draft activity of `place`, organised by `organiser` (an organisation at the place, above or below it)."""
    require(actor, "activity.manage", place)
    _check_activity_fields(capacity=capacity, signup_opens_at=signup_opens_at, signup_closes_at=signup_closes_at,
                           audience=audience, min_age=min_age, max_age=max_age, fee=fee, title=title)
    organiser_path = organiser.place.path
    if not (place.path.startswith(organiser_path) or organiser_path.startswith(place.path)):
        raise ValidationError({"organiser": _("The organiser must be an organisation of this place, or of a place "
                                              "above or below it.")})
    return Activity.objects.create(
        title=title.strip(), kind=kind, description=description, place=place, organiser=organiser,
        audience=audience, min_age=min_age, max_age=max_age, capacity=capacity, allow_walk_ins=allow_walk_ins,
        signup_opens_at=signup_opens_at, signup_closes_at=signup_closes_at, fee=fee, created_by=actor,
        **scope_columns(Activity, place.path))


def _locked(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().select_related("place").get(pk=activity.pk)


@transaction.atomic
def session_add(*, actor: User, activity: Activity, starts_at: datetime.datetime, ends_at: datetime.datetime,
                venue: str = "", zone: FacilityZone | None = None) -> ActivitySession:
    """A session of the activity, not in the past; the activity's first and last times follow."""
    activity = _locked(activity)
    require(actor, "activity.manage", activity)
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError({"starts_at": _("This activity is cancelled.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A session must end after it starts.")})
    if starts_at < clock.now():
        raise ValidationError({"starts_at": _("A session cannot start in the past.")})
    if zone is not None and not zone.facility.path.startswith(activity.place_path):
        raise ValidationError({"zone": _("The zone must belong to a facility of the activity's place.")})
    if activity.sessions.filter(starts_at=starts_at).exists():
        raise ValidationError({"starts_at": _("The activity already has a session at this time.")})
    session = ActivitySession.objects.create(activity=activity, starts_at=starts_at, ends_at=ends_at,
                                             venue=venue.strip(), zone=zone)
    activity.first_starts_at = min(filter(None, [activity.first_starts_at, starts_at]))
    activity.last_ends_at = max(filter(None, [activity.last_ends_at, ends_at]))
    activity.save(update_fields=["first_starts_at", "last_ends_at", "updated_at"])
    return session


@transaction.atomic
def activity_publish(*, actor: User, activity: Activity) -> Activity:
    """Open a draft for sign-up: it needs a session, and its last session must not be over."""
    activity = _locked(activity)
    require(actor, "activity.manage", activity)
    if activity.status != ActivityStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft can be published.")})
    if activity.first_starts_at is None:
        raise ValidationError({"status": _("Add at least one session before publishing.")})
    activity.status = ActivityStatus.PUBLISHED
    activity.save(update_fields=["status", "updated_at"])
    return activity


@transaction.atomic
def activity_cancel(*, actor: User, activity: Activity) -> Activity:
    """Cancel an activity that has not ended; its sign-ups stay on record (the people are told by the page)."""
    activity = _locked(activity)
    require(actor, "activity.manage", activity)
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError({"status": _("This activity is already cancelled.")})
    if activity.last_ends_at is not None and activity.last_ends_at <= clock.now():
        raise ValidationError({"status": _("This activity is over; it can no longer be cancelled.")})
    activity.status = ActivityStatus.CANCELLED
    activity.save(update_fields=["status", "updated_at"])
    return activity


def _first_day(activity: Activity) -> datetime.date:
    """The day ages are counted on: the activity's first day (today for an activity without sessions)."""
    return localtime(activity.first_starts_at or clock.now()).date()


def sign_up_refusal(actor: User, activity: Activity, participant: Person) -> str | None:
    """Why `actor` may not sign `participant` up now (a sentence), or None."""
    now = clock.now()
    if activity.status != ActivityStatus.PUBLISHED:
        return _("This activity is not open for sign-up.")
    if now < activity.signup_opens_at:
        return _("Sign-up opens on %(when)s.") % {"when": localtime(activity.signup_opens_at)
                                                  .strftime("%Y-%m-%d %H:%M")}
    if now >= activity.signup_closes_at:
        return _("Sign-up has closed.")
    day = _first_day(activity)
    if not can(actor, "enrolment.manage", activity) and not may_sign_up_for(actor, participant, day):
        return _("You may sign up yourself, or a child of your household.")
    return audience_refusal(activity, participant, day)


@transaction.atomic
def enrolment_create(*, actor: User, activity: Activity, participant: Person | None = None) -> Enrolment:
    """Sign `participant` (the actor's own person by default) up: a confirmed place while places are left and
    nobody is waiting, otherwise a place on the waiting list."""
    if not can(actor, "activity.view", activity):
        raise PermissionDenied(_("You do not have permission to do this here."))
    if participant is None:
        if not actor.person_id:
            raise ValidationError({"participant": _("Your account is not linked to a person; ask the community "
                                                    "to link it before signing up.")})
        participant = actor.person
    # The activity's row is locked for the whole sign-up: concurrent sign-ups queue on it, so places go to the
    # first comers and the waiting list's pk order is the order in which people signed up.
    activity = _locked(activity)
    if refusal := sign_up_refusal(actor, activity, participant):
        raise ValidationError({"participant": refusal})
    if participant.pk != actor.person_id and not may_sign_up_for(actor, participant, _first_day(activity)) \
            and not can(actor, "person.view", participant):
        raise PermissionDenied(_("You do not have permission to do this here."))
    already = _("%(name)s is already signed up for this activity.") % {"name": participant.name}
    if Enrolment.objects.filter(activity=activity, participant=participant).exclude(
            status=EnrolmentStatus.CANCELLED).exists():
        raise ValidationError({"participant": already})
    now = clock.now()
    queue_empty = not Enrolment.objects.filter(activity=activity, status=EnrolmentStatus.WAITING).exists()
    took_place = queue_empty and Activity.objects.filter(
        pk=activity.pk, status=ActivityStatus.PUBLISHED, confirmed_count__lt=F("capacity"),
    ).update(confirmed_count=F("confirmed_count") + 1) == 1
    try:
        with transaction.atomic():
            return Enrolment.objects.create(
                activity=activity, participant=participant, enrolled_by=actor,
                status=EnrolmentStatus.CONFIRMED if took_place else EnrolmentStatus.WAITING,
                confirmed_at=now if took_place else None, code=secrets.token_urlsafe(12),
                place_path=activity.place_path)
    except IntegrityError:  # the same person signed up at the same moment from another device
        raise ValidationError({"participant": already}) from None


def promote_waiting(activity: Activity) -> list[Enrolment]:
    """Give free places to the waiting list in order; call with the activity's row locked."""
    promoted = []
    now = clock.now()
    free = activity.capacity - Activity.objects.values_list("confirmed_count", flat=True).get(pk=activity.pk)
    if free <= 0:
        return promoted
    for enrolment in Enrolment.objects.select_for_update().filter(
            activity=activity, status=EnrolmentStatus.WAITING).order_by("pk")[:free]:
        enrolment.status, enrolment.confirmed_at = EnrolmentStatus.CONFIRMED, now
        enrolment.save(update_fields=["status", "confirmed_at", "updated_at"])
        promoted.append(enrolment)
    if promoted:
        Activity.objects.filter(pk=activity.pk).update(confirmed_count=F("confirmed_count") + len(promoted))
    return promoted


@transaction.atomic
def enrolment_cancel(*, actor: User, enrolment: Enrolment) -> Enrolment:
    """Cancel a sign-up (one's own, one made for a child, or by staff); a freed place goes to the first waiting."""
    activity = _locked(enrolment.activity)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if not can(actor, "enrolment.view", enrolment):
        raise PermissionDenied(_("You do not have permission to do this here."))
    if not enrolment.is_own(actor, "enrolment.view"):
        require(actor, "enrolment.manage", enrolment)
    if enrolment.status == EnrolmentStatus.CANCELLED:
        raise ValidationError({"status": _("This sign-up is already cancelled.")})
    if activity.last_ends_at is not None and activity.last_ends_at <= clock.now():
        raise ValidationError({"status": _("This activity is over; its sign-ups stay on record.")})
    was_confirmed = enrolment.status == EnrolmentStatus.CONFIRMED
    enrolment.status, enrolment.cancelled_at = EnrolmentStatus.CANCELLED, clock.now()
    enrolment.save(update_fields=["status", "cancelled_at", "updated_at"])
    if was_confirmed:
        Activity.objects.filter(pk=activity.pk).update(confirmed_count=F("confirmed_count") - 1)
        promote_waiting(activity)
    return enrolment


EDITABLE_FIELDS = ("title", "kind", "description", "organiser", "audience", "min_age", "max_age", "capacity",
                   "allow_walk_ins", "signup_opens_at", "signup_closes_at", "fee")


@transaction.atomic
def activity_update(*, actor: User, activity: Activity, **changes) -> Activity:
    """Edit a draft or published activity (its place stays). More places give the waiting list its places in
    order; fewer places than people confirmed are refused (cancel sign-ups first)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"activity_update() cannot change {', '.join(sorted(unknown))}")
    activity = _locked(activity)
    require(actor, "activity.manage", activity)
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError({"status": _("This activity is cancelled.")})
    values = {field: changes.get(field, getattr(activity, field)) for field in EDITABLE_FIELDS}
    if isinstance(values["title"], str):
        values["title"] = values["title"].strip()
    _check_activity_fields(capacity=values["capacity"], signup_opens_at=values["signup_opens_at"],
                           signup_closes_at=values["signup_closes_at"], audience=values["audience"],
                           min_age=values["min_age"], max_age=values["max_age"], fee=values["fee"],
                           title=values["title"])
    if values["capacity"] < activity.confirmed_count:
        raise ValidationError({"capacity": _("%(count)s people already have a confirmed place; cancel sign-ups "
                                             "before lowering the places below that.") %
                                           {"count": activity.confirmed_count}})
    organiser = values["organiser"]
    if organiser.pk != activity.organiser_id:
        organiser_path = organiser.place.path
        if not (activity.place_path.startswith(organiser_path) or organiser_path.startswith(activity.place_path)):
            raise ValidationError({"organiser": _("The organiser must be an organisation of this place, or of a "
                                                  "place above or below it.")})
    more_places = values["capacity"] > activity.capacity
    for field, value in values.items():
        setattr(activity, field, value)
    activity.save(update_fields=[*EDITABLE_FIELDS, "updated_at"])
    if more_places:
        promote_waiting(activity)
        activity.refresh_from_db(fields=["confirmed_count"])
    return activity


def _session_times(activity: Activity) -> None:
    """The activity's first and last times from its sessions (the row is locked by the caller)."""
    from django.db.models import Max, Min

    times = activity.sessions.aggregate(first=Min("starts_at"), last=Max("ends_at"))
    activity.first_starts_at, activity.last_ends_at = times["first"], times["last"]
    activity.save(update_fields=["first_starts_at", "last_ends_at", "updated_at"])


def _locked_session(session: ActivitySession) -> tuple[Activity, ActivitySession]:
    activity = _locked(session.activity)
    return activity, ActivitySession.objects.select_for_update().get(pk=session.pk)


@transaction.atomic
def session_update(*, actor: User, session: ActivitySession, starts_at: datetime.datetime,
                   ends_at: datetime.datetime, venue: str = "", zone: FacilityZone | None = None) -> ActivitySession:
    """Move or re-equip a session that has not started (to a time not in the past)."""
    activity, session = _locked_session(session)
    require(actor, "activity.manage", activity)
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError({"starts_at": _("This activity is cancelled.")})
    if session.starts_at <= clock.now():
        raise ValidationError({"starts_at": _("This session has started; it stays as it was.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A session must end after it starts.")})
    if starts_at < clock.now():
        raise ValidationError({"starts_at": _("A session cannot start in the past.")})
    if zone is not None and not zone.facility.path.startswith(activity.place_path):
        raise ValidationError({"zone": _("The zone must belong to a facility of the activity's place.")})
    if activity.sessions.filter(starts_at=starts_at).exclude(pk=session.pk).exists():
        raise ValidationError({"starts_at": _("The activity already has a session at this time.")})
    session.starts_at, session.ends_at, session.venue, session.zone = starts_at, ends_at, venue.strip(), zone
    session.save(update_fields=["starts_at", "ends_at", "venue", "zone", "updated_at"])
    _session_times(activity)
    return session


@transaction.atomic
def session_remove(*, actor: User, session: ActivitySession) -> None:
    """Remove a session that has not started; a published activity keeps at least one."""
    activity, session = _locked_session(session)
    require(actor, "activity.manage", activity)
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError({"session": _("This activity is cancelled.")})
    if session.starts_at <= clock.now():
        raise ValidationError({"session": _("This session has started; it stays on record.")})
    if activity.status == ActivityStatus.PUBLISHED and activity.sessions.count() == 1:
        raise ValidationError({"session": _("A published activity keeps at least one session; cancel the "
                                            "activity instead.")})
    session.delete()
    _session_times(activity)


def activity_allowed_actions(actor: User, activity: Activity) -> set[str]:
    """What the pages offer on `activity`: "sign_up" (for oneself or a child; the page explains a refusal),
    "manage" (edit, sessions), "publish", "cancel", "enrolments" (the list and its export), "desk" (sign
    someone up at the desk)."""
    actions: set[str] = set()
    over = activity.last_ends_at is not None and activity.last_ends_at <= clock.now()
    if activity.status == ActivityStatus.PUBLISHED and not over:
        actions.add("sign_up")
    if can(actor, "activity.manage", activity):
        if activity.status != ActivityStatus.CANCELLED:
            actions.add("manage")
            if not over:
                actions.add("cancel")
        if activity.status == ActivityStatus.DRAFT:
            actions.add("publish")
    if can(actor, "enrolment.manage", activity):
        actions.add("enrolments")
        if activity.status == ActivityStatus.PUBLISHED and not over:
            actions.add("desk")
    return actions


def enrolment_allowed_actions(actor: User, enrolment: Enrolment) -> set[str]:
    """"cancel" while the sign-up stands and the activity is not over, for its own people or staff."""
    activity = enrolment.activity
    if enrolment.status == EnrolmentStatus.CANCELLED or (
            activity.last_ends_at is not None and activity.last_ends_at <= clock.now()):
        return set()
    if enrolment.is_own(actor, "enrolment.view") or can(actor, "enrolment.manage", enrolment):
        return {"cancel"}
    return set()


@transaction.atomic
def calendar_token_reset(*, actor: User) -> ActivityCalendarToken:
    """A new secret for the user's own calendar feed (the old address stops working)."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("You do not have permission to do this here."))
    token, _created = ActivityCalendarToken.objects.select_for_update().get_or_create(
        user=actor, defaults={"token": secrets.token_urlsafe(24)})
    if not _created:
        token.token = secrets.token_urlsafe(24)
        token.save(update_fields=["token", "updated_at"])
    return token
