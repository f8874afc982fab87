"""The GeoReport v2 documents: discovery, services, service definitions, service requests, tokens.

Each function returns plain dicts in the spec's field order; render.py turns them into JSON or XML.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..models import OPEN_STAGES, Case, Category, CategoryQuestion, QuestionType, Stage

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this API's documents last changed shape (the discovery changeset).
CHANGESET = "2025-01-01T00:00:00+08:00"
DATATYPES = {
    QuestionType.TEXT: "string",
    QuestionType.NUMBER: "number",
    QuestionType.CHOICE: "singlevaluelist",
    QuestionType.BOOLEAN: "singlevaluelist",
    QuestionType.DATE: "datetime",
}
LIST_DATATYPES = {"singlevaluelist", "multivaluelist"}


def iso(moment: datetime.datetime | None) -> str | None:
    """ISO 8601 with the offset, in local time: 2025-03-01T10:00:00+08:00."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _in_english() -> bool:
    return (get_language() or "").startswith("en")


def category_name(category: Category) -> str:
    return category.name_en if _in_english() and category.name_en else category.name


def _hours(value: Decimal) -> str:
    return str(int(value)) if value == int(value) else str(value.normalize())


def service_notice(category: Category) -> str:
    return _("Handled within %(hours)s working hours of dispatch.") % {"hours": _hours(category.sla_hours)}


def discovery_document(base_url: str) -> dict[str, Any]:
    return {
        "changeset": CHANGESET,
        "contact": getattr(settings, "CG_OPEN311_CONTACT", "") or settings.DEFAULT_FROM_EMAIL,
        "key_service": _("Ask the district administrators for an api_key (API clients in the admin)."),
        "endpoints": [{
            "specification": SPECIFICATION,
            "url": base_url,
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }


def service_document(category: Category) -> dict[str, Any]:
    """One entry of GET services; `metadata` says whether the service definition has attributes."""
    return {
        "service_code": category.code,
        "service_name": category_name(category),
        "description": category.description,
        "metadata": bool(category.questions.all()),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category_name(category.parent) if category.parent_id else "",
    }


def _values(question: CategoryQuestion) -> list[dict[str, str]]:
    if question.type == QuestionType.BOOLEAN:
        return [{"key": "true", "name": _("yes")}, {"key": "false", "name": _("no")}]
    return [{"key": str(choice), "name": str(choice)} for choice in question.choices]


def _datatype_description(question: CategoryQuestion) -> str:
    if question.type == QuestionType.DATE:
        return _("A date as YYYY-MM-DD.")
    if question.type == QuestionType.NUMBER:
        return _("A number.")
    return ""


def attribute_document(question: CategoryQuestion) -> dict[str, Any]:
    datatype = DATATYPES.get(question.type, "string")
    attribute: dict[str, Any] = {
        "variable": True,
        "code": question.key,
        "datatype": datatype,
        "required": question.required,
        "datatype_description": _datatype_description(question),
        "order": question.order,
        "description": question.label,
    }
    if datatype in LIST_DATATYPES:
        attribute["values"] = _values(question)
    return attribute


def service_definition(category: Category) -> dict[str, Any]:
    return {"service_code": category.code,
            "attributes": [attribute_document(q) for q in category.questions.all()]}


def status_of(case: Case) -> str:
    """Our seven stages reduce to open/closed; a merged case has its main case's status."""
    return "open" if case.outcome_case.stage in OPEN_STAGES else "closed"


def status_notes(case: Case, *, full: bool) -> str:
    """Why the request is where it is: "merged into …", the rejection reason, or (for clients that may
    view the case) the latest note in its log; the public sees the stage, not free-text handling notes."""
    if case.stage == Stage.MERGED and case.merged_into_id:
        return _("merged into %(number)s") % {"number": case.merged_into.number}
    note = getattr(case, "latest_note", "") or ""
    if case.stage == Stage.REJECTED or (full and note):
        return note or str(Stage(case.stage).label)
    return str(Stage(case.stage).label)


def _agency(case: Case) -> str | None:
    outcome = case.outcome_case
    if outcome.handler_id:
        return outcome.handler.name
    return outcome.handling_place.name if outcome.handling_place_id else None


def _media_url(case: Case, *, full: bool, absolute: Callable[[str], str]) -> str | None:
    for attachment in case.attachments.all():
        if attachment.url:
            return attachment.url
        if full and attachment.file:
            return absolute(attachment.file_path())
    return None


def _coordinate(own: Decimal | None, fallback: Decimal | None) -> float | None:
    value = own if own is not None else fallback
    return float(value) if value is not None else None


def request_document(case: Case, *, full: bool, absolute: Callable[[str], str]) -> dict[str, Any]:
    """One service request. `full`: the client may view the case (its notes and uploaded photos);
    contact data is never part of a request document."""
    return {
        "service_request_id": case.number,
        "status": status_of(case),
        "status_notes": status_notes(case, full=full),
        "service_name": category_name(case.category),
        "service_code": case.category.code,
        "description": case.description,
        "agency_responsible": _agency(case),
        "service_notice": service_notice(case.category),
        "requested_datetime": iso(case.created_at),
        "updated_datetime": iso(case.updated_at),
        "expected_datetime": iso(case.outcome_case.deadline),
        "address": case.address or case.place.address or case.place.name,
        "address_id": case.place.code,
        "zipcode": None,
        "lat": _coordinate(case.latitude, case.place.latitude),
        "long": _coordinate(case.longitude, case.place.longitude),
        "media_url": _media_url(case, full=full, absolute=absolute),
    }


def created_document(case: Case, *, account_id: str) -> dict[str, Any]:
    """The answer to POST requests: we create cases at once, so the id comes back directly."""
    return {"service_request_id": case.number, "service_notice": service_notice(case.category),
            "account_id": account_id or None}


def token_document(case: Case) -> dict[str, Any]:
    """Our tokens are the case numbers themselves."""
    return {"service_request_id": case.number, "token": case.number}
