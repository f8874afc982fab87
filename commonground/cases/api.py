"""Cases API under /api/cases: the caller's queue, one case with its log, reporting (idempotent with an
`Idempotency-Key` header), the stage transitions, and the categories. Handlers are thin: reads go
through selectors, writes through the services; ValidationError → 400, PermissionDenied → 403, a case
the caller may not view → 404."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from commonground.core.api_types import (
    PAGE_SIZE,
    Code,
    Id,
    Latitude,
    Longitude,
    PageNumber,
    PageSize,
    page_of,
)
from commonground.core.masking import in_full, shown
from commonground.core.models import Organisation, Place
from commonground.core.permissions import require

from .models import Case, CaseEvent, Category, CategoryQuestion, Channel, Stage
from .selectors import (
    QueueFilters,
    access_case,
    active_categories,
    case_queue,
    case_reloaded,
    is_open_to,
)
from .services.intake import Contact, case_report_once, reporter_kind
from .services.workflow import (
    allowed_actions,
    case_accept,
    case_dispatch,
    case_escalate,
    case_feedback,
    case_merge,
    case_note,
    case_rate,
    case_reject,
    case_verify,
)

router = Router(tags=["cases"])
CaseAction = Literal["accept", "reject", "dispatch", "note", "feedback", "verify", "rate", "escalate", "merge"]


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


class CasePage(Schema):
    items: list[CaseOut]
    count: int


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


@router.get("/cases", response=CasePage)
def case_list(request: HttpRequest, filters: QueueQuery = Query(...), page: PageNumber = 1,
              page_size: PageSize = PAGE_SIZE):
    """The caller's queue: cases they may view (open ones unless `stage` says "all", "closed" or a
    stage), by category, place (code, with everything under it) and overdue; soonest deadline first."""
    return page_of(case_queue(request.user, QueueFilters(**filters.dict())), page, page_size)


@router.get("/cases/{number}", response=CaseDetailOut)
def case_detail(request: HttpRequest, number: Code):
    return _visible(request, number, with_events=True)


@router.post("/cases", response={200: CaseDetailOut, 201: CaseDetailOut})
def case_create(request: HttpRequest, payload: CaseIn):
    """Report a case. With an `Idempotency-Key` header, a retry returns the first case with 200."""
    key = request.headers.get("Idempotency-Key", "").strip()[:100]
    category = Category.objects.filter(code=payload.category).first()
    if category is None:
        raise ValidationError({"category": _("There is no such category.")})
    place = None
    if payload.place:
        place = Place.objects.filter(code=payload.place).first()
        if place is None:
            raise ValidationError({"place": _("There is no place with this code.")})
    contact = Contact(**payload.contact.dict()) if payload.contact else None
    reported = case_report_once(
        client=f"user:{request.user.pk}", key=key, actor=request.user, category=category,
        description=payload.description, place=place, latitude=payload.latitude, longitude=payload.longitude,
        address=payload.address, answers=payload.answers, channel=payload.channel, contact=contact,
        media_urls=payload.media_urls,
    )
    return Status(201 if reported.created else 200, case_reloaded(reported.case))


def _visible(request: HttpRequest, number: str, *, with_events: bool = False) -> Case:
    return access_case(request.user, number, with_events=with_events)


def _handler(payload: ActionIn) -> Organisation | None:
    if payload.handler is None:
        return None
    handler = Organisation.objects.filter(pk=payload.handler).select_related("place").first()
    if handler is None:
        raise ValidationError({"handler": _("There is no such organisation.")})
    return handler


def _merge(request: HttpRequest, case: Case, payload: ActionIn) -> Case:
    if not payload.into:
        raise ValidationError({"into": _("Name the case to merge into.")})
    return case_merge(duplicate=case, into=_visible(request, payload.into), actor=request.user)


ACTIONS: dict[str, Callable[[HttpRequest, Case, ActionIn], Case]] = {
    "accept": lambda r, c, p: case_accept(case=c, actor=r.user, note=p.note),
    "reject": lambda r, c, p: case_reject(case=c, actor=r.user, reason=p.reason or p.note),
    "dispatch": lambda r, c, p: case_dispatch(case=c, actor=r.user, level=p.level, handler=_handler(p), note=p.note),
    "note": lambda r, c, p: case_note(case=c, actor=r.user, note=p.note),
    "feedback": lambda r, c, p: case_feedback(case=c, actor=r.user, note=p.note),
    "verify": lambda r, c, p: case_verify(case=c, actor=r.user, approved=p.approved, note=p.note),
    "rate": lambda r, c, p: case_rate(case=c, actor=r.user, rating=p.rating or 0, comment=p.comment),
    "escalate": lambda r, c, p: case_escalate(case=c, actor=r.user, reason=p.reason or p.note),
    "merge": _merge,
}


@router.post("/cases/{number}/{action}", response=CaseDetailOut)
def case_action(request: HttpRequest, number: Code, action: CaseAction, payload: ActionIn | None = None):
    """One transition: accept, reject (reason), dispatch (level, handler), note, feedback, verify
    (approved, note), rate (rating, comment), escalate (reason), merge (into: the main case's number)."""
    if action not in ACTIONS:
        raise Http404(_("No such action."))
    case = _visible(request, number)
    return case_reloaded(ACTIONS[action](request, case, payload or ActionIn()))


@router.get("/categories", response=list[CategoryOut])
def category_list(request: HttpRequest):
    """Active categories with their questions; `may_report`: open to the caller's kind of reporter."""
    require(request.user, "category.view")
    return list(active_categories())
