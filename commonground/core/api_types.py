"""Types every API router shares: the one error body, strict dates and times in the platform's range,
coordinates, ids, page bounds, and the local time every answer shows. The OpenAPI schema each type writes is
exactly what it accepts, so clients (and schemathesis) can rely on it; anything else is a 422 before a handler runs.
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import (
    BeforeValidator,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    model_serializer,
)

from .validators import calendar_range_message, in_calendar_range

# The years 1900-2099 of validators.FIRST_DAY/LAST_DAY, written as patterns for the OpenAPI schema.
_DAY = r"(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
DATE_PATTERN = rf"^{_DAY}$"
DATETIME_PATTERN = rf"^{_DAY}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{{1,6}})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$"
# What reads as a date or time at all (any year), so a year out of range gets the range's message.
ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
ISO_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d:\d\d)?")
MAX_ID = 2**63 - 1  # a BigAutoField; a larger number is no row and overflows the database's integer
MAX_PAGE = 100_000
MAX_PAGE_SIZE = 200
PAGE_SIZE = 50
COORDINATE_PLACES = Decimal("0.000001")  # DecimalField(9, 6)
LATITUDE_PATTERN = r"^-?(90(\.0{1,6})?|[1-8]?\d(\.\d{1,6})?)$"
LONGITUDE_PATTERN = r"^-?(180(\.0{1,6})?|(1[0-7]\d|[1-9]?\d)(\.\d{1,6})?)$"


class RowError(Schema):
    """A row at fault in a batch or a file: its number (from 1, or as a spreadsheet shows it), field and why."""

    row: int
    field: str
    message: str


class ErrorOut(Schema):
    """Every error the API answers: one message, or messages by field ("__all__" for the request as a whole); a
    refused batch also lists its rows at fault in `errors` (absent otherwise)."""

    detail: str | dict[str, list[str]]
    errors: list[RowError] | None = None

    @model_serializer(mode="wrap")
    def _without_empty_rows(self, serialize: Any) -> dict[str, Any]:
        data = serialize(self)
        if data.get("errors") is None:
            data.pop("errors", None)
        return data


def _day(value: Any) -> datetime.date:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        day = value
    elif isinstance(value, str) and ISO_DATE.fullmatch(value):
        day = datetime.date.fromisoformat(value)  # ValueError for 2023-02-30
    else:
        raise ValueError(_("Give a date as YYYY-MM-DD."))
    if not in_calendar_range(day):
        raise ValueError(calendar_range_message())
    return day


def _moment(value: Any) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, str) and ISO_DATETIME.fullmatch(value):
        moment = datetime.datetime.fromisoformat(value)  # ValueError for 25:00 or +24:00
    else:
        raise ValueError(_("Give a time as ISO 8601 with its offset, such as 2025-03-01T09:00:00+08:00."))
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(_("Give the time with its offset, such as +08:00."))
    if not in_calendar_range(moment):
        raise ValueError(calendar_range_message())
    return moment


def _local(value: Any) -> Any:
    return timezone.localtime(value) if isinstance(value, datetime.datetime) else value


def _degrees(limit: int, pattern: str) -> Any:
    def check(value: Any) -> Decimal:
        if isinstance(value, str) and re.fullmatch(pattern, value):
            return Decimal(value)
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise ValueError(_("Give a number of degrees from -%(limit)d to %(limit)d.") % {"limit": limit})
        number = Decimal(str(value))
        if not number.is_finite() or not -limit <= number <= limit:
            raise ValueError(_("Give a number of degrees from -%(limit)d to %(limit)d.") % {"limit": limit})
        return number.quantize(COORDINATE_PLACES, rounding=ROUND_HALF_EVEN)

    return check


def _degrees_schema(limit: int, pattern: str) -> dict[str, Any]:
    """A JSON number in range, or the same as a decimal string of at most six places (exact, unlike a float)."""
    return {"anyOf": [{"type": "number", "minimum": -limit, "maximum": limit},
                      {"type": "string", "pattern": pattern}]}


# An ISO date, 1900-01-01 to 2099-12-31; nothing else ("0" is not 1970-01-01).
Day = Annotated[datetime.date, PlainValidator(_day),
                WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN})]
# An ISO 8601 time with its offset, in the same years.
Moment = Annotated[datetime.datetime, PlainValidator(_moment),
                   WithJsonSchema({"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN})]
# A time in an answer, in the district's zone (+08:00) as the pages show it; write `LocalDateTime | None` for none.
LocalDateTime = Annotated[datetime.datetime, BeforeValidator(_local)]
# Degrees, kept to six places like the database.
Latitude = Annotated[Decimal, PlainValidator(_degrees(90, LATITUDE_PATTERN)),
                     WithJsonSchema(_degrees_schema(90, LATITUDE_PATTERN))]
Longitude = Annotated[Decimal, PlainValidator(_degrees(180, LONGITUDE_PATTERN)),
                      WithJsonSchema(_degrees_schema(180, LONGITUDE_PATTERN))]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# A code or number in a path: no control characters (PostgreSQL refuses NUL in a query).
Code = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")]
PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE)]
PageSize = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)]

