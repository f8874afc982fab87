"""Deployment settings kept in the database, editable in the admin."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel


class Setting(TimeStampedModel):
    """A named value, e.g. `clock` (the moment the demo district's clock started from; see core.clock)."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    value = models.JSONField(_("value"))

    class Meta:
        verbose_name = _("setting")
        verbose_name_plural = _("settings")

    def __str__(self) -> str:
        return self.key
