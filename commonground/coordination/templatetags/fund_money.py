"""`{{ amount|yuan }}`: money as the fund pages show it, 12,345.60 in every language (the messages and the
exports write the same)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def yuan(value: object) -> str:
    try:
        return f"{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return ""
