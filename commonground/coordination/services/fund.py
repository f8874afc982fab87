"""Every write of the micro-governance fund: funds, projects and their budget lines, submission, the three
reviews (community → street → fund office), payments against receipts, photos, completion and the residents'
acceptance.

THE GUARD. Approval commits money and a payment pays it out with one conditional UPDATE on the fund row each
(`committed = committed + amount WHERE committed + amount <= total`), inside the service's transaction: the row
lock the UPDATE takes makes a concurrent approval wait and then test the condition again against the committed
figure as it now stands (PostgreSQL re-checks the WHERE of a row updated meanwhile), so no interleaving commits
past the total. The CHECK constraints on the fund and the project are the last line. A refused approval or
payment raises a ValidationError that says how much is left, and the transaction leaves nothing behind.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import Place, PlaceKind, User
from commonground.core.models.places import scope_columns
from commonground.core.permissions import can, require
from commonground.core.uploads import IMAGES, validate_upload
from commonground.deliberation.models import MeetingStatus, Resolution, Vote, VoteStatus
from commonground.deliberation.models import Outcome as VoteOutcome

from ..models import (
    ZERO,
    AcceptanceResult,
    BudgetLine,
    Disbursement,
    Fund,
    FundProject,
    FundStage,
    PhotoKind,
    ProjectPhoto,
    ProjectReview,
    ReviewDecision,
    ReviewLevel,
)

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")
EDITABLE = (FundStage.DRAFT,)
IN_REVIEW = (FundStage.SUBMITTED, FundStage.COMMUNITY_APPROVED, FundStage.STREET_APPROVED)
WITHDRAWABLE = (FundStage.DRAFT, *IN_REVIEW)
# The review each stage waits for: its level, the permission it needs (on the project, or on the fund for the
# fund office), and the stage an approval moves it to.
REVIEWS: dict[str, tuple[str, str, str]] = {
    FundStage.SUBMITTED: (ReviewLevel.COMMUNITY, "fund.review_community", FundStage.COMMUNITY_APPROVED),
    FundStage.COMMUNITY_APPROVED: (ReviewLevel.STREET, "fund.review_street", FundStage.STREET_APPROVED),
    FundStage.STREET_APPROVED: (ReviewLevel.FUND_OFFICE, "fund.approve", FundStage.APPROVED),
}


def yuan(amount: Decimal) -> str:
    """¥ figures as the messages state them: 12,345.60."""
    return f"{amount:,.2f}"


def _amount(value: Any, field: str, *, positive: bool = True) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Give an amount in yuan, such as 1200.50.")}) from None
    if not amount.is_finite() or amount > MAX_AMOUNT or amount < 0 or (positive and amount == 0):
        raise ValidationError({field: _("Give an amount above zero.") if positive else
                               _("Give an amount of zero or more.")})
    return amount


def _text(value: str | None) -> str:
    return (value or "").strip()


# ---- funds -------------------------------------------------------------------------------------------------

@transaction.atomic
def fund_create(*, actor: User, place: Place, name: str, year: int, total: Decimal,
                opens_on: datetime.date | None = None, closes_on: datetime.date | None = None) -> Fund:
    """Open a fund held at `place` (the fund office: "fund.approve" there)."""
    require(actor, "fund.approve", place)
    fund = Fund(place=place, name=_text(name), year=year, total=_amount(total, "total"), opens_on=opens_on,
                closes_on=closes_on)
    _check_fund(fund)
    fund.save()
    return fund


@transaction.atomic
def fund_update(*, actor: User, fund: Fund, **fields: Any) -> Fund:
    """Change a fund's name, year, total or application period; the total never drops below what is
    committed."""
    unknown = set(fields) - {"name", "year", "total", "opens_on", "closes_on"}
    if unknown:
        raise TypeError(f"fund_update() cannot change {', '.join(sorted(unknown))}")
    locked = Fund.objects.select_for_update().get(pk=fund.pk)
    require(actor, "fund.approve", locked)
    if "total" in fields:
        fields["total"] = _amount(fields["total"], "total")
        if fields["total"] < locked.committed:
            raise ValidationError({"total": _("The fund has already committed ¥%(committed)s; its total cannot be "
                                              "less.") % {"committed": yuan(locked.committed)}})
    if "name" in fields:
        fields["name"] = _text(fields["name"])
    for field, value in fields.items():
        setattr(locked, field, value)
    _check_fund(locked)
    locked.save()
    return locked


def _check_fund(fund: Fund) -> None:
    errors = {}
    if not fund.name:
        errors["name"] = _("Give the fund a name.")
    if not 2000 <= int(fund.year or 0) <= 2099:
        errors["year"] = _("Give the fund's year, such as 2023.")
    if fund.opens_on and fund.closes_on and fund.closes_on < fund.opens_on:
        errors["closes_on"] = _("Applications must close after they open.")
    if errors:
        raise ValidationError(errors)


# ---- projects ----------------------------------------------------------------------------------------------

def _check_decision(estate: Place, resolution: Resolution | None, vote: Vote | None) -> None:
    """A supporting resolution was adopted by a held meeting at the estate or its community; a supporting vote
    is one of the estate's owners' votes, closed and passed."""
    errors = {}
    if resolution is not None:
        meeting = resolution.meeting
        place = meeting.place
        at_estate_or_community = estate.path.startswith(place.path) and place.kind in (
            PlaceKind.ESTATE, PlaceKind.COMMUNITY)
        if not at_estate_or_community:
            errors["resolution"] = _("The resolution must come from a meeting of this estate or its community.")
        elif meeting.status != MeetingStatus.HELD:
            errors["resolution"] = _("The resolution's meeting has not been held.")
    if vote is not None:
        if vote.estate_id != estate.pk:
            errors["vote"] = _("The owners' vote must be one of this estate's.")
        elif vote.status != VoteStatus.CLOSED or vote.outcome != VoteOutcome.PASSED:
            errors["vote"] = _("The owners' vote has not passed.")
    if errors:
        raise ValidationError(errors)


def _clean_lines(lines: Iterable[Mapping[str, Any]]) -> list[BudgetLine]:
    cleaned = []
    for n, line in enumerate(lines, start=1):
        item, unit = _text(line.get("item")), _text(line.get("unit"))
        if not item:
            raise ValidationError({"budget_lines": _("Line %(n)d: say what the money buys.") % {"n": n}})
        if not unit:
            raise ValidationError({"budget_lines": _("Line %(n)d: give the unit (个, 米, 项…).") % {"n": n}})
        try:
            quantity = Decimal(str(line.get("quantity"))).quantize(CENT, rounding=ROUND_HALF_UP)
        except (InvalidOperation, ValueError, TypeError):
            quantity = Decimal(0)
        if not quantity.is_finite() or quantity <= 0 or quantity > Decimal("99999999.99"):
            raise ValidationError({"budget_lines": _("Line %(n)d: give a quantity above zero.") % {"n": n}})
        price = _amount(line.get("unit_price"), "budget_lines", positive=False)
        amount = (quantity * price).quantize(CENT, rounding=ROUND_HALF_UP)
        cleaned.append(BudgetLine(position=n, item=item[:200], unit=unit[:20], quantity=quantity, unit_price=price,
                                  amount=amount))
    return cleaned


def _set_lines(project: FundProject, lines: Iterable[Mapping[str, Any]]) -> None:
    cleaned = _clean_lines(lines)
    project.budget_lines.all().delete()
    for line in cleaned:
        line.project = project
    BudgetLine.objects.bulk_create(cleaned)
    project.requested_amount = sum((line.amount for line in cleaned), ZERO)
    if project.requested_amount > MAX_AMOUNT:
        raise ValidationError({"budget_lines": _("The budget is too large.")})


@transaction.atomic
def fund_project_create(*, actor: User, fund: Fund, estate: Place, title: str, description: str = "",
                        resolution: Resolution | None = None, vote: Vote | None = None,
                        lines: Iterable[Mapping[str, Any]] = ()) -> FundProject:
    """A draft project of `estate` on `fund` ("fund.apply" at the estate), with its budget lines (item,
    quantity, unit, unit_price; the amounts are computed) and the decision that supports it."""
    require(actor, "fund.view", fund)
    if estate.kind != PlaceKind.ESTATE:
        raise ValidationError({"estate": _("A fund project belongs to an estate.")})
    require(actor, "fund.apply", estate)
    if not estate.path.startswith(fund.place.path):
        raise ValidationError({"estate": _("This estate lies outside the fund's area.")})
    title = _text(title)
    if not title:
        raise ValidationError({"title": _("Give the project a title.")})
    _check_decision(estate, resolution, vote)
    project = FundProject.objects.create(
        fund=fund, estate=estate, title=title[:200], description=_text(description), resolution=resolution,
        vote=vote, applicant=actor, **scope_columns(FundProject, estate.path))
    _set_lines(project, lines)
    project.save(update_fields=["requested_amount", "updated_at"])
    return project


def _locked(project: FundProject) -> FundProject:
    return FundProject.objects.select_for_update(of=("self",)).select_related("fund__place", "estate").get(
        pk=project.pk)


def _expect(project: FundProject, stages: Iterable[str], message: str) -> None:
    if project.stage not in stages:
        raise ValidationError({"stage": message})


@transaction.atomic
def fund_project_update(*, actor: User, project: FundProject, lines: Iterable[Mapping[str, Any]] | None = None,
                        **fields: Any) -> FundProject:
    """Change a draft: title, description, the supporting resolution or vote, and (when given) all its budget
    lines at once."""
    unknown = set(fields) - {"title", "description", "resolution", "vote"}
    if unknown:
        raise TypeError(f"fund_project_update() cannot change {', '.join(sorted(unknown))}")
    project = _locked(project)
    require(actor, "fund.apply", project)
    _expect(project, EDITABLE, _("Only a draft can be changed; this project is %(stage)s.") % {
        "stage": project.get_stage_display()})
    if "title" in fields:
        fields["title"] = _text(fields["title"])[:200]
        if not fields["title"]:
            raise ValidationError({"title": _("Give the project a title.")})
    if "description" in fields:
        fields["description"] = _text(fields["description"])
    for field, value in fields.items():
        setattr(project, field, value)
    _check_decision(project.estate, project.resolution, project.vote)
    if lines is not None:
        _set_lines(project, lines)
    project.save()
    return project


@transaction.atomic
def fund_project_submit(*, actor: User, project: FundProject) -> FundProject:
    """Send a draft for review: it needs budget lines and a supporting resolution or owners' vote of its estate,
    and the fund open for applications today."""
    project = _locked(project)
    require(actor, "fund.apply", project)
    _expect(project, EDITABLE, _("Only a draft can be submitted; this project is %(stage)s.") % {
        "stage": project.get_stage_display()})
    errors = {}
    if not project.budget_lines.exists():
        errors["budget_lines"] = _("Add the budget lines before submitting.")
    if project.resolution_id is None and project.vote_id is None:
        errors["resolution"] = _("Name the meeting resolution or owners' vote that supports the project.")
    fund, today = project.fund, clock.today()
    if (fund.opens_on and today < fund.opens_on) or (fund.closes_on and today > fund.closes_on):
        errors["fund"] = _("The fund takes applications from %(opens)s to %(closes)s.") % {
            "opens": fund.opens_on or "—", "closes": fund.closes_on or "—"}
    if errors:
        raise ValidationError(errors)
    _check_decision(project.estate, project.resolution, project.vote)
    project.stage, project.returned, project.submitted_at = FundStage.SUBMITTED, False, clock.now()
    project.save(update_fields=["stage", "returned", "submitted_at", "updated_at"])
    return project


def review_permission(project: FundProject) -> tuple[str, str, Any] | None:
    """(level, permission, the object it is asked on) of the review the project waits for, or None."""
    review = REVIEWS.get(project.stage)
    if review is None:
        return None
    level, permission, _next = review
    return level, permission, project.fund if level == ReviewLevel.FUND_OFFICE else project


def may_review(actor: User, project: FundProject) -> bool:
    needed = review_permission(project)
    return needed is not None and can(actor, needed[1], needed[2])


def _commit(fund: Fund, amount: Decimal) -> None:
    """THE GUARD: set `amount` aside on the fund, or raise with what is left. One conditional UPDATE."""
    raised = Fund.objects.filter(pk=fund.pk, committed__lte=F("total") - amount).update(
        committed=F("committed") + amount, updated_at=clock.now())
    if not raised:
        current = Fund.objects.get(pk=fund.pk)
        raise ValidationError({"amount": _("The fund has ¥%(left)s left; this project needs ¥%(needed)s.") % {
            "left": yuan(current.total - current.committed), "needed": yuan(amount)}})


@transaction.atomic
def fund_project_review(*, actor: User, project: FundProject, decision: str, comment: str = "",
                        amount: Decimal | None = None) -> FundProject:
    """The review the project waits for: the community ("fund.review_community" at the estate), then the street
    ("fund.review_street"), then the fund office ("fund.approve" on the FUND's place). Approve moves it on; the
    fund office's approval commits `amount` (the requested amount unless less is given) through the guard.
    Return sends it back to a draft with the comment; reject ends it. A return or rejection needs a comment."""
    project = _locked(project)
    require(actor, "fund.view", project)
    needed = review_permission(project)
    if needed is None:
        raise ValidationError({"stage": _("This project is not waiting for a review; it is %(stage)s.") % {
            "stage": project.get_stage_display()}})
    level, permission, on = needed
    require(actor, permission, on)
    if decision not in ReviewDecision.values:
        raise ValidationError({"decision": _("Choose approve, return or reject.")})
    comment = _text(comment)
    if decision != ReviewDecision.APPROVE and not comment:
        raise ValidationError({"comment": _("Say why, for the applicant.")})
    now = clock.now()
    if decision == ReviewDecision.APPROVE:
        project.stage = REVIEWS[project.stage][2]
        if level == ReviewLevel.FUND_OFFICE:
            approved = project.requested_amount if amount is None else _amount(amount, "amount")
            if approved > project.requested_amount:
                raise ValidationError({"amount": _("The approved amount cannot exceed the ¥%(requested)s "
                                                   "requested.") % {"requested": yuan(project.requested_amount)}})
            if approved <= 0:
                raise ValidationError({"amount": _("Give an amount above zero.")})
            _commit(project.fund, approved)
            project.approved_amount, project.approved_at = approved, now
    elif decision == ReviewDecision.RETURN:
        project.stage, project.returned = FundStage.DRAFT, True
    else:
        project.stage = FundStage.REJECTED
    project.save()
    ProjectReview.objects.create(project=project, level=level, decision=decision, comment=comment, actor=actor)
    return project


@transaction.atomic
def fund_project_withdraw(*, actor: User, project: FundProject) -> FundProject:
    """The applicant's side takes back a project not yet approved."""
    project = _locked(project)
    require(actor, "fund.apply", project)
    _expect(project, WITHDRAWABLE, _("A project can be withdrawn only before it is approved."))
    project.stage = FundStage.WITHDRAWN
    project.save(update_fields=["stage", "updated_at"])
    return project


# ---- money out, photos, completion, acceptance ---------------------------------------------------------------

@transaction.atomic
def disbursement_record(*, actor: User, project: FundProject, amount: Decimal, paid_on: datetime.date,
                        receipt: File, note: str = "") -> Disbursement:
    """Pay `amount` to an approved project against a receipt ("fund.approve" on the fund): never beyond what was
    approved for it, never beyond what the fund committed. Two conditional UPDATEs (project, fund) in one
    transaction, like the approval's guard."""
    project = _locked(project)
    require(actor, "fund.view", project)
    require(actor, "fund.approve", project.fund)
    _expect(project, (FundStage.APPROVED, FundStage.COMPLETED), _("Only an approved project is paid."))
    amount = _amount(amount, "amount")
    if paid_on is None or paid_on > clock.today():
        raise ValidationError({"paid_on": _("Give the day it was paid (not in the future).")})
    stored = validate_upload(receipt, field="receipt")
    paid = FundProject.objects.filter(pk=project.pk, disbursed_amount__lte=F("approved_amount") - amount).update(
        disbursed_amount=F("disbursed_amount") + amount, updated_at=clock.now())
    if not paid:
        current = FundProject.objects.get(pk=project.pk)
        raise ValidationError({"amount": _("The project has ¥%(left)s approved and not yet paid; this payment is "
                                           "¥%(amount)s.") % {"left": yuan(current.left_to_pay),
                                                             "amount": yuan(amount)}})
    out = Fund.objects.filter(pk=project.fund_id, disbursed__lte=F("committed") - amount).update(
        disbursed=F("disbursed") + amount, updated_at=clock.now())
    if not out:  # only if the figures were changed behind the services' back; the transaction undoes the above
        raise ValidationError({"amount": _("The fund has not committed enough to pay ¥%(amount)s.") % {
            "amount": yuan(amount)}})
    return Disbursement.objects.create(project=project, amount=amount, paid_on=paid_on, receipt=stored.file,
                                       receipt_type=stored.content_type, note=_text(note)[:200], recorded_by=actor)


def may_add_photo(actor: User, project: FundProject) -> bool:
    return project.stage not in (FundStage.REJECTED, FundStage.WITHDRAWN) and (
        can(actor, "fund.apply", project) or can(actor, "fund.review_community", project))


@transaction.atomic
def project_photo_add(*, actor: User, project: FundProject, kind: str, image: File,
                      caption: str = "") -> ProjectPhoto:
    """A photo before or after the work, by the applicant's side or the community."""
    project = _locked(project)
    require(actor, "fund.view", project)
    if not may_add_photo(actor, project):
        require(actor, "fund.apply", project)
        raise ValidationError({"stage": _("This project takes no more photos.")})
    if kind not in PhotoKind.values:
        raise ValidationError({"kind": _("Say whether the photo was taken before or after the work.")})
    stored = validate_upload(image, field="image", kinds=IMAGES)
    return ProjectPhoto.objects.create(project=project, kind=kind, image=stored.file, image_type=stored.content_type,
                                       caption=_text(caption)[:200], uploaded_by=actor)


@transaction.atomic
def fund_project_complete(*, actor: User, project: FundProject) -> FundProject:
    """The work is done: an approved project with at least one photo after the work."""
    project = _locked(project)
    require(actor, "fund.apply", project)
    _expect(project, (FundStage.APPROVED,), _("Only an approved project can be completed."))
    if not project.photos.filter(kind=PhotoKind.AFTER).exists():
        raise ValidationError({"photos": _("Add a photo of the finished work first.")})
    project.stage, project.completed_at = FundStage.COMPLETED, clock.now()
    project.save(update_fields=["stage", "completed_at", "updated_at"])
    return project


def may_accept(actor: User, project: FundProject) -> bool:
    return can(actor, "fund.review_community", project) or can(actor, "fund.apply", project)


@transaction.atomic
def fund_project_accept(*, actor: User, project: FundProject, result: str, note: str = "",
                        accepted_on: datetime.date | None = None) -> FundProject:
    """Record the residents' acceptance of a completed project (the community or the owners' committee records
    it); a failed acceptance may be recorded again once the work is put right."""
    project = _locked(project)
    require(actor, "fund.view", project)
    if not may_accept(actor, project):
        require(actor, "fund.review_community", project)
    _expect(project, (FundStage.COMPLETED,), _("Only a completed project is accepted by the residents."))
    if project.acceptance_result == AcceptanceResult.PASSED:
        raise ValidationError({"result": _("The residents have already accepted this project.")})
    if result not in AcceptanceResult.values:
        raise ValidationError({"result": _("Choose whether the residents accepted the work.")})
    accepted_on = accepted_on or clock.today()
    if accepted_on > clock.today() or (project.completed_at and accepted_on < project.completed_at.date()):
        raise ValidationError({"accepted_on": _("The acceptance falls between completion and today.")})
    note = _text(note)
    if result == AcceptanceResult.FAILED and not note:
        raise ValidationError({"note": _("Say what must be put right.")})
    project.accepted_on, project.acceptance_result, project.acceptance_note = accepted_on, result, note
    project.save(update_fields=["accepted_on", "acceptance_result", "acceptance_note", "updated_at"])
    return project


def fund_project_allowed_actions(actor: User, project: FundProject) -> list[str]:
    """The steps the project page offers `actor` now, each only where its service would let them."""
    actions = []
    applies = can(actor, "fund.apply", project)
    if applies and project.stage in EDITABLE:
        actions += ["edit", "submit"]
    if may_review(actor, project):
        actions.append("review")
    if applies and project.stage in WITHDRAWABLE:
        actions.append("withdraw")
    if project.stage in (FundStage.APPROVED, FundStage.COMPLETED) and project.left_to_pay > 0 \
            and can(actor, "fund.approve", project.fund):
        actions.append("disburse")
    if may_add_photo(actor, project):
        actions.append("photo")
    if applies and project.stage == FundStage.APPROVED:
        actions.append("complete")
    if project.stage == FundStage.COMPLETED and project.acceptance_result != AcceptanceResult.PASSED \
            and may_accept(actor, project):
        actions.append("accept")
    return actions


def fund_committed_recount(fund: Fund) -> dict[str, Decimal]:
    """The fund's figures recounted from its projects (what the services keep in `committed`/`disbursed`)."""
    sums = fund.projects.aggregate(committed=Sum("approved_amount"), disbursed=Sum("disbursed_amount"))
    return {"committed": sums["committed"] or ZERO, "disbursed": sums["disbursed"] or ZERO}
