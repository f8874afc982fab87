"""Intake: a case reported from the web, by staff on the spot or on the phone, the API or Open311."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import Place, RoleKind
from commonground.core.permissions import active_roles, can, require
from commonground.core.reporting import top_place
from commonground.core.text import clean_text
from commonground.core.uploads import StoredUpload, validate_upload
from commonground.core.validators import validate_phone

from ..geo import bounding_box, distance_m, inside_district, place_for_pin
from ..models import (
    Case,
    CaseAttachment,
    Category,
    Channel,
    IdempotencyKey,
    QuestionType,
    ReporterKind,
    Stage,
)
from ..rules import (
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    DUPLICATE_DAYS,
    DUPLICATE_RADIUS_M,
    max_files,
    max_media_urls,
)
from .events import log_event

# Media links are shown as links to staff: nothing but web addresses.
MEDIA_URL_CHECK = URLValidator(schemes=["http", "https"])
# Channels that say staff took the matter down: only those who may record cases for callers use them.
STAFF_CHANNELS = (Channel.PHONE, Channel.STAFF)
COORDINATE_PLACES = Decimal("0.000001")  # the model's DecimalField(9, 6)


@dataclass
class Contact:
    name: str = ""
    phone: str = ""
    email: str = ""


def reporter_kind(user: Any, channel: str) -> str:
    """Who is reporting, for the category's "open to" list."""
    if channel == Channel.OPEN311 and not getattr(user, "is_authenticated", False):
        return ReporterKind.PUBLIC
    if can(user, "case.add_on_behalf"):
        return ReporterKind.STAFF
    if getattr(user, "organisation_id", None) or any(
        r.role == RoleKind.ENTERPRISE_CONTACT for r in active_roles(user)
    ):
        return ReporterKind.ENTERPRISE
    return ReporterKind.RESIDENT


def validate_answers(category: Category, answers: dict[str, Any]) -> dict[str, Any]:
    """The category's extra questions: required ones answered, each of its type. Returns clean values."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    known = {q.key: q for q in category.questions.all()}
    for key in answers:
        if key not in known:
            errors[f"answers.{key}"] = _("This category asks no such question.")
    for key, question in known.items():
        raw = answers.get(key)
        if raw in (None, ""):
            if question.required:
                errors[f"answers.{key}"] = _("Please answer: %(question)s") % {"question": question.label}
            continue
        try:
            clean[key] = _typed(question, raw)
        except (ValueError, ArithmeticError):
            errors[f"answers.{key}"] = _("“%(value)s” is not a valid answer to: %(question)s") % {
                "value": raw, "question": question.label}
    if errors:
        raise ValidationError(errors)
    return clean


def _typed(question, raw: Any) -> Any:
    if question.type == QuestionType.NUMBER:
        value = Decimal(str(raw))
        if not value.is_finite():
            raise ValueError
        return str(value)
    if question.type == QuestionType.BOOLEAN:
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "是", "on"}:
            return True
        if text in {"0", "false", "no", "否", "off"}:
            return False
        raise ValueError
    if question.type == QuestionType.DATE:
        return datetime.date.fromisoformat(str(raw)).isoformat()
    if question.type == QuestionType.CHOICE:
        if str(raw) not in [str(c) for c in question.choices]:
            raise ValueError
        return str(raw)
    return clean_text(str(raw)).strip()[:500]


def clean_attachments(uploads: Sequence[UploadedFile]) -> list[StoredUpload]:
    """The photos and files of a report or a progress note, through the one upload path: at most
    `max_files()`, each a photo or a PDF (decided from its content). Returns what to store."""
    if len(uploads) > max_files():
        raise ValidationError({"attachments": _("Attach at most %(max)d photos or files.") % {"max": max_files()}})
    return [validate_upload(upload, field="attachments") for upload in uploads]


def locate(*, place: Place | None, latitude: Decimal | None, longitude: Decimal | None) -> Place:
    """The place of a case: the one picked, or the one under the map pin; it must lie in the district.
    A pin is both coordinates, each in its range, or neither."""
    district = top_place()
    if (latitude is None) != (longitude is None):
        raise ValidationError({"location": _("Send the pin's latitude and longitude together.")})
    if latitude is not None and longitude is not None:
        if not (_degrees(latitude, 90) and _degrees(longitude, 180)):
            raise ValidationError({"location": _("A latitude lies from -90 to 90 degrees and a longitude from -180 "
                                                 "to 180.")})
        lat, lng = float(latitude), float(longitude)
        if not inside_district(lat, lng, district):
            raise ValidationError({"location": _("This location is outside %(district)s.") % {"district": district}})
        if place is None:
            place = place_for_pin(lat, lng, district)
    if place is None:
        raise ValidationError({"location": _("Pick a place or drop a pin on the map.")})
    if not place.is_within(district):
        raise ValidationError({"location": _("This location is outside %(district)s.") % {"district": district}})
    return place


def _degrees(value: Decimal, limit: int) -> bool:
    number = Decimal(str(value))
    return number.is_finite() and -limit <= number <= limit


def possible_duplicates(*, category: Category, latitude: Decimal | None, longitude: Decimal | None,
                        place: Place | None = None, exclude: Case | None = None):
    """Open cases of the same category within 50 m (or at the same place, without a pin) and 7 days."""
    since = clock.now() - datetime.timedelta(days=DUPLICATE_DAYS)
    candidates = Case.objects.open().filter(category=category, created_at__gte=since, merged_into__isnull=True)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    if latitude is None or longitude is None:
        return list(candidates.filter(place=place)) if place else []
    lat, lng = float(latitude), float(longitude)
    nearby = candidates.filter(**bounding_box(lat, lng, DUPLICATE_RADIUS_M)).select_related("place")
    return [c for c in nearby
            if distance_m(lat, lng, float(c.latitude), float(c.longitude)) <= DUPLICATE_RADIUS_M]


def next_number(case: Case) -> str:
    return f"SX{timezone.localtime(case.created_at):%Y%m%d}{case.pk:06d}"


@transaction.atomic
def case_report(
    *, reporter: Any, category: Category, description: str, place: Place | None = None,
    latitude: Decimal | None = None, longitude: Decimal | None = None, address: str = "",
    answers: dict[str, Any] | None = None, channel: str = Channel.WEB, contact: Contact | None = None,
    attachments: list[UploadedFile] = (), media_urls: list[str] = (), idempotency_key: str = "",
    client: str = "",
) -> Case:
    """Record a reported matter (stage "collected"). Staff may record it on behalf of a caller (contact).

    With an idempotency key, a retried call returns the case the first call created.
    """
    client = client or (f"user:{reporter.pk}" if getattr(reporter, "pk", None) else "")
    if idempotency_key:
        earlier = IdempotencyKey.objects.filter(client=client, key=idempotency_key).select_related("case").first()
        if earlier:
            return earlier.case
    is_anonymous_public = channel == Channel.OPEN311 and not getattr(reporter, "is_authenticated", False)
    if not is_anonymous_public:
        require(reporter, "case.add")
    contact = Contact(**{name: clean_text(value, multiline=False).strip()
                         for name, value in vars(contact or Contact()).items()})
    on_behalf = bool(contact.name or contact.phone) and channel in STAFF_CHANNELS
    if on_behalf:
        require(reporter, "case.add_on_behalf")
    errors: dict[str, Any] = {}
    if channel in STAFF_CHANNELS and not can(reporter, "case.add_on_behalf"):
        errors["channel"] = _("Only staff who record matters for callers may say a case came by phone or on the "
                              "spot.")
    if not category.is_active or reporter_kind(reporter, channel) not in (category.open_to or list(ReporterKind)):
        errors["category"] = _("This category is not open to you; choose another or call the hotline.")
    description = clean_text(description).strip()
    if not DESCRIPTION_MIN <= len(description) <= DESCRIPTION_MAX:
        errors["description"] = _("Describe the matter in %(min)d to %(max)d characters.") % {
            "min": DESCRIPTION_MIN, "max": DESCRIPTION_MAX}
    if contact.phone:
        try:
            validate_phone(contact.phone)
        except ValidationError as error:
            errors["contact_phone"] = error.messages[0]
    if contact.email:
        try:
            validate_email(contact.email)
        except ValidationError as error:
            errors["contact_email"] = error.messages[0]
    url_max = CaseAttachment._meta.get_field("url").max_length
    if len(media_urls) > max_media_urls():
        errors["media_urls"] = _("Give at most %(max)d media links.") % {"max": max_media_urls()}
        media_urls = ()
    for url in media_urls:
        try:
            MEDIA_URL_CHECK(url)
            if len(url) > url_max:
                raise ValidationError("too long")
        except ValidationError:
            errors["media_urls"] = _("A media link must be an http or https address of at most %(max)d "
                                     "characters.") % {"max": url_max}
    stored: list[StoredUpload] = []
    try:
        stored = clean_attachments(attachments)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        place = locate(place=place, latitude=latitude, longitude=longitude)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        clean_answers = validate_answers(category, answers or {})
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if latitude is not None and longitude is not None:
        latitude, longitude = (Decimal(str(latitude)).quantize(COORDINATE_PLACES),
                               Decimal(str(longitude)).quantize(COORDINATE_PLACES))

    user = reporter if getattr(reporter, "is_authenticated", False) else None
    address = clean_text(address, multiline=False).strip()[:255]
    case = Case.objects.create(
        number=f"tmp-{uuid.uuid4().hex[:16]}", category=category, description=description, answers=clean_answers,
        place=place, latitude=latitude, longitude=longitude, address=address, channel=channel,
        reporter=None if on_behalf else user, recorded_by=user, contact_name=contact.name[:100],
        contact_phone=contact.phone, contact_email=contact.email, stage=Stage.COLLECT,
    )
    case.number = next_number(case)
    case.save(update_fields=["number"])
    for item in stored:
        CaseAttachment.objects.create(case=case, file=item.file, content_type=item.content_type, size=item.size,
                                      uploaded_by=user)
    for url in media_urls:
        CaseAttachment.objects.create(case=case, url=url, uploaded_by=user)
    duplicates = possible_duplicates(category=category, latitude=latitude, longitude=longitude, place=place,
                                     exclude=case)
    log_event(case=case, actor=user, action="reported", to_stage=Stage.COLLECT,
              data={"channel": channel, "possible_duplicates": [c.number for c in duplicates]})
    if idempotency_key:
        try:
            with transaction.atomic():
                IdempotencyKey.objects.create(client=client, key=idempotency_key, case=case)
        except IntegrityError:  # a concurrent retry won the race: keep its case, drop ours
            winner = IdempotencyKey.objects.select_related("case").get(client=client, key=idempotency_key).case
            transaction.set_rollback(True)
            return winner
    return case
