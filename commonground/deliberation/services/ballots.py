"""Ballots: online by an owner on the register, on paper or by proxy entered by staff. One per owner per vote."""

from __future__ import annotations

import contextvars
import datetime
import random
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import User
from commonground.core.permissions import can, require
from commonground.core.uploads import StoredUpload

from ..models import Ballot, BallotChannel, BallotVersion, Choice, Elector, Vote, VoteStatus
from ._common import display_name, stored_upload

RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed from paper
RECEIPT_LENGTH = 10
_receipt_source: contextvars.ContextVar[random.Random | None] = contextvars.ContextVar("cg_receipt_source",
                                                                                      default=None)


def new_receipt_code() -> str:
    """Unguessable, from `secrets`, unless the caller draws them from a seeded source (`receipts_from`)."""
    source = _receipt_source.get()
    choice = source.choice if source is not None else secrets.choice
    return "".join(choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


@contextmanager
def receipts_from(source: random.Random) -> Iterator[None]:
    """Receipt codes drawn from `source` for the code inside (this thread or task only): the demo builds the same
    ballots from the same seed."""
    token = _receipt_source.set(source)
    try:
        yield
    finally:
        _receipt_source.reset(token)


def elector_of(vote: Vote, actor: User) -> Elector | None:
    """The register entry the user casts for (their own, or the one they share with co-owners)."""
    person_id = getattr(actor, "person_id", None)
    if not person_id:
        return None
    return Elector.objects.filter(vote=vote, memberships__person_id=person_id).first()


def clean_marks(vote: Vote, *, choice: str, candidates: Sequence[int]) -> tuple[str, list[int]]:
    if vote.is_election:
        try:
            marked = sorted({int(c) for c in candidates})
        except (TypeError, ValueError):
            raise ValidationError({"candidates": _("Mark only candidates on this ballot.")}) from None
        allowed = set(vote.candidates.filter(status="approved").values_list("pk", flat=True))
        if not set(marked) <= allowed:
            raise ValidationError({"candidates": _("Mark only candidates on this ballot.")})
        if len(marked) > (vote.seats or 0):
            raise ValidationError({"candidates": _("Mark at most %(seats)d candidates.") % {"seats": vote.seats}})
        return "", marked
    if choice not in Choice.values:
        raise ValidationError({"choice": _("Choose agree, against or abstain.")})
    return choice, []


def open_vote_for_ballots(vote: Vote) -> Vote:
    """The vote, read under a shared row lock: ballots may be recorded side by side, but not while
    vote_close (which takes the exclusive lock) fixes the result, so no ballot lands outside the record.
    SQLite serialises writers anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {Vote._meta.db_table} WHERE id = %s FOR SHARE", [vote.pk])
    return Vote.objects.select_related("estate").get(pk=vote.pk)


def ballot_refusal(vote: Vote, now: datetime.datetime, *, paper: bool) -> str | None:
    """Why no ballot (online, or with `paper` one entered by staff) can be recorded in the vote now; None when
    one can."""
    if vote.status == VoteStatus.CLOSED:
        return _("This vote is closed; its result is fixed.")
    if vote.status != VoteStatus.ANNOUNCED:
        return _("This vote is not open for voting.")
    if now < vote.opens_at:
        return _("Voting has not opened yet.")
    if now >= vote.closes_at and not paper:  # paper ballots collected by the deadline are entered until the count
        return _("Voting has closed.")
    return None


def _check_open(vote: Vote, now: datetime.datetime, *, paper: bool) -> None:
    refusal = ballot_refusal(vote, now, paper=paper)
    if refusal:
        raise ValidationError(refusal)


def _record(*, vote: Vote, elector: Elector, choice: str, candidates: list[int], channel: str, actor: User,
            clerk_name: str = "", proxy_name: str = "", scan: StoredUpload | None = None,
            authorisation: StoredUpload | None = None) -> Ballot:
    """Create the ballot or, where the rules allow, a new version of it; keep every version."""
    # Lock only the ballot row (no join, no default ordering): casts hold a shared lock on the vote row.
    ballot = Ballot.objects.select_for_update(of=("self",)).filter(vote=vote, elector=elector).order_by().first()
    if ballot is None:
        ballot = Ballot(vote=vote, elector=elector, receipt_code=new_receipt_code())
    elif not vote.allow_change:
        raise ValidationError(_("A ballot has already been cast for this owner; this vote's rules do not allow "
                                "changing it."))
    else:
        ballot.version += 1
    ballot.choice, ballot.candidates, ballot.channel = choice, candidates, channel
    ballot.cast_by, ballot.clerk_name, ballot.proxy_name = actor, clerk_name, proxy_name
    if scan is not None:
        ballot.scan, ballot.scan_type = scan.file, scan.content_type
    if authorisation is not None:
        ballot.proxy_authorisation, ballot.proxy_authorisation_type = authorisation.file, authorisation.content_type
    try:
        with transaction.atomic():
            ballot.save()
    except IntegrityError:  # a co-owner's or a second tab's first ballot won the race
        raise ValidationError(_("A ballot was just cast for this owner; reload the page to see it.")) from None
    BallotVersion.objects.create(ballot=ballot, version=ballot.version, choice=choice, candidates=candidates,
                                 channel=channel, cast_by=actor, clerk_name=clerk_name, proxy_name=proxy_name)
    return ballot


@transaction.atomic
def ballot_cast(*, vote: Vote, actor: User, choice: str = "", candidates: Sequence[int] = ()) -> Ballot:
    """An owner on the register votes online; returns the ballot with its receipt code."""
    vote = open_vote_for_ballots(vote)
    elector = elector_of(vote, actor)
    if elector is None or not getattr(actor, "is_active", False):
        raise PermissionDenied(_("You are not on this vote's register of owners."))
    _check_open(vote, clock.now(), paper=False)
    choice, marked = clean_marks(vote, choice=choice, candidates=candidates)
    return _record(vote=vote, elector=elector, choice=choice, candidates=marked, channel=BallotChannel.ONLINE,
                   actor=actor)


@transaction.atomic
def ballot_enter(*, vote: Vote, actor: User, elector: Elector, choice: str = "", candidates: Sequence[int] = (),
                 scan: UploadedFile | None = None, proxy_name: str = "", authorisation: UploadedFile | None = None,
                 ) -> Ballot:
    """Staff enter a paper ballot (with its scan) or a proxy ballot (with the uploaded authorisation)."""
    vote = open_vote_for_ballots(vote)
    require(actor, "ballot.enter", vote)
    if elector.vote_id != vote.pk:
        raise ValidationError({"elector": _("This owner is not on this vote's register.")})
    _check_open(vote, clock.now(), paper=True)
    choice, marked = clean_marks(vote, choice=choice, candidates=candidates)
    proxy_name = (proxy_name or "").strip()
    stored_scan = stored_upload(scan, "scan", required=not proxy_name)
    stored_authorisation = stored_upload(authorisation, "authorisation", required=True) if proxy_name else None
    channel = BallotChannel.PROXY if proxy_name else BallotChannel.PAPER
    if Ballot.objects.filter(vote=vote, elector=elector, channel=BallotChannel.ONLINE).exists():
        raise ValidationError({"elector": _("This owner has voted online; only they can change that ballot.")})
    return _record(vote=vote, elector=elector, choice=choice, candidates=marked, channel=channel, actor=actor,
                   clerk_name=display_name(actor)[:100], proxy_name=proxy_name[:100], scan=stored_scan,
                   authorisation=stored_authorisation)


def my_ballot(vote: Vote, actor: User) -> Ballot | None:
    elector = elector_of(vote, actor)
    return Ballot.objects.filter(vote=vote, elector=elector).first() if elector else None


def may_see_ballot_files(actor: User, vote: Vote) -> bool:
    return can(actor, "ballot.view", vote)
