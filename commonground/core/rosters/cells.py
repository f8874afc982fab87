"""Parsers for roster cells: text in, a typed value out, or a ValidationError in the user's language.

A blank cell gives None; the caller decides whether the column is required.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..validators import (
    normalise_id_number,
    parse_decimal,
    validate_credit_code,
    validate_id_number,
    validate_phone,
    validate_positive_area,
)
from .specs import normalise_header

DATE_RE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
SCIENTIFIC_RE = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
MAX_AREA = Decimal("9999999999.99")


def text(value: str, *, max_length: int) -> str | None:
    if not value:
        return None
    if len(value) > max_length:
        raise ValidationError(
            _("At most %(max)d characters are allowed (this cell has %(length)d).")
            % {"max": max_length, "length": len(value)}, code="too_long",
        )
    return value


def decimal(value: str, *, places: int, low: Decimal, high: Decimal) -> Decimal | None:
    if not value:
        return None
    number = parse_decimal(value, places=places)
    if not low <= number <= high:
        raise ValidationError(
            _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}, code="out_of_range"
        )
    return number


def area(value: str) -> Decimal | None:
    """Square metres: a number above 0 with at most two decimal places."""
    if not value:
        return None
    number = parse_decimal(value, places=2)
    validate_positive_area(number)
    if number > MAX_AREA:
        raise ValidationError(_("This area is too large."), code="out_of_range")
    return number


def integer(value: str, *, low: int, high: int) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise ValidationError(_("Enter a whole number."), code="integer")
    number = int(value)
    if not low <= number <= high:
        raise ValidationError(
            _("Enter a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}, code="out_of_range"
        )
    return number


def date(value: str) -> datetime.date | None:
    if not value:
        return None
    try:
        if not DATE_RE.match(value):
            raise ValueError
        year, month, day = (int(part) for part in value.split("-"))
        return datetime.date(year, month, day)
    except ValueError:
        raise ValidationError(_("Enter a date as YYYY-MM-DD, such as 2023-04-22."), code="date") from None


def id_number(value: str) -> str | None:
    """A GB 11643 resident ID number, upper-cased; explains Excel's scientific notation."""
    if not value:
        return None
    if SCIENTIFIC_RE.match(value):
        raise ValidationError(
            _("Excel turned this ID number into a number (%(value)s); format the column as text and type it again.")
            % {"value": value}, code="id_scientific",
        )
    number = normalise_id_number(value)
    validate_id_number(number)
    return number


def credit_code(value: str) -> str | None:
    if not value:
        return None
    code = value.strip().upper()
    validate_credit_code(code)
    return code


def phone(value: str) -> str | None:
    if not value:
        return None
    validate_phone(value)
    return value


def choice(value: str, *, lookup: dict[str, str], allowed: str) -> str | None:
    if not value:
        return None
    found = lookup.get(normalise_header(value))
    if found is None:
        raise ValidationError(
            _("“%(value)s” is not allowed here; use one of: %(allowed)s.") % {"value": value, "allowed": allowed},
            code="choice",
        )
    return found
