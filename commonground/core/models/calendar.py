"""Official working calendar entries kept in the database (holidays and make-up workdays)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel


class CalendarDay(TimeStampedModel):
    """A day whose status differs from the default: a public holiday, or a weekend made a workday.

    The State Council publishes each year's schedule late in the year before; an administrator
    enters it here. Entries here override the bundled chinese-calendar data.
    """

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("is a working day"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
