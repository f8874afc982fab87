"""A roster import run in the background: the uploaded file, how far it got, and what it reported."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import ClockDateTimeField, TimeStampedModel


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    CHECKING = "checking", _("checking every row")
    WRITING = "writing", _("writing")
    DONE = "done", _("finished")
    FAILED = "failed", _("failed")


class ImportJob(TimeStampedModel):
    """One uploaded roster file on its way in; the page polls it while a worker imports it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="import_jobs")
    roster = models.CharField(_("roster"), max_length=32)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    dry_run = models.BooleanField(_("check only"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    finished_at = ClockDateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=models.F("total")) | Q(total=0), name="importjob_done_le_total"),
        ]

    def __str__(self) -> str:
        return f"{self.roster} {self.file_name} ({self.status})"

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """Each user sees the imports they started, and nobody else's."""
        return Q(user_id=user.pk) if getattr(user, "pk", None) else None

    def is_own(self, user, action: str) -> bool:
        return self.user_id == getattr(user, "pk", None)

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
