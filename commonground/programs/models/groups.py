"""New employment groups (新就业群体): people who declare themselves couriers, riders or drivers, with their
platform or company. Opt-in and revocable: a revoked declaration keeps its history but no longer counts anywhere
(lists, audiences, figures read active declarations only)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.models.base import AuditHistory

__all__ = ["EmploymentDeclaration", "EmploymentGroup"]


class EmploymentGroup(models.TextChoices):
    COURIER = "courier", _("parcel courier")
    RIDER = "rider", _("takeaway rider")
    DRIVER = "driver", _("ride-hailing driver")
    OTHER = "other", _("other platform worker")


class EmploymentDeclaration(TimeStampedModel):
    """A person's own statement that they work in a new employment group, where they live or are attached (the
    estate of their flat, or the couriers' home), so that staff of that place see them."""

    person = models.ForeignKey("core.Person", verbose_name=_("declared by (person)"), on_delete=models.PROTECT,
                               related_name="employment_declarations")
    group = models.CharField(_("new employment group"), max_length=12, choices=EmploymentGroup.choices)
    platform = models.CharField(_("platform or company"), max_length=100)
    place = models.ForeignKey("core.Place", verbose_name=_("lives or works at"), on_delete=models.PROTECT,
                              related_name="employment_declarations")
    place_path = models.CharField(max_length=255, editable=False)
    declared_at = models.DateTimeField(_("declared at"))
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")

    history = AuditHistory()
    scope_path = "place_path"
    place_path_fields = ("place_path",)

    class Meta:
        verbose_name = _("new employment declaration")
        verbose_name_plural = _("new employment declarations")
        ordering = ["place_path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(revoked_at__isnull=True),
                                    name="employmentdeclaration_one_active_per_person"),
            models.CheckConstraint(condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=F("declared_at")),
                                   name="employmentdeclaration_revoked_after_declared"),
        ]
        indexes = [models.Index(fields=["place_path"], condition=Q(revoked_at__isnull=True),
                                name="employmentdecl_active_path")]

    def __str__(self) -> str:
        return f"{self.get_group_display()} · {self.platform}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """A person sees (and withdraws) their own declarations."""
        if action in ("employment.view", "employment.manage") and getattr(user, "person_id", None):
            return Q(person_id=user.person_id)
        return None

    def is_own(self, user, action: str) -> bool:
        return action in ("employment.view", "employment.manage") and \
            self.person_id == getattr(user, "person_id", None) is not None
