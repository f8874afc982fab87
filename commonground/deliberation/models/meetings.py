"""Deliberation meetings (议事会, 说事亭, 三和楼事会, 小哥面对面): agenda, attendance, minutes, resolutions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.models.base import AuditHistory

from ..boards import boards_above_home


class MeetingKind(models.TextChoices):
    COUNCIL = "council", _("deliberation council (议事会)")
    PAVILION = "pavilion", _("talk pavilion (说事亭)")
    BUILDING = "building", _("building meeting (三和楼事会)")
    COURIERS = "couriers", _("couriers face to face (小哥面对面)")
    ASSEMBLY = "assembly", _("owners' assembly")
    JOINT = "joint", _("three-party joint meeting (联席会议)")
    OTHER = "other", _("other meeting")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class Meeting(TimeStampedModel):
    place = models.ForeignKey("core.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="meetings")
    convener = models.ForeignKey("core.Organisation", verbose_name=_("convened by"), on_delete=models.PROTECT,
                                 related_name="meetings")
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.COUNCIL)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=MeetingStatus.choices,
                              default=MeetingStatus.PLANNED)
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))

    history = AuditHistory()
    scope_path = "place__path"

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_times_ordered"),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """A resident sees the meetings announced on the boards above their home (`boards_above_home`)."""
        boards = boards_above_home(user, action) if action == "meeting.view" else []
        if not boards:
            return None
        from .notices import Notice

        return Q(pk__in=Notice.objects.filter(place_id__in=boards, meeting__isnull=False).values("meeting_id"))

    def is_own(self, user, action: str) -> bool:
        return action == "meeting.view" and self.place_id in boards_above_home(user, action) and \
            self.notices.exists()


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("item"), max_length=200)
    presenter = models.CharField(_("presented by"), max_length=100, blank=True)

    scope_path = "meeting__place__path"

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Attendee(models.Model):
    """An invitee or a walk-in; signed in when present."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    person = models.ForeignKey("core.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    affiliation = models.CharField(_("affiliation"), max_length=100, blank=True)
    invited = models.BooleanField(_("invited"), default=True)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)

    scope_path = "meeting__place__path"

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], condition=Q(person__isnull=False),
                                    name="attendee_person_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Resolution(TimeStampedModel):
    """What the meeting resolved; it may open cases in the case engine and follows their progress."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("resolution"))
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="resolutions", verbose_name=_("cases"))

    scope_path = "meeting__place__path"

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
