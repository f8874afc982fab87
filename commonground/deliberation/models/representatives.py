"""Renewal representatives (居民自愿有机更新委员会): one representative per building."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.models.base import AuditHistory


class RepresentativeStatus(models.TextChoices):
    NOMINATED = "nominated", _("nominated")
    REGISTERED = "registered", _("registered")
    APPROVED = "approved", _("approved in joint review")
    REJECTED = "rejected", _("rejected in joint review")
    NOTICED = "noticed", _("on public notice")
    CONFIRMED = "confirmed", _("confirmed")


class Representative(TimeStampedModel):
    building = models.ForeignKey("core.Place", verbose_name=_("building"), on_delete=models.PROTECT,
                                 related_name="representatives")
    person = models.ForeignKey("core.Person", verbose_name=_("representative"), on_delete=models.PROTECT,
                               related_name="representations")
    status = models.CharField(_("status"), max_length=16, choices=RepresentativeStatus.choices,
                              default=RepresentativeStatus.NOMINATED)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("nominated by"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("reviewed by"))
    rejection_reason = models.CharField(_("reason"), max_length=300, blank=True)
    notice = models.ForeignKey("deliberation.Notice", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="representatives")
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)

    history = AuditHistory()
    scope_path = "building__path"

    class Meta:
        verbose_name = _("renewal representative")
        verbose_name_plural = _("renewal representatives")
        ordering = ["building__path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["building"], condition=~Q(status__in=["rejected"]),
                                    name="representative_one_per_building"),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                                   name="representative_rejection_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.building}"
