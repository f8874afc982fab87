"""Facilities' zones: a facility place (the couriers' party-and-people home, 500 m²) is divided into zones
(deliberation, service, activity and charging) where sessions are held."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.models.base import AreaField

__all__ = ["FacilityZone"]


class FacilityZone(TimeStampedModel):
    facility = models.ForeignKey("core.Place", verbose_name=_("facility"), on_delete=models.CASCADE,
                                 related_name="zones")
    name = models.CharField(_("zone name"), max_length=100)
    purpose = models.CharField(_("what the zone is for"), max_length=200, blank=True)
    area_m2 = AreaField(_("zone area (m²)"), null=True, blank=True)

    scope_path = "facility__path"

    class Meta:
        verbose_name = _("facility zone")
        verbose_name_plural = _("facility zones")
        ordering = ["facility", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "name"], name="facilityzone_unique_name"),
            models.CheckConstraint(condition=Q(area_m2__isnull=True) | Q(area_m2__gt=0),
                                   name="facilityzone_area_positive"),
        ]

    def __str__(self) -> str:
        return self.name
