"""Shared model bases and typed fields (area, money)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..validators import validate_non_negative_money, validate_positive_area


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AreaField(models.DecimalField):
    """Square metres, two decimal places, strictly positive (the model adds a check constraint)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("validators", [validate_positive_area])
        super().__init__(*args, **kwargs)


class MoneyField(models.DecimalField):
    """Yuan with two decimal places, never negative (the model adds a check constraint)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("default", Decimal("0.00"))
        kwargs.setdefault("validators", [validate_non_negative_money])
        super().__init__(*args, **kwargs)
