"""Activities and courses (活动与课程): an activity or course of a place and its organiser, its sessions, and the
people signed up for it (confirmed, or waiting in the order they signed up).

Capacity is a database invariant: `confirmed_count` is kept by the services with one conditional UPDATE
(`activity_confirmed_within_capacity`), so a rush of sign-ups can never confirm more people than there are places.
Each row carries its scope (the place's path, and its street's and community's) so that lists and figures by scope
read an index, not the place tree.

A person's calendar of their sign-ups is read by calendar apps, which cannot log in: each user who asks for it has a
secret token (`ActivityCalendarToken`) in the feed's address, which they can reset to a new one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.models.base import AuditHistory

__all__ = ["Activity", "ActivityCalendarToken", "ActivityKind", "ActivitySession", "ActivityStatus", "Audience", "Enrolment",
           "EnrolmentStatus"]


class ActivityKind(models.TextChoices):
    ACTIVITY = "activity", _("community activity")
    COURSE = "course", _("course")
    CAMP = "camp", _("holiday camp")
    TRAINING = "training", _("skills training")
    JOB_FAIR = "job_fair", _("job fair")
    HEALTH_CLINIC = "health_clinic", _("health clinic")
    OTHER = "other", _("other programme")


class Audience(models.TextChoices):
    """Who may sign up. Any audience may narrow itself further by an age range."""

    EVERYONE = "everyone", _("open to everyone")
    RESIDENTS = "residents", _("residents of the place")
    NEW_EMPLOYMENT = "new_employment", _("couriers, riders, drivers and their families")
    CHILDREN = "children", _("children of an age range")
    ENTERPRISES = "enterprises", _("enterprises of the business community")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("draft activity")
    PUBLISHED = "published", _("open for sign-up")
    CANCELLED = "cancelled", _("activity cancelled")


class Activity(TimeStampedModel):
    title = models.CharField(_("activity title"), max_length=200)
    kind = models.CharField(_("activity kind"), max_length=16, choices=ActivityKind.choices,
                            default=ActivityKind.ACTIVITY)
    description = models.TextField(_("activity description"), blank=True)
    place = models.ForeignKey("core.Place", verbose_name=_("held by (place)"), on_delete=models.PROTECT,
                              related_name="activities")
    organiser = models.ForeignKey("core.Organisation", verbose_name=_("organiser"), on_delete=models.PROTECT,
                                  related_name="activities")
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices, default=Audience.EVERYONE)
    min_age = models.PositiveSmallIntegerField(_("youngest age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("oldest age"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    confirmed_count = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    allow_walk_ins = models.BooleanField(_("walk-ins welcome"), default=False,
                                         help_text=_("Attendance may be taken for people who did not sign up."))
    signup_opens_at = models.DateTimeField(_("sign-up opens"))
    signup_closes_at = models.DateTimeField(_("sign-up closes"))
    fee = models.DecimalField(_("fee (yuan)"), max_digits=10, decimal_places=2, default=0)
    status = models.CharField(_("activity status"), max_length=12, choices=ActivityStatus.choices,
                              default=ActivityStatus.DRAFT, db_index=True)
    # Kept by the services from the sessions: lists order by them and the age rule reads the first day.
    first_starts_at = models.DateTimeField(_("first session"), null=True, blank=True, editable=False)
    last_ends_at = models.DateTimeField(_("last session ends"), null=True, blank=True, editable=False)
    place_path = models.CharField(max_length=255, editable=False)
    street_path = models.CharField(max_length=255, editable=False, default="")
    community_path = models.CharField(max_length=255, editable=False, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    history = AuditHistory()
    scope_path = "place_path"
    place_path_fields = ("place_path",)
    scope_prefixes = {"street_path": 2, "community_path": 3}

    class Meta:
        verbose_name = _("activity or course")
        verbose_name_plural = _("activities and courses")
        ordering = ["first_starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="activity_capacity_positive"),
            models.CheckConstraint(condition=Q(confirmed_count__lte=F("capacity")),
                                   name="activity_confirmed_within_capacity"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="activity_fee_not_negative"),
            models.CheckConstraint(condition=Q(signup_closes_at__gt=F("signup_opens_at")),
                                   name="activity_signup_window_ordered"),
            models.CheckConstraint(condition=Q(min_age__isnull=True) | Q(max_age__isnull=True)
                                   | Q(max_age__gte=F("min_age")), name="activity_age_range_ordered"),
            models.CheckConstraint(condition=~Q(audience="children") | Q(max_age__isnull=False),
                                   name="activity_children_have_age_range"),
        ]
        indexes = [
            models.Index(fields=["status", "first_starts_at"], name="activity_status_start"),
            models.Index(fields=["street_path", "first_starts_at"], name="activity_street_start"),
            models.Index(fields=["community_path", "first_starts_at"], name="activity_community_start"),
            models.Index(fields=["place_path", "first_starts_at"], name="activity_place_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def places_left(self) -> int:
        return self.capacity - self.confirmed_count

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """A published or cancelled activity is on the noticeboard: everyone signed in sees it."""
        if action == "activity.view" and getattr(user, "is_authenticated", False):
            return ~Q(status=ActivityStatus.DRAFT)
        return None

    def is_own(self, user, action: str) -> bool:
        return action == "activity.view" and getattr(user, "is_authenticated", False) and \
            self.status != ActivityStatus.DRAFT


class ActivitySession(TimeStampedModel):
    """One meeting of an activity: a course has many, an afternoon's activity one, a camp one per day."""

    activity = models.ForeignKey(Activity, verbose_name=_("activity or course"), on_delete=models.CASCADE,
                                 related_name="sessions")
    starts_at = models.DateTimeField(_("session starts"))
    ends_at = models.DateTimeField(_("session ends"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    zone = models.ForeignKey("programs.FacilityZone", verbose_name=_("zone of the facility"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="sessions")

    scope_path = "activity__place_path"

    class Meta:
        verbose_name = _("activity session")
        verbose_name_plural = _("activity sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="activitysession_ends_after_start"),
            models.UniqueConstraint(fields=["activity", "starts_at"], name="activitysession_one_per_start"),
        ]
        indexes = [models.Index(fields=["starts_at"], name="activitysession_start")]

    def __str__(self) -> str:
        return f"{self.activity} {self.starts_at:%Y-%m-%d %H:%M}"


class EnrolmentStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("place confirmed")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", _("sign-up cancelled")


class Enrolment(TimeStampedModel):
    """A person signed up for an activity, by themselves or by a member of their household (a parent for a child),
    or by staff at the desk. The waiting list is the activity's waiting enrolments in the order of their `pk`."""

    activity = models.ForeignKey(Activity, verbose_name=_("activity or course"), on_delete=models.PROTECT,
                                 related_name="enrolments")
    participant = models.ForeignKey("core.Person", verbose_name=_("participant"), on_delete=models.PROTECT,
                                    related_name="activity_enrolments")
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed up by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="activity_enrolments")
    status = models.CharField(_("sign-up status"), max_length=12, choices=EnrolmentStatus.choices)
    confirmed_at = models.DateTimeField(_("place confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    code = models.CharField(_("check-in code"), max_length=32, unique=True, editable=False)
    place_path = models.CharField(max_length=255, editable=False)

    history = AuditHistory()
    scope_path = "place_path"
    place_path_fields = ("place_path",)

    class Meta:
        verbose_name = _("activity sign-up")
        verbose_name_plural = _("activity sign-ups")
        ordering = ["activity", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "participant"], condition=~Q(status="cancelled"),
                                    name="enrolment_one_active_per_person"),
            models.CheckConstraint(condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                                   name="enrolment_confirmed_has_time"),
            models.CheckConstraint(condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                                   name="enrolment_cancelled_has_time"),
        ]
        indexes = [
            models.Index(fields=["activity", "status", "id"], name="enrolment_queue"),
            models.Index(fields=["participant", "status"], name="enrolment_participant"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.activity}"

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """A person sees their own sign-ups and the ones they made for others (their children)."""
        if action != "enrolment.view" or not getattr(user, "is_authenticated", False):
            return None
        condition = Q(enrolled_by_id=user.pk)
        if getattr(user, "person_id", None):
            condition |= Q(participant_id=user.person_id)
        return condition

    def is_own(self, user, action: str) -> bool:
        return action == "enrolment.view" and getattr(user, "is_authenticated", False) and (
            self.enrolled_by_id == user.pk or (bool(user.person_id) and self.participant_id == user.person_id))


class ActivityCalendarToken(TimeStampedModel):
    """The secret in the address of a user's own calendar feed (their and their children's confirmed sessions)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("account of the calendar link"), on_delete=models.CASCADE,
                                related_name="activity_calendar_token")
    token = models.CharField(_("calendar link secret"), max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("sign-up calendar link")
        verbose_name_plural = _("sign-up calendar links")

    def __str__(self) -> str:
        return str(self.user)
