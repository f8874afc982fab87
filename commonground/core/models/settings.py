"""Deployment settings kept in the database, editable in the admin."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel


class Setting(TimeStampedModel):
    """A named value, e.g. `today` (the date the demo district pretends it is)."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    value = models.JSONField(_("value"))

    class Meta:
        verbose_name = _("setting")
        verbose_name_plural = _("settings")

    def __str__(self) -> str:
        return self.key
