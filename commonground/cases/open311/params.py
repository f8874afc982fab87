"""Reading GeoReport v2 parameters: the fields of POST requests and the filters of GET requests."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.validators import calendar_range_message, in_calendar_range

from ..services.intake import Contact, category_to_report
from .render import Open311Error
from .selectors import place_for_address

ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
COORDINATE_PLACES = Decimal("0.000001")
DEGREES = {"lat": 90, "long": 180}
MAX_SPAN = datetime.timedelta(days=90)
# Our field names in validation errors → the Open311 parameter a client sent.
PARAMS = {"category": "service_code", "location": "lat/long", "contact_phone": "phone",
          "contact_email": "email", "attachments": "media_url", "media_urls": "media_url"}


def param_name(field: str) -> str:
    if field.startswith("answers."):
        return f"attribute[{field.removeprefix('answers.')}]"
    return PARAMS.get(field, field)


def error_descriptions(error: ValidationError) -> list[str]:
    """A validation error as the spec's descriptions, each naming the parameter at fault."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [f"{param_name(field)}: {message}" for field, messages in error.message_dict.items()
            for message in messages]


def _coordinate(data: QueryDict, name: str) -> Decimal:
    """One coordinate, checked alone: a finite number of degrees within its range, to six places."""
    try:
        value = Decimal(data[name].strip())
        if not value.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError) as error:
        raise Open311Error(400, _("%(param)s must be a decimal number of degrees.") % {"param": name}) from error
    limit = DEGREES[name]
    if not -limit <= value <= limit:
        raise Open311Error(400, _("%(param)s must lie from -%(limit)d to %(limit)d degrees.")
                           % {"param": name, "limit": limit})
    return value.quantize(COORDINATE_PLACES)


def _location(data: QueryDict) -> dict[str, Any]:
    lat, lng = data.get("lat", "").strip(), data.get("long", "").strip()
    address_string, address_id = data.get("address_string", "").strip(), data.get("address_id", "").strip()
    if lat or lng:
        if not (lat and lng):
            raise Open311Error(400, _("lat/long: send both lat and long."))
        return {"latitude": _coordinate(data, "lat"), "longitude": _coordinate(data, "long"),
                "address": address_string}
    if not (address_string or address_id):
        raise Open311Error(400, _("lat/long, address_string, or address_id were not provided."))
    try:
        place = place_for_address(address_id=address_id, address_string=address_string)
    except ValidationError as error:
        raise Open311Error(400, *error_descriptions(error)) from error
    return {"place": place, "address": address_string}


def _contact_name(first: str, last: str) -> str:
    """Chinese names put the family name first, without a space; others "first last"."""
    if (first + last).isascii():
        return " ".join(part for part in (first, last) if part)
    return f"{last}{first}"


def report_arguments(data: QueryDict) -> dict[str, Any]:
    """POST requests → the keyword arguments of case_report (less reporter, channel and idempotency).
    Raises Open311Error for what the spec names (missing service_code or location, unknown code)."""
    code = data.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code was not provided."))
    category = category_to_report(code)
    if category is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code})
    answers = {}
    for key in data:
        if match := ATTRIBUTE.match(key):
            answers[match.group(1)] = data.get(key, "")
    media_url = data.get("media_url", "").strip()
    return {
        "category": category,
        "description": data.get("description", ""),
        "answers": answers,
        "contact": Contact(name=_contact_name(data.get("first_name", "").strip(), data.get("last_name", "").strip()),
                           phone=data.get("phone", "").strip(), email=data.get("email", "").strip()),
        "media_urls": [media_url] if media_url else [],
        **_location(data),
    }


def _moment(data: QueryDict, name: str, *, end_of_day: bool = False) -> datetime.datetime | None:
    raw = data.get(name, "").strip()
    if not raw:
        return None
    try:
        # a bare date covers the whole day (fromisoformat would read it as midnight)
        if DATE_ONLY.match(raw) and (day := parse_date(raw)) is not None:
            moment = datetime.datetime.combine(day, datetime.time.max if end_of_day else datetime.time.min)
        else:
            moment = parse_datetime(raw)
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(400, _("%(param)s must be an ISO 8601 date and time.") % {"param": name})
    if not in_calendar_range(moment):  # the 90-day window around year 1 or 9999 overflows
        raise Open311Error(400, f"{name}: {calendar_range_message()}")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _listed(data: QueryDict, name: str) -> list[str]:
    return [item.strip() for item in data.get(name, "").split(",") if item.strip()]


def request_filters(data: QueryDict) -> dict[str, Any]:
    """GET requests → the arguments of filter_requests. Ids override every other filter; otherwise the
    period defaults to the last 90 days and may not span more."""
    numbers = _listed(data, "service_request_id")
    if numbers:
        return {"numbers": numbers}
    statuses = _listed(data, "status")
    if any(status not in ("open", "closed") for status in statuses):
        raise Open311Error(400, _("status must be open or closed."))
    start, end = _moment(data, "start_date"), _moment(data, "end_date", end_of_day=True)
    if start and not end:
        end = start + MAX_SPAN
    elif end and not start:
        start = end - MAX_SPAN
    elif not (start or end):
        end = clock.now()
        start = end - MAX_SPAN
    if start > end:
        raise Open311Error(400, _("start_date is after end_date."))
    if end - start > MAX_SPAN:
        raise Open311Error(400, _("start_date and end_date may not span more than 90 days."))
    return {"codes": _listed(data, "service_code"), "start": start, "end": end, "statuses": statuses}
