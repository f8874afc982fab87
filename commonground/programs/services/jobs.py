"""Job postings: post (a draft), change, publish, close, put in a job fair; import a fair's postings from a file;
express interest in a posting and withdraw it.

Who posts: staff holding "posting.manage" at the place (a street's staff at their street, a community worker at
their community, a building commissioner in their business community) and an enterprise's contact at their office
building (their role's scope). Who may be interested: anyone signed in whose account has a person record, in a
published posting still open (not closed, its closing day not passed); staff at a fair's desk may record it for a
visitor.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from commonground.core import clock
from commonground.core.models import Organisation, Person, Place, User
from commonground.core.models.places import scope_columns
from commonground.core.permissions import can, require
from commonground.core.rosters.readers import read_upload
from commonground.core.validators import validate_credit_code

from ..models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    JobInterest,
    JobPosting,
    PostingAudience,
    PostingStatus,
)

# The fields a posting's form, the API and the import set (the scope, status and times are the services').
POSTING_FIELDS = ("title", "employer_name", "employer_credit_code", "employer_organisation", "employer_place",
                  "positions", "pay_min", "pay_max", "requirements", "work_location", "work_place", "audience",
                  "closes_on")
MAX_POSITIONS = 100_000
MAX_PAY = Decimal("10000000")


def _check_posting(values: dict[str, Any]) -> dict[str, Any]:
    """The posting's values cleaned, or ValidationError with every field's error at once."""
    errors: dict[str, str] = {}
    cleaned = dict(values)
    for field, limit in (("title", 200), ("employer_name", 200), ("work_location", 200)):
        cleaned[field] = (values.get(field) or "").strip()
        if len(cleaned[field]) > limit:
            errors[field] = _("At most %(limit)d characters.") % {"limit": limit}
    if not cleaned["title"]:
        errors["title"] = _("Give the job a title.")
    if not cleaned["employer_name"]:
        errors["employer_name"] = _("Name the employer.")
    code = (values.get("employer_credit_code") or "").strip().upper()
    if code:
        try:
            validate_credit_code(code)
        except ValidationError as error:
            errors["employer_credit_code"] = error.messages[0]
    cleaned["employer_credit_code"] = code
    positions = values.get("positions")
    if positions is None or not isinstance(positions, int) or positions < 1:
        errors["positions"] = _("A posting offers at least 1 position.")
    elif positions > MAX_POSITIONS:
        errors["positions"] = _("At most %(limit)d positions in one posting.") % {"limit": MAX_POSITIONS}
    pay_min, pay_max = values.get("pay_min"), values.get("pay_max")
    for field, pay in (("pay_min", pay_min), ("pay_max", pay_max)):
        if pay is not None and not Decimal(0) <= pay <= MAX_PAY:
            errors[field] = _("Monthly pay is between 0 and 10,000,000 yuan.")
    if pay_min is not None and pay_max is not None and pay_max < pay_min and "pay_max" not in errors:
        errors["pay_max"] = _("The highest pay cannot be below the lowest.")
    if values.get("audience", PostingAudience.EVERYONE) not in PostingAudience.values:
        errors["audience"] = _("Choose whom the posting is for.")
    closes_on = values.get("closes_on")
    if closes_on is not None and closes_on < clock.today():
        errors["closes_on"] = _("The closing day cannot be in the past.")
    cleaned["requirements"] = (values.get("requirements") or "").strip()
    for field in ("employer_place", "work_place"):
        place = values.get(field)
        if place is not None and not isinstance(place, Place):
            errors[field] = _("Choose a place.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _locked(posting: JobPosting) -> JobPosting:
    return JobPosting.objects.select_for_update().get(pk=posting.pk)


def _check_fair(actor: User, fair: Activity | None) -> None:
    if fair is None:
        return
    if fair.kind != ActivityKind.JOB_FAIR:
        raise ValidationError({"fair": _("Only a job fair groups job postings.")})
    if not can(actor, "activity.view", fair):
        raise ValidationError({"fair": _("Choose a job fair you can see.")})
    if fair.status == ActivityStatus.CANCELLED:
        raise ValidationError({"fair": _("This job fair is cancelled.")})


@transaction.atomic
def posting_create(*, actor: User, place: Place, title: str, employer_name: str, positions: int,
                   employer_credit_code: str = "", employer_organisation: Organisation | None = None,
                   employer_place: Place | None = None, pay_min: Decimal | None = None,
                   pay_max: Decimal | None = None, requirements: str = "", work_location: str = "",
                   work_place: Place | None = None, audience: str = PostingAudience.EVERYONE,
                   closes_on: datetime.date | None = None, fair: Activity | None = None) -> JobPosting:
    """A draft posting at `place` (where `actor` holds "posting.manage"), optionally in a job fair."""
    require(actor, "posting.manage", place)
    values = _check_posting({
        "title": title, "employer_name": employer_name, "employer_credit_code": employer_credit_code,
        "employer_organisation": employer_organisation, "employer_place": employer_place, "positions": positions,
        "pay_min": pay_min, "pay_max": pay_max, "requirements": requirements, "work_location": work_location,
        "work_place": work_place, "audience": audience, "closes_on": closes_on})
    _check_fair(actor, fair)
    return JobPosting.objects.create(**values, fair=fair, place=place, created_by=actor,
                                     **scope_columns(JobPosting, place.path))


@transaction.atomic
def posting_update(*, actor: User, posting: JobPosting, **changes: Any) -> JobPosting:
    """Change a draft or published posting's fields (`POSTING_FIELDS`); a closed one stays as it was."""
    unknown = set(changes) - set(POSTING_FIELDS)
    if unknown:
        raise TypeError(f"posting_update() got unexpected fields {sorted(unknown)}")
    posting = _locked(posting)
    require(actor, "posting.manage", posting)
    if posting.status == PostingStatus.CLOSED:
        raise ValidationError({"status": _("This posting is closed; it can no longer be changed.")})
    values = {field: getattr(posting, field) for field in POSTING_FIELDS}
    if "closes_on" not in changes:  # an unchanged closing day that has passed does not block other changes
        values["closes_on"] = None
    values.update(changes)
    cleaned = _check_posting(values)
    if "closes_on" not in changes:
        cleaned["closes_on"] = posting.closes_on
    for field, value in cleaned.items():
        setattr(posting, field, value)
    posting.save()
    return posting


@transaction.atomic
def posting_publish(*, actor: User, posting: JobPosting) -> JobPosting:
    """Put a draft on the board; its closing day must not have passed."""
    posting = _locked(posting)
    require(actor, "posting.manage", posting)
    if posting.status != PostingStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft posting can be published.")})
    if posting.closes_on is not None and posting.closes_on < clock.today():
        raise ValidationError({"closes_on": _("The closing day cannot be in the past.")})
    posting.status, posting.published_at = PostingStatus.PUBLISHED, clock.now()
    posting.save(update_fields=["status", "published_at", "updated_at"])
    return posting


@transaction.atomic
def posting_close(*, actor: User, posting: JobPosting) -> JobPosting:
    """The positions are filled (or the employer withdrew them): the posting leaves the board; interests stay on
    record."""
    posting = _locked(posting)
    require(actor, "posting.manage", posting)
    if posting.status == PostingStatus.CLOSED:
        raise ValidationError({"status": _("This posting is already closed.")})
    posting.status, posting.closed_at = PostingStatus.CLOSED, clock.now()
    posting.save(update_fields=["status", "closed_at", "updated_at"])
    return posting


@transaction.atomic
def posting_attach_to_fair(*, actor: User, posting: JobPosting, fair: Activity | None) -> JobPosting:
    """Put the posting in a job fair the actor sees (or take it out with `fair=None`)."""
    posting = _locked(posting)
    require(actor, "posting.manage", posting)
    if posting.status == PostingStatus.CLOSED:
        raise ValidationError({"status": _("This posting is closed; it can no longer be changed.")})
    _check_fair(actor, fair)
    posting.fair = fair
    posting.save(update_fields=["fair", "updated_at"])
    return posting


def posting_allowed_actions(actor: User, posting: JobPosting) -> list[str]:
    """What `actor` may do with the posting now: edit, publish, close, fair; interest or withdraw."""
    actions = []
    if can(actor, "posting.manage", posting):
        if posting.status != PostingStatus.CLOSED:
            actions += ["edit", "close", "fair"]
        if posting.status == PostingStatus.DRAFT:
            actions.append("publish")
    if interest_refusal(actor, posting) is None:
        actions.append("interest")
    return actions


def is_open(posting: JobPosting, today: datetime.date | None = None) -> bool:
    """Published and its closing day not passed."""
    today = today or clock.today()
    return posting.status == PostingStatus.PUBLISHED and (posting.closes_on is None or posting.closes_on >= today)


def interest_refusal(actor: User, posting: JobPosting) -> str | None:
    """Why `actor` may not say they are interested in the posting now (a sentence), or None."""
    if not getattr(actor, "is_authenticated", False):
        return _("Sign in to say you are interested.")
    if not is_open(posting):
        return _("This posting is no longer open.")
    if not actor.person_id:
        return _("Your account is not linked to a person; ask the community to link it first.")
    return None


@transaction.atomic
def interest_express(*, actor: User, posting: JobPosting, note: str = "", phone_consent: bool = False,
                     person: Person | None = None) -> JobInterest:
    """`actor` (or, recorded at the fair's desk by staff managing the posting, `person`) is interested in a
    published, open posting. Once: a second time is refused; a withdrawn interest may be expressed again."""
    if not can(actor, "posting.view", posting):
        raise PermissionDenied(_("You do not have permission to do this here."))
    posting = JobPosting.objects.select_for_update().get(pk=posting.pk)
    if person is not None and person.pk != actor.person_id:
        require(actor, "posting.manage", posting)
    elif refusal := interest_refusal(actor, posting):
        raise ValidationError({"posting": refusal})
    person = person or actor.person
    if not is_open(posting):
        raise ValidationError({"posting": _("This posting is no longer open.")})
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": _("At most %(limit)d characters.") % {"limit": 500}})
    already = _("%(name)s has already said they are interested in this posting.") % {"name": person.name}
    interest = JobInterest.objects.select_for_update().filter(posting=posting, person=person).first()
    now = clock.now()
    if interest is not None:
        if interest.withdrawn_at is None:
            raise ValidationError({"posting": already})
        interest.withdrawn_at, interest.expressed_at = None, now
        interest.note, interest.phone_consent, interest.expressed_by = note, phone_consent, actor
        interest.save()
        return interest
    try:
        with transaction.atomic():
            return JobInterest.objects.create(posting=posting, person=person, expressed_by=actor, note=note,
                                              phone_consent=phone_consent, expressed_at=now,
                                              place_path=posting.place_path)
    except IntegrityError:  # the same person at the same moment from another device
        raise ValidationError({"posting": already}) from None


@transaction.atomic
def interest_withdraw(*, actor: User, interest: JobInterest) -> JobInterest:
    """Withdraw an interest (one's own, or by staff managing the posting)."""
    interest = JobInterest.objects.select_for_update().select_related("posting").get(pk=interest.pk)
    if not interest.is_own(actor, "posting.view"):
        if not can(actor, "posting.view", interest):
            raise PermissionDenied(_("You do not have permission to do this here."))
        require(actor, "posting.manage", interest.posting)
    if interest.withdrawn_at is not None:
        raise ValidationError({"status": _("This interest is already withdrawn.")})
    interest.withdrawn_at = clock.now()
    interest.save(update_fields=["withdrawn_at", "updated_at"])
    return interest


# --- import of a fair's postings ---------------------------------------------------------------------------------

IMPORT_COLUMNS = ("employer_name", "employer_credit_code", "title", "positions", "pay_min", "pay_max",
                  "requirements", "work_location", "audience", "closes_on")
REQUIRED_COLUMNS = ("employer_name", "title", "positions")
# headers a spreadsheet may use for each column (English, as the template has them, or Chinese)
IMPORT_HEADERS = {
    "employer_name": ("employer_name", "employer", "用人单位", "单位名称", "企业名称"),
    "employer_credit_code": ("employer_credit_code", "credit_code", "统一社会信用代码", "信用代码"),
    "title": ("title", "job", "岗位", "岗位名称", "职位"),
    "positions": ("positions", "招聘人数", "人数", "岗位数"),
    "pay_min": ("pay_min", "最低月薪", "月薪下限", "薪资下限"),
    "pay_max": ("pay_max", "最高月薪", "月薪上限", "薪资上限"),
    "requirements": ("requirements", "要求", "任职要求", "岗位要求"),
    "work_location": ("work_location", "工作地点", "地点"),
    "audience": ("audience", "面向", "招聘对象"),
    "closes_on": ("closes_on", "截止日期", "报名截止"),
}
AUDIENCE_WORDS = {
    "": PostingAudience.EVERYONE, "everyone": PostingAudience.EVERYONE, "不限": PostingAudience.EVERYONE,
    "所有人": PostingAudience.EVERYONE, "courier_families": PostingAudience.COURIER_FAMILIES,
    "小哥家属": PostingAudience.COURIER_FAMILIES, "快递小哥家属": PostingAudience.COURIER_FAMILIES,
    "new_employment": PostingAudience.NEW_EMPLOYMENT, "新就业群体": PostingAudience.NEW_EMPLOYMENT,
    "residents": PostingAudience.RESIDENTS, "辖区居民": PostingAudience.RESIDENTS,
}
PAY = re.compile(r"^\d{1,8}(\.\d{1,2})?$")


@dataclass
class PostingRow:
    row: int
    values: dict[str, Any]


def parse_posting_rows(rows: list[dict[str, Any]]) -> list[PostingRow]:
    """Check every row; all errors at once, each told by row and column (ValidationError({"rows": [...]}))."""
    errors: list[str] = []
    parsed: list[PostingRow] = []
    labels = import_column_labels()

    def fail(row: int, column: str, message: str) -> None:
        errors.append(_("Row %(row)d, %(column)s: %(message)s") % {
            "row": row, "column": labels[column], "message": message})

    for index, raw in enumerate(rows, start=1):
        row = int(raw.get("_row") or index)
        text = {column: str(raw.get(column) if raw.get(column) is not None else "").strip()
                for column in IMPORT_COLUMNS}
        before = len(errors)
        values: dict[str, Any] = {"employer_name": text["employer_name"], "title": text["title"],
                                  "requirements": text["requirements"], "work_location": text["work_location"]}
        for column, limit in (("employer_name", 200), ("title", 200), ("work_location", 200)):
            if column in REQUIRED_COLUMNS and not text[column]:
                fail(row, column, _("this cell is empty."))
            elif len(text[column]) > limit:
                fail(row, column, _("at most %(limit)d characters.") % {"limit": limit})
        code = text["employer_credit_code"].upper()
        if code:
            try:
                validate_credit_code(code)
            except ValidationError as error:
                fail(row, "employer_credit_code", error.messages[0])
        values["employer_credit_code"] = code
        positions = text["positions"]
        if not positions.isdigit() or not 1 <= int(positions) <= MAX_POSITIONS:
            fail(row, "positions", _("a whole number of at least 1."))
        else:
            values["positions"] = int(positions)
        for column in ("pay_min", "pay_max"):
            values[column] = None
            if text[column]:
                try:
                    values[column] = Decimal(text[column]) if PAY.match(text[column]) else None
                except InvalidOperation:
                    values[column] = None
                if values[column] is None:
                    fail(row, column, _("an amount in yuan, such as 4500."))
        if values["pay_min"] is not None and values["pay_max"] is not None and values["pay_max"] < values["pay_min"]:
            fail(row, "pay_max", _("the highest pay is below the lowest."))
        audience = AUDIENCE_WORDS.get(text["audience"].lower() if text["audience"].isascii() else text["audience"])
        if audience is None:
            fail(row, "audience", _("one of: 不限, 小哥家属, 新就业群体, 辖区居民."))
        values["audience"] = audience
        values["closes_on"] = None
        if text["closes_on"]:
            try:
                values["closes_on"] = datetime.date.fromisoformat(text["closes_on"][:10])
            except ValueError:
                fail(row, "closes_on", _("a date as YYYY-MM-DD."))
            else:
                if values["closes_on"] < clock.today():
                    fail(row, "closes_on", _("the day has passed."))
        if len(errors) == before:
            parsed.append(PostingRow(row, values))
    if errors:
        raise ValidationError({"rows": errors})
    return parsed


def import_column_labels() -> dict[str, str]:
    """Each import column as the file's Chinese header names it (the first Chinese header)."""
    return {column: next((name for name in names if not name.isascii()), column)
            for column, names in IMPORT_HEADERS.items()}


@transaction.atomic
def postings_import(*, actor: User, fair: Activity, rows: list[dict[str, Any]],
                    publish: bool = True) -> list[JobPosting]:
    """The fair's postings from `rows` (dicts keyed by `IMPORT_COLUMNS`, `_row` numbering a row as its file does),
    posted at the fair's place and published (or left as drafts). Every row is checked first; with any error
    nothing is imported. `actor` holds "posting.manage" at the fair's place."""
    if not can(actor, "activity.view", fair):
        raise PermissionDenied(_("You do not have permission to do this here."))
    require(actor, "posting.manage", fair.place)
    _check_fair(actor, fair)
    if not rows:
        raise ValidationError({"rows": _("The file has no posting.")})
    parsed = parse_posting_rows(rows)
    now = clock.now()
    scope = scope_columns(JobPosting, fair.place.path)
    status = PostingStatus.PUBLISHED if publish else PostingStatus.DRAFT
    # One insert for the file, with the history rows the one-by-one saves would write (dated by the one clock).
    return bulk_create_with_history([
        JobPosting(**row.values, fair=fair, place=fair.place, created_by=actor, status=status,
                   published_at=now if publish else None, **scope) for row in parsed],
        JobPosting, default_user=actor, default_date=now)


def posting_rows(upload: Any) -> list[dict[str, Any]]:
    """The rows of a fair's postings file (CSV or XLSX, read as rosters are) for `postings_import`, with each
    row's number in the file; headers in English or Chinese (用人单位, 岗位, 招聘人数, …)."""
    table, index = read_upload(upload, IMPORT_HEADERS)
    labels = import_column_labels()
    missing = [labels[column] for column in REQUIRED_COLUMNS if column not in index]
    if missing:
        raise ValidationError({"file": _("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)}})
    return [{"_row": number, **{column: (cells[position] if position < len(cells) else "")
                                for column, position in index.items()}}
            for number, cells in table.rows]
