"""Shared model bases and typed fields (area, money)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import clock
from ..validators import validate_non_negative_money, validate_positive_area


class ClockDateTimeField(models.DateTimeField):
    """A DateTimeField whose auto_now / auto_now_add read the one clock, not the wall clock."""

    def pre_save(self, model_instance, add):
        if self.auto_now or (self.auto_now_add and add):
            value = clock.now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)


class AuditHistory(HistoricalRecords):
    """django-simple-history with its history_date from the one clock."""

    def create_historical_record(self, instance, history_type, using=None):
        stamped = not hasattr(instance, "_history_date")
        if stamped:
            instance._history_date = clock.now()
        try:
            super().create_historical_record(instance, history_type, using)
        finally:
            if stamped:
                del instance._history_date


class TimeStampedModel(models.Model):
    created_at = ClockDateTimeField(_("created at"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("updated at"), auto_now=True)

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
