"""Schemas of the cases API: what goes in and out of /api/cases and /api/categories. Times are local (+08:00)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from commonground.core.api_types import Id, Latitude, LocalDateTime, Longitude
from commonground.core.masking import in_full, shown

from .models import Case, CaseEvent, Category, Channel
from .selectors import is_open_to
from .services.allowed import allowed_actions
from .services.intake import reporter_kind


class CaseOut(Schema):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    number: str
    category: str = Field(alias="category.code")
    category_name: str = Field(alias="category.name")
    stage: str
    stage_label: str = Field(alias="get_stage_display")
    level: str
    place: str = Field(alias="place.code")
    place_name: str = Field(alias="place.name")
    handling_place: str | None = Field(None, alias="handling_place.code")
    handler: str | None = Field(None, alias="handler.name")
    description: str
    address: str
    latitude: float | None
    longitude: float | None
    channel: str
    deadline: LocalDateTime | None
    is_overdue: bool
    escalations: int
    reopenings: int
    created_at: LocalDateTime
    closed_at: LocalDateTime | None
    closed_level: str
    rating: int | None
    merged_into: str | None = Field(None, alias="merged_into.number")


class EventOut(Schema):
    at: LocalDateTime
    actor: str | None
    action: str
    from_stage: str
    to_stage: str
    note: str
    data: dict[str, Any]

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
    def resolve_actions(obj: Case, context: dict[str, Any]) -> list[str]:
        return allowed_actions(context["request"].user, obj)


class QueueQuery(Schema):
    stage: str = ""
    category: str = ""
    place: str = ""
    overdue: bool = False
    q: str = ""
    mine: bool = False
    sort: Literal["deadline", "newest"] = "deadline"


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
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    code: str
    name: str
    name_en: str
    parent: str | None = Field(None, alias="parent.code")
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
    def resolve_may_report(obj: Category, context: dict[str, Any]) -> bool:
        return is_open_to(obj, reporter_kind(context["request"].user, Channel.API))
