"""Attendance and certificates (签到与结业证书): who was present at which session of an activity, and the certificate
of a person who completed a course.

An attendance row is the record the programme figures count (activities held, attendances, distinct participants,
by month), so it carries what the figures group by: the activity's scope paths (copied when recorded) and the
session's local day. One row per person and session (`attendance_one_per_session`); a walk-in is the one row
without a sign-up (`attendance_walk_in_has_no_enrolment`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.models.base import AuditHistory

__all__ = ["Attendance", "AttendanceMethod", "Certificate"]


class AttendanceMethod(models.TextChoices):
    LIST = "list", _("ticked on the attendance list")
    CODE = "code", _("check-in code scanned")
    WALK_IN = "walk_in", _("walk-in without sign-up")


class Attendance(TimeStampedModel):
    session = models.ForeignKey("programs.ActivitySession", verbose_name=_("activity session"),
                                on_delete=models.PROTECT, related_name="attendances")
    activity = models.ForeignKey("programs.Activity", verbose_name=_("activity or course"),
                                 on_delete=models.PROTECT, related_name="attendances")
    person = models.ForeignKey("core.Person", verbose_name=_("participant present"), on_delete=models.PROTECT,
                               related_name="activity_attendances")
    enrolment = models.ForeignKey("programs.Enrolment", verbose_name=_("activity sign-up"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="attendances")
    method = models.CharField(_("how attendance was taken"), max_length=8, choices=AttendanceMethod.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("attendance taken by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("attendance taken at"))
    day = models.DateField(_("day of the session"))  # local day of the session: figures by day and month
    place_path = models.CharField(max_length=255, editable=False)
    street_path = models.CharField(max_length=255, editable=False, default="")
    community_path = models.CharField(max_length=255, editable=False, default="")

    history = AuditHistory()  # a removed mark (a mistake at the door) stays on record, with who removed it
    scope_path = "place_path"
    place_path_fields = ("place_path",)
    scope_prefixes = {"street_path": 2, "community_path": 3}

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_one_per_session"),
            models.CheckConstraint(condition=Q(method="walk_in", enrolment__isnull=True)
                                   | (~Q(method="walk_in") & Q(enrolment__isnull=False)),
                                   name="attendance_walk_in_has_no_enrolment"),
        ]
        indexes = [
            models.Index(fields=["place_path", "day"], name="attendance_place_day"),
            models.Index(fields=["street_path", "day"], name="attendance_street_day"),
            models.Index(fields=["community_path", "day"], name="attendance_community_day"),
            models.Index(fields=["person", "day"], name="attendance_person_day"),
            models.Index(fields=["activity", "day"], name="attendance_activity_day"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """A person sees their own attendance (their participation record)."""
        if action == "participation.view" and getattr(user, "person_id", None):
            return Q(person_id=user.person_id)
        return None

    def is_own(self, user, action: str) -> bool:
        return action == "participation.view" and bool(getattr(user, "person_id", None)) and \
            self.person_id == user.person_id


class Certificate(TimeStampedModel):
    """A course completed: numbered per year ("2023-0001"), one per sign-up."""

    enrolment = models.OneToOneField("programs.Enrolment", verbose_name=_("activity sign-up"),
                                     on_delete=models.PROTECT, related_name="certificate")
    activity = models.ForeignKey("programs.Activity", verbose_name=_("activity or course"),
                                 on_delete=models.PROTECT, related_name="certificates")
    person = models.ForeignKey("core.Person", verbose_name=_("certificate holder"), on_delete=models.PROTECT,
                               related_name="activity_certificates")
    year = models.PositiveSmallIntegerField(_("certificate year"))
    serial = models.PositiveIntegerField(_("serial number in the year"))
    number = models.CharField(_("certificate number"), max_length=16, unique=True)
    sessions_attended = models.PositiveIntegerField(_("sessions attended"))
    sessions_total = models.PositiveIntegerField(_("sessions of the course"))
    issued_at = models.DateTimeField(_("certificate issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("certificate issued by"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")
    place_path = models.CharField(max_length=255, editable=False)

    history = AuditHistory()
    scope_path = "place_path"
    place_path_fields = ("place_path",)

    class Meta:
        verbose_name = _("course certificate")
        verbose_name_plural = _("course certificates")
        ordering = ["year", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="certificate_serial_per_year"),
            models.CheckConstraint(condition=Q(serial__gt=0), name="certificate_serial_positive"),
            models.CheckConstraint(condition=Q(sessions_attended__lte=models.F("sessions_total"))
                                   & Q(sessions_total__gt=0), name="certificate_attended_within_sessions"),
        ]
        indexes = [models.Index(fields=["place_path", "issued_at"], name="certificate_place_issued")]

    def __str__(self) -> str:
        return self.number

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        if action == "participation.view" and getattr(user, "person_id", None):
            return Q(person_id=user.person_id)
        return None

    def is_own(self, user, action: str) -> bool:
        return action == "participation.view" and bool(getattr(user, "person_id", None)) and \
            self.person_id == user.person_id
