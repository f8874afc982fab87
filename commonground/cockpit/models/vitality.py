"""The commercial vitality index (商业活力指数) per unit and day, as computed (vitality.py holds the formula)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class VitalityDay(models.Model):
    """The index of one business community, community or street for one day, 0–100, with each part's raw value,
    normalised score, weight and contribution (`parts`), so the page shows how the figure was made."""

    unit_path = models.CharField(max_length=255)
    day = models.DateField()
    index = models.DecimalField(max_digits=5, decimal_places=2)
    parts = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    place_path_fields = ("unit_path",)

    class Meta:
        verbose_name = _("commercial vitality index")
        constraints = [models.UniqueConstraint(fields=["unit_path", "day"], name="vitality_day_key")]
        indexes = [models.Index(fields=["day", "unit_path"], name="vitality_day_unit")]

    def __str__(self) -> str:
        return f"{self.unit_path} {self.day} {self.index}"
