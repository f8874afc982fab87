"""Owners' votes: create, announce with a 15-day notice, close with a fixed, hashed result, note an appeal."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import Place, PlaceKind, User
from commonground.core.permissions import can, require
from commonground.core.text import clean_text
from commonground.core.validators import calendar_range_message, in_calendar_range

from .. import rules
from ..models import Ballot, Elector, ElectorMember, Matter, Outcome, Vote, VoteKind, VoteStatus
from ..tally import record_hash, tally_decision, tally_election, to_cents
from .ballots import ballot_refusal
from .elections import CANDIDATE_STEPS, election_refusal
from .electorate import compute_electorate

VOTE_FIELDS = ("matter", "title", "description", "record_date", "opens_at", "closes_at", "allow_change", "seats",
               "term_years")


def aware(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A time without a zone is local time (Asia/Shanghai)."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def estate_flat_count(estate: Place) -> int:
    return Place.objects.within(estate).of_kind(PlaceKind.FLAT).count()


def _check_election(vote: Vote) -> dict[str, str]:
    errors = {}
    small = estate_flat_count(vote.estate) < rules.small_estate_households()
    allowed = [n for n in (3, 5, 7, 9, 11) if n >= 5 or (small and n >= rules.small_estate_min_seats())]
    if vote.seats not in allowed:
        errors["seats"] = _("An owners' committee has an odd number of seats: %(allowed)s.") % {
            "allowed": "、".join(str(n) for n in allowed)}
    low, high = rules.committee_term_years()
    if vote.term_years is None or not low <= vote.term_years <= high:
        errors["term_years"] = _("The term is %(low)d to %(high)d years.") % {"low": low, "high": high}
    return errors


def _clean(vote: Vote, now: datetime.datetime) -> None:
    """Check a draft before it is saved; every problem is reported at once, by field."""
    errors: dict[str, str] = {}
    if vote.estate.kind != PlaceKind.ESTATE:
        errors["estate"] = _("Owners vote in an estate (小区).")
    vote.title = clean_text(vote.title, multiline=False).strip()[:200]
    vote.description = clean_text(vote.description).strip()
    if not vote.title:
        errors["title"] = _("Give the vote a title.")
    if vote.kind not in VoteKind.values:
        errors["kind"] = _("Choose a decision or an election.")
    elif vote.kind == VoteKind.ELECTION:
        vote.matter = Matter.COMMITTEE
        errors.update(_check_election(vote))
    else:
        vote.seats = vote.term_years = None
    if vote.matter not in Matter.values:
        errors["matter"] = _("Choose one of the nine matters of Civil Code Art. 278.")
    vote.opens_at, vote.closes_at = aware(vote.opens_at), aware(vote.closes_at)
    out_of_range = {name: calendar_range_message() for name in ("record_date", "opens_at", "closes_at")
                    if getattr(vote, name) is not None and not in_calendar_range(getattr(vote, name))}
    if out_of_range:  # the comparisons below would overflow at the calendar's edges
        raise ValidationError({**errors, **out_of_range})
    if vote.opens_at <= now:
        errors["opens_at"] = _("Voting must open in the future.")
    if vote.closes_at <= vote.opens_at:
        errors["closes_at"] = _("Voting must close after it opens.")
    if vote.record_date > timezone.localtime(vote.opens_at).date():
        errors["record_date"] = _("The record date must not be after voting opens.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def vote_create(*, actor: User, estate: Place, kind: str = VoteKind.DECISION, matter: str = "", title: str,
                description: str = "", record_date: datetime.date, opens_at: datetime.datetime,
                closes_at: datetime.datetime, allow_change: bool = True, seats: int | None = None,
                term_years: int | None = None) -> Vote:
    """A draft vote in an estate; an election decides matter 3 and has seats and a term."""
    require(actor, "vote.manage", estate)
    vote = Vote(estate=estate, kind=kind, matter=matter, title=title, description=description,
                record_date=record_date, opens_at=opens_at, closes_at=closes_at, allow_change=allow_change,
                seats=seats, term_years=term_years, created_by=actor)
    _clean(vote, clock.now())
    vote.save()
    return vote


def _locked(vote: Vote) -> Vote:
    return Vote.objects.select_for_update(of=("self",)).select_related("estate").get(pk=vote.pk)


# Why a step is not open on the vote now (None: it is). The services raise these; `vote_allowed_actions` offers
# a step only when its refusal is None, so the buttons and the services cannot disagree.

def _edit_refusal(vote: Vote) -> str | None:
    return None if vote.status == VoteStatus.DRAFT else _("Only a draft can be changed; cancel and start again.")


def _announce_refusal(vote: Vote) -> str | None:
    if vote.status == VoteStatus.DRAFT:
        return None
    return _("Only a draft can be announced; this vote is %(status)s.") % {"status": vote.get_status_display()}


def _cancel_refusal(vote: Vote, now: datetime.datetime) -> str | None:
    before_opening = vote.status == VoteStatus.DRAFT or (vote.status == VoteStatus.ANNOUNCED and now < vote.opens_at)
    return None if before_opening else _("A vote can be cancelled only before voting opens.")


def _close_refusal(vote: Vote, now: datetime.datetime) -> str | None:
    if vote.status != VoteStatus.ANNOUNCED:
        return _("Only an announced vote can be closed.")
    if now < vote.closes_at:
        return _("Voting is still open until %(time)s.") % {"time": f"{timezone.localtime(vote.closes_at):%Y-%m-%d %H:%M}"}
    return None


def _appeal_refusal(vote: Vote) -> str | None:
    return None if vote.status == VoteStatus.CLOSED else _("Only a decided vote can be appealed.")


def _refuse(refusal: str | None) -> None:
    if refusal:
        raise ValidationError(refusal)


def earliest_opening(on: datetime.date) -> datetime.date:
    """The first day voting may open when the vote is announced on `on`: the notice runs the configured number
    of days (15)."""
    return on + datetime.timedelta(days=rules.notice_days())


def notice_long_enough(vote: Vote, on: datetime.date) -> bool:
    return timezone.localtime(vote.opens_at).date() >= earliest_opening(on)


def register_known(vote: Vote, on: datetime.date) -> bool:
    """The register is frozen as on the record date, so that day must have come."""
    return vote.record_date <= on


@transaction.atomic
def vote_update(*, actor: User, vote: Vote, **changes: Any) -> Vote:
    """Change a draft (after announcement the notice is what owners rely on)."""
    vote = _locked(vote)
    require(actor, "vote.manage", vote)
    _refuse(_edit_refusal(vote))
    unknown = set(changes) - set(VOTE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    for name, value in changes.items():
        setattr(vote, name, value)
    _clean(vote, clock.now())
    vote.save()
    return vote


@transaction.atomic
def vote_announce(*, actor: User, vote: Vote) -> Vote:
    """Freeze the electorate from the register on the record date and post the notice today, at least the
    configured number of days (15) before voting opens."""
    from .elections import check_ready_for_announcement
    from .notices import publish_vote_notice

    vote = _locked(vote)
    require(actor, "vote.manage", vote)
    on = clock.today()
    _refuse(_announce_refusal(vote))
    errors = {}
    earliest = earliest_opening(on)
    if not notice_long_enough(vote, on):
        errors["opens_at"] = _("The notice must be posted %(days)d days before voting opens: open on %(date)s or "
                               "later.") % {"days": rules.notice_days(), "date": earliest.isoformat()}
    if vote.opens_at <= clock.now():
        errors["opens_at"] = _("Voting must open in the future.")
    if not register_known(vote, on):
        errors["record_date"] = _("The record date must be today or earlier, so the register is known.")
    if vote.is_election:
        errors.update(check_ready_for_announcement(vote))
    if errors:
        raise ValidationError(errors)
    drafts = compute_electorate(vote.estate, vote.record_date)
    if not drafts:
        raise ValidationError(_("No owners are registered in this estate on the record date."))
    electors = Elector.objects.bulk_create(
        [Elector(vote=vote, key=d.key, label=d.label[:300], flats=[name for name, _area in d.flats.values()],
                 area_m2=d.area_m2) for d in drafts])
    ElectorMember.objects.bulk_create([
        ElectorMember(elector=elector, **{f"{kind}_id": pk})
        for elector, draft in zip(electors, drafts, strict=True) for kind, pk in draft.holders])
    vote.electorate_heads = len(drafts)
    vote.electorate_area_m2 = sum((d.area_m2 for d in drafts), Decimal("0"))
    vote.status = VoteStatus.ANNOUNCED
    vote.announced_on = on
    vote.save()
    publish_vote_notice(vote=vote, actor=actor, on=on)
    return vote


@transaction.atomic
def vote_cancel(*, actor: User, vote: Vote) -> Vote:
    vote = _locked(vote)
    require(actor, "vote.manage", vote)
    _refuse(_cancel_refusal(vote, clock.now()))
    vote.status = VoteStatus.CANCELLED
    vote.save(update_fields=["status", "updated_at"])
    return vote


def ballot_record(vote: Vote) -> dict:
    """The canonical ballot record a result is computed from, hashed and published.

    Per ballot only its random receipt code, what it chose and the area it weighs (every ballot is one head),
    in receipt-code order; and the register's totals. No name, flat, channel or database key: nothing in it
    can be joined to an owner (who voted how is for `ballot.inspect`, see selectors.ballots_to_inspect)."""
    areas = [to_cents(area) for area in vote.electors.values_list("area_m2", flat=True)]
    ballots = (Ballot.objects.filter(vote=vote).order_by("receipt_code")
               .values_list("receipt_code", "elector__area_m2", "choice", "candidates"))
    return {
        "vote": vote.pk, "estate": vote.estate.code, "matter": vote.matter, "kind": vote.kind, "seats": vote.seats,
        "candidates": list(vote.candidates.filter(status="approved").order_by("position", "pk")
                           .values_list("pk", flat=True)) if vote.is_election else [],
        "electorate": {"area": sum(areas), "heads": len(areas)},
        "ballots": [{"receipt": receipt, "area": to_cents(area), "choice": choice,
                     "candidates": sorted(candidates or [])}
                    for receipt, area, choice, candidates in ballots],
    }


def tally_record(record: dict) -> dict:
    """Tally a ballot record (stored, published or freshly read) from the record alone: the same record always
    gives the same result. A receipt code twice, or ballots weighing more than the register, raise ValueError."""
    from ..models import SUPERMAJORITY_MATTERS

    ballots = record["ballots"]
    receipts = [b["receipt"] for b in ballots]
    if len(set(receipts)) != len(receipts):
        raise ValueError("a receipt code appears twice in the record")
    weights = {b["receipt"]: b["area"] for b in ballots}
    register = (record["electorate"]["area"], record["electorate"]["heads"])
    if record["kind"] == VoteKind.ELECTION:
        marks = {b["receipt"]: b["candidates"] for b in ballots}
        return tally_election(weights, marks, candidates=record["candidates"], seats=record["seats"],
                              register=register).as_dict()
    choices = {b["receipt"]: b["choice"] for b in ballots}
    return tally_decision(weights, choices, supermajority=record["matter"] in SUPERMAJORITY_MATTERS,
                          register=register).as_dict()


@transaction.atomic
def vote_close(*, actor: User, vote: Vote) -> Vote:
    """Fix the result once voting has closed: tally, store the record and its hash, publish the result notice
    today; an election that filled its seats forms the owners' committee today."""
    from .elections import form_committee
    from .notices import publish_result_notice

    vote = _locked(vote)
    require(actor, "vote.manage", vote)
    now = clock.now()
    _refuse(_close_refusal(vote, now))
    record = ballot_record(vote)
    result = tally_record(record)
    vote.result = {**result, "record": record}
    vote.record_hash = record_hash(record)
    vote.outcome = result["outcome"]
    vote.status = VoteStatus.CLOSED
    vote.closed_at = now
    vote.closed_by = actor
    vote.save()
    if vote.is_election and vote.outcome == Outcome.PASSED:
        form_committee(vote=vote, on=clock.today())
    publish_result_notice(vote=vote, actor=actor, on=clock.today())
    return vote


def vote_verify(vote: Vote) -> tuple[bool, bool]:
    """Re-check a closed vote: (the stored record still hashes to the stored hash and tallies to the stored
    result, the ballots in the database still give the same record)."""
    stored = vote.result.get("record", {})
    published = {key: value for key, value in vote.result.items() if key != "record"}
    try:
        retallied = tally_record(stored)
    except (KeyError, TypeError, ValueError):  # not a record of this form: it cannot be what was fixed
        retallied = None
    stored_ok = record_hash(stored) == vote.record_hash and retallied == published and \
        published.get("outcome") == vote.outcome
    return stored_ok, ballot_record(vote) == stored


@transaction.atomic
def vote_note_appeal(*, actor: User, vote: Vote, note: str) -> Vote:
    """Note that an owner asked a court to revoke the decision (Art. 280); the decision binds meanwhile."""
    vote = _locked(vote)
    require(actor, "vote.manage", vote)
    _refuse(_appeal_refusal(vote))
    note = clean_text(note).strip()
    if not note:
        raise ValidationError({"note": _("Say who appealed, when and to which court.")})
    vote.appeal_note = note
    vote.appeal_noted_at = clock.now()
    vote.save(update_fields=["appeal_note", "appeal_noted_at", "updated_at"])
    return vote



def vote_allowed_actions(actor: User, vote: Vote) -> list[str]:
    """The steps the staff pages offer this user on the vote now: each one whose permission the resolver gives
    and whose refusal (the one its service raises) is None. Announcing also checks the dates and, for an
    election, the group and candidates: the page lists those checks beside the button."""
    now = clock.now()
    actions = []
    if can(actor, "vote.manage", vote):
        steps = {"edit": _edit_refusal(vote), "announce": _announce_refusal(vote),
                 "cancel": _cancel_refusal(vote, now), "close": _close_refusal(vote, now),
                 "appeal": _appeal_refusal(vote)}
        actions += [step for step, refusal in steps.items() if refusal is None]
    if can(actor, "ballot.enter", vote) and ballot_refusal(vote, now, paper=True) is None:
        actions.append("enter")
    if vote.status == VoteStatus.CLOSED and can(actor, "ballot.inspect", vote):
        actions.append("inspect")
    if election_refusal(vote) is None:
        actions += [step for step, action in CANDIDATE_STEPS.items() if can(actor, action, vote)]
    return actions
