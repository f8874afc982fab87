"""Intake: a case reported from the web, by staff on the spot or on the phone, the API or Open311."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Count, Exists, OuterRef, Window
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.bulk import reserve_ids
from commonground.core.models import Place, RoleKind, User
from commonground.core.models.places import scope_columns
from commonground.core.permissions import active_roles, can, require
from commonground.core.place_cache import top_place
from commonground.core.text import clean_text
from commonground.core.uploads import StoredUpload, validate_upload
from commonground.core.validators import validate_phone

from ..geo import bounding_box, distance_m, inside_district, place_for_pin
from ..models import (
    Case,
    CaseAttachment,
    Category,
    CategoryQuestion,
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
    DUPLICATES_KEPT,
    max_files,
    max_media_urls,
)
from .events import log_event
from .tallies import added

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


def reporter_kind(actor: User | AnonymousUser, channel: str) -> str:
    """Who is reporting, for the category's "open to" list."""
    if channel == Channel.OPEN311 and not getattr(actor, "is_authenticated", False):
        return ReporterKind.PUBLIC
    if can(actor, "case.add_on_behalf"):
        return ReporterKind.STAFF
    if getattr(actor, "organisation_id", None) or any(
        r.role == RoleKind.ENTERPRISE_CONTACT for r in active_roles(actor)
    ):
        return ReporterKind.ENTERPRISE
    return ReporterKind.RESIDENT


def category_to_report(code: str) -> Category | None:
    """The category a report names, ready for `validate_answers`: whether it asks any questions comes with it, so
    one that asks none (most do not) costs no second query."""
    category = (Category.objects.filter(code=code)
                .annotate(asks=Exists(CategoryQuestion.objects.filter(category=OuterRef("pk")))).first())
    if category is not None and not category.asks:
        _known(category, questions=[])
    return category


def _known(obj: Any, **related: Sequence[Any]) -> None:
    """Let `obj.<name>.all()` answer the rows given (as prefetch_related leaves them), without a query."""
    cache = obj.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, rows in related.items():
        queryset = getattr(obj, name).all()
        queryset._result_cache, queryset._prefetch_done = list(rows), True
        cache[name] = queryset


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
    pin = check_pin(latitude=latitude, longitude=longitude, district=district)
    if pin is not None and place is None:
        place = place_for_pin(*pin, district)
    if place is None:
        raise ValidationError({"location": _("Pick a place or drop a pin on the map.")})
    if not place.is_within(district):
        raise ValidationError({"location": _("This location is outside %(district)s.") % {"district": district}})
    return place


def check_pin(*, latitude: Decimal | None, longitude: Decimal | None, district: Place) -> tuple[float, float] | None:
    """A pin's (lat, lng), None without one; refused unless both coordinates are given, in range, in the district."""
    if (latitude is None) != (longitude is None):
        raise ValidationError({"location": _("Send the pin's latitude and longitude together.")})
    if latitude is None or longitude is None:
        return None
    if not (_degrees(latitude, 90) and _degrees(longitude, 180)):
        raise ValidationError({"location": _("A latitude lies from -90 to 90 degrees and a longitude from -180 "
                                             "to 180.")})
    lat, lng = float(latitude), float(longitude)
    if not inside_district(lat, lng, district):
        raise ValidationError({"location": _("This location is outside %(district)s.") % {"district": district}})
    return lat, lng


def _degrees(value: Decimal, limit: int) -> bool:
    number = Decimal(str(value))
    return number.is_finite() and -limit <= number <= limit


@dataclass(frozen=True)
class Duplicates:
    """The nearest few possible duplicates of a report, by number, and how many there were in all."""

    numbers: list[str]
    count: int


def possible_duplicates(*, category: Category, latitude: Decimal | None, longitude: Decimal | None,
                        place: Place | None = None, exclude: Case | None = None,
                        keep: int = DUPLICATES_KEPT) -> Duplicates:
    """Open cases of the same category within 50 m (or at the same place, without a pin) and 7 days: the
    `keep` nearest (the newest, without a pin) and the count. A busy building has hundreds; the reported event
    kept them all (833 numbers in one event), so now it keeps a few and says how many."""
    since = clock.now() - datetime.timedelta(days=DUPLICATE_DAYS)
    candidates = Case.objects.open().filter(category=category, created_at__gte=since, merged_into__isnull=True)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    if latitude is None or longitude is None:
        if place is None:
            return Duplicates([], 0)
        at_place = candidates.filter(place=place)
        if keep <= 0:
            return Duplicates([], at_place.count())
        # the count over every row rides on the few rows kept: one query
        rows = list(at_place.annotate(total=Window(Count("pk"))).order_by("-created_at", "-pk")
                    .values_list("number", "total")[:keep])
        return Duplicates([number for number, _total in rows], rows[0][1] if rows else 0)
    lat, lng = float(latitude), float(longitude)
    rows = candidates.filter(**bounding_box(lat, lng, DUPLICATE_RADIUS_M)).values_list("number", "latitude", "longitude")
    nearby = sorted((distance, number) for number, row_lat, row_lng in rows
                    if (distance := distance_m(lat, lng, float(row_lat), float(row_lng))) <= DUPLICATE_RADIUS_M)
    return Duplicates([number for _distance, number in nearby[:keep]], len(nearby))


def case_number(reported_at: datetime.datetime, pk: int) -> str:
    """A case's number: SX, the local day it was reported, its id (at least six digits)."""
    return f"SX{timezone.localtime(reported_at):%Y%m%d}{pk:06d}"


def new_case_id() -> int:
    """An id for a case about to be written, reserved first so that its number goes in with the row: one statement,
    as the UPDATE of the number it replaces. PostgreSQL: nextval; SQLite: the AUTOINCREMENT counter moved on and
    read back at once (`reserve_ids` takes four statements there; it is left for a table that has never had a row,
    which has no counter yet)."""
    connection = connections[router.db_for_write(Case)]
    if connection.vendor == "sqlite" and connection.features.can_return_columns_from_insert:  # RETURNING: 3.35
        with connection.cursor() as cursor:
            cursor.execute("UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = %s RETURNING seq",
                           [Case._meta.db_table])
            row = cursor.fetchone()
        if row is not None:
            return row[0]
    return reserve_ids(Case, 1)[0]


@transaction.atomic
def case_report(
    *, actor: User | AnonymousUser, category: Category, description: str, place: Place | None = None,
    latitude: Decimal | None = None, longitude: Decimal | None = None, address: str = "",
    answers: dict[str, Any] | None = None, channel: str = Channel.WEB, contact: Contact | None = None,
    attachments: list[UploadedFile] = (), media_urls: list[str] = (),
) -> Case:
    """Record a reported matter (stage "collected"). Staff may record it on behalf of a caller (contact).
    Clients that retry (the API, Open311) go through `case_report_once`. The case comes back with its log and
    attachments as written (`case.events.all()`, `case.attachments.all()` read nothing)."""
    is_anonymous_public = channel == Channel.OPEN311 and not getattr(actor, "is_authenticated", False)
    if not is_anonymous_public:
        require(actor, "case.add")
    contact = Contact(**{name: clean_text(value, multiline=False).strip()
                         for name, value in vars(contact or Contact()).items()})
    on_behalf = bool(contact.name or contact.phone) and channel in STAFF_CHANNELS
    if on_behalf:
        require(actor, "case.add_on_behalf")
    errors: dict[str, Any] = {}
    if channel in STAFF_CHANNELS and not can(actor, "case.add_on_behalf"):
        errors["channel"] = _("Only staff who record matters for callers may say a case came by phone or on the "
                              "spot.")
    if not category.is_active or reporter_kind(actor, channel) not in (category.open_to or list(ReporterKind)):
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

    user = actor if getattr(actor, "is_authenticated", False) else None
    address = clean_text(address, multiline=False).strip()[:255]
    pk = new_case_id()
    case = Case.objects.create(
        pk=pk, number=case_number(clock.now(), pk), category=category, description=description,
        answers=clean_answers, place=place, **scope_columns(Case, place.path), latitude=latitude, longitude=longitude,
        address=address, channel=channel, reporter=None if on_behalf else user, recorded_by=user,
        contact_name=contact.name[:100], contact_phone=contact.phone, contact_email=contact.email, stage=Stage.COLLECT,
    )
    if case.number != case_number(case.created_at, pk):  # midnight came between reading the clock and the INSERT
        case.number = case_number(case.created_at, pk)
        case.save(update_fields=["number"])
    added(case)
    attachments = [CaseAttachment.objects.create(case=case, file=item.file, content_type=item.content_type,
                                                 size=item.size, uploaded_by=user) for item in stored]
    attachments += [CaseAttachment.objects.create(case=case, url=url, uploaded_by=user) for url in media_urls]
    duplicates = possible_duplicates(category=category, latitude=latitude, longitude=longitude, place=place,
                                     exclude=case)
    event = log_event(case=case, actor=user, action="reported", to_stage=Stage.COLLECT,
                      data={"channel": channel, "possible_duplicates": duplicates.numbers,
                            "possible_duplicates_count": duplicates.count})
    _known(case, events=[event], attachments=attachments)  # the answer to the report needs no second read
    return case


@dataclass(frozen=True)
class Reported:
    case: Case
    created: bool  # False: a retry, answered with the case the first call created


def case_report_once(*, client: str, key: str, **report: Any) -> Reported:
    """`case_report` under a client's idempotency key: the first call creates the case, and every retry (also
    one racing it) gets that same case back with created=False, so an API answers it 200, never 201.

    The key is claimed before the case is written: a racing retry waits on the key's unique index (SQLite:
    on the write lock) and then finds the winner's case, without writing a case of its own."""
    if not key:
        return Reported(case_report(**report), True)
    earlier = IdempotencyKey.objects.filter(client=client, key=key).select_related("case").first()
    if earlier is not None:
        return Reported(earlier.case, False)
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = IdempotencyKey.objects.create(client=client, key=key)
        except IntegrityError:
            claim = None
        if claim is None:
            return Reported(IdempotencyKey.objects.select_related("case").get(client=client, key=key).case, False)
        claim.case = case_report(**report)
        claim.save(update_fields=["case"])
    return Reported(claim.case, True)
