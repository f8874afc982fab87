"""Schemas of the cases API: what goes in and out of /api/cases and /api/categories. Times are local (+08:00)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Field, Schema

from commonground.core.api_types import Id, Latitude, Longitude
from commonground.core.masking import in_full, shown

from .models import Case, CaseEvent, Category, CategoryQuestion, Channel, Stage
from .selectors import is_open_to
from .services.intake import reporter_kind
from .services.workflow import allowed_actions


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Times in the district's zone (+08:00), as the pages show them."""
    return timezone.localtime(moment) if moment else None


class CaseOut(Schema):
    number: str
    category: str
    category_name: str
    stage: str
    stage_label: str
    level: str
    place: str
    place_name: str
    handling_place: str | None
    handler: str | None
    description: str
    address: str
    latitude: float | None
    longitude: float | None
    channel: str
    deadline: datetime.datetime | None
    is_overdue: bool
    escalations: int
    reopenings: int
    created_at: datetime.datetime
    closed_at: datetime.datetime | None
    closed_level: str
    rating: int | None
    merged_into: str | None

    @staticmethod
    def resolve_deadline(obj: Case) -> datetime.datetime | None:
        return _local(obj.deadline)

    @staticmethod
    def resolve_created_at(obj: Case) -> datetime.datetime:
        return _local(obj.created_at)

    @staticmethod
    def resolve_closed_at(obj: Case) -> datetime.datetime | None:
        return _local(obj.closed_at)

    @staticmethod
    def resolve_category(obj: Case) -> str:
        return obj.category.code

    @staticmethod
    def resolve_category_name(obj: Case) -> str:
        return obj.category.name

    @staticmethod
    def resolve_stage_label(obj: Case) -> str:
        return str(Stage(obj.stage).label)

    @staticmethod
    def resolve_place(obj: Case) -> str:
        return obj.place.code

    @staticmethod
    def resolve_place_name(obj: Case) -> str:
        return obj.place.name

    @staticmethod
    def resolve_handling_place(obj: Case) -> str | None:
        return obj.handling_place.code if obj.handling_place_id else None

    @staticmethod
    def resolve_handler(obj: Case) -> str | None:
        return obj.handler.name if obj.handler_id else None

    @staticmethod
    def resolve_merged_into(obj: Case) -> str | None:
        return obj.merged_into.number if obj.merged_into_id else None


class EventOut(Schema):
    at: datetime.datetime
    actor: str | None
    action: str
    from_stage: str
    to_stage: str
    note: str
    data: dict[str, Any]

    @staticmethod
    def resolve_at(obj: CaseEvent) -> datetime.datetime:
        return _local(obj.at)

    @staticmethod
    def resolve_actor(obj: CaseEvent) -> str | None:
        return str(obj.actor) if obj.actor_id else None


class CaseDetailOut(CaseOut):
    answers: dict[str, Any]
    contact_name: str
    contact_phone: str
    contact_email: str
    media: list[str]
    events: list[EventOut]
    actions: list[str]

    @staticmethod
    def resolve_contact_name(obj: Case, context: dict[str, Any]) -> str:
        """Contact fields are masked unless the caller may see personal data where the case lies."""
        return shown("name", obj.contact_name, in_full=in_full(context["request"].user, obj))

    @staticmethod
    def resolve_contact_phone(obj: Case, context: dict[str, Any]) -> str:
        return shown("phone", obj.contact_phone, in_full=in_full(context["request"].user, obj))

    @staticmethod
    def resolve_contact_email(obj: Case, context: dict[str, Any]) -> str:
        return shown("email", obj.contact_email, in_full=in_full(context["request"].user, obj))

    @staticmethod
    def resolve_media(obj: Case) -> list[str]:
        return [a.url or a.file_path() for a in obj.attachments.all()]

    @staticmethod
    def resolve_events(obj: Case) -> list[CaseEvent]:
        return list(obj.events.all())

    @staticmethod
    def resolve_actions(obj: Case, context: dict[str, Any]) -> list[str]:
        return allowed_actions(context["request"].user, obj)


class QueueQuery(Schema):
    stage: str = ""
    category: str = ""
    place: str = ""
    overdue: bool = False


class ContactIn(Schema):
    name: str = ""
    phone: str = ""
    email: str = ""


class CaseIn(Schema):
    """A pin is latitude and longitude together (or neither, with a place). The channel is the server's to
    decide: "api", unless staff who may record cases on someone's behalf say "phone" or "staff"; another
    caller naming those is refused (400)."""

    category: str
    description: str
    place: str | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    address: str = ""
    answers: dict[str, Any] = {}
    channel: Literal["api", "staff", "phone"] = "api"
    contact: ContactIn | None = None
    media_urls: list[str] = []  # at most cases.rules.max_media_urls() (a setting): intake answers 400 past it


class ActionIn(Schema):
    note: str = ""
    reason: str = ""
    level: str | None = None
    handler: Id | None = None
    approved: bool = True
    rating: Annotated[int, Field(ge=1, le=5)] | None = None
    comment: str = ""
    into: str = ""


class QuestionOut(Schema):
    key: str
    label: str
    type: str
    required: bool
    choices: list[Any]
    order: int


class CategoryOut(Schema):
    code: str
    name: str
    name_en: str
    parent: str | None
    kind: str
    default_level: str
    sla_hours: Decimal
    is_dispute: bool
    description: str
    keywords: str
    open_to: list[str]
    may_report: bool
    questions: list[QuestionOut]

    @staticmethod
    def resolve_parent(obj: Category) -> str | None:
        return obj.parent.code if obj.parent_id else None

    @staticmethod
    def resolve_may_report(obj: Category, context: dict[str, Any]) -> bool:
        return is_open_to(obj, reporter_kind(context["request"].user, Channel.API))

    @staticmethod
    def resolve_questions(obj: Category) -> list[CategoryQuestion]:
        return list(obj.questions.all())
