"""Shared model bases and typed fields (area, money)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Func, OrderBy
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


class PortableIndex(models.Index):
    """An index whose columns may say where empty values sort (`F("deadline").asc(nulls_first=True)`), as the
    query it serves orders them: PostgreSQL is told; SQLite, which puts them first in ascending order anyway,
    refuses the words in an index and gets the plain column."""

    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = self.clone()
        plain.expressions = tuple(_without_nulls(expression) for expression in self.expressions)
        return models.Index.create_sql(plain, model, schema_editor, using=using, **kwargs)


def _without_nulls(expression: Any) -> Any:
    if isinstance(expression, OrderBy) and (expression.nulls_first or expression.nulls_last):
        expression = expression.copy()
        expression.nulls_first = expression.nulls_last = None
    return expression


def literal_in(field: str, values: Iterable[str]) -> Func:
    """`field IN ('a', 'b')` with the values written into the SQL, not bound as parameters: SQLite uses a partial
    index (`Index(condition=Q(field__in=values))`) only when the query states the index's condition word for word,
    and a bound parameter is not its word. For the code's own constants (plain words) only."""
    words = [str(value) for value in values]
    if not all(re.fullmatch(r"[a-z_]+", word) for word in words):
        raise ValueError(f"not plain words: {words}")
    literals = ", ".join(f"'{word}'" for word in words)
    return Func(models.F(field), template=f"%(expressions)s IN ({literals})", output_field=models.BooleanField())
