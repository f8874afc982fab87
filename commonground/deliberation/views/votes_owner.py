"""Owners' pages of a vote: my votes, the vote and its ballot, the published result and its record."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from commonground.core import clock
from commonground.core.permissions import can

from ..models import Ballot, CandidateStatus, Vote, VoteStatus
from ..presentation import (
    area_text,
    choice_label,
    names_of_candidates,
    outcome_label,
    outcome_text,
    result_bars,
    share_text,
    threshold_text,
)
from ..selectors import access_vote, candidate_names, notices_for
from ..selectors import my_votes as my_votes_of
from ..services.ballots import ballot_cast, elector_of
from .forms_owner import apply_service_errors, ballot_form, normalise_receipt

RECEIPTS_PER_PAGE = 50

PHASE_LABELS = {
    "draft": gettext_lazy("draft, not announced"),
    "cancelled": gettext_lazy("cancelled"),
    "upcoming": gettext_lazy("voting not open yet"),
    "open": gettext_lazy("voting open"),
    "counting": gettext_lazy("voting ended, result being fixed"),
    "closed": gettext_lazy("closed, result published"),
}


def phase_of(vote: Vote, now: datetime.datetime) -> str:
    """Where the vote stands for an owner: the status, and for an announced vote the window."""
    if vote.status != VoteStatus.ANNOUNCED:
        return str(vote.status)
    if now < vote.opens_at:
        return "upcoming"
    return "open" if now < vote.closes_at else "counting"


def manage_url(user: Any, vote: Vote) -> str | None:
    return reverse("deliberation:vote-manage", args=[vote.pk]) if can(user, "vote.manage", vote) else None


@dataclass
class VoteCard:
    vote: Vote
    phase: str
    phase_label: str
    receipt: str | None
    outcome: str


@login_required
@require_GET
def my_votes(request: HttpRequest) -> HttpResponse:
    """The votes on whose register the user stands: open, upcoming, closed (two queries whatever the count)."""
    user = request.user
    if not user.person_id:
        return render(request, "deliberation/my_votes.html", {"no_person": True})
    votes = list(my_votes_of(user))
    receipts = dict(Ballot.objects.filter(vote__in=[v.pk for v in votes], elector__memberships__person_id=user.person_id)
                    .values_list("vote_id", "receipt_code"))
    now = clock.now()
    names = names_of_candidates([vote for vote in votes if phase_of(vote, now) == "closed"])
    groups: dict[str, list[VoteCard]] = {"open": [], "upcoming": [], "closed": []}
    for vote in votes:
        phase = phase_of(vote, now)
        card = VoteCard(vote, phase, str(PHASE_LABELS[phase]), receipts.get(vote.pk),
                        outcome_text(vote, names) if phase == "closed" else "")
        groups["closed" if phase in {"counting", "closed"} else phase].append(card)
    groups["upcoming"].reverse()  # the next one first
    return render(request, "deliberation/my_votes.html", {"groups": groups, "any": bool(votes)})


def _ballot_text(vote: Vote, ballot: Ballot | None, names: dict[int, str]) -> str:
    if ballot is None:
        return ""
    if vote.is_election:
        return "、".join(names.get(pk, "?") for pk in ballot.candidates) or _("no candidate marked")
    return choice_label(ballot.choice)


def _refusals(form: Any, *, shown: bool) -> list[str]:
    """Messages to show above the ballot: the form's own, or every one when the form is not offered again."""
    if shown:
        return list(form.non_field_errors())
    return [message for messages_ in form.errors.values() for message in messages_]


@login_required
@require_http_methods(["GET", "POST"])
def vote_page(request: HttpRequest, pk: int) -> HttpResponse:
    """What is decided, the threshold, the window, and for an owner on the register the ballot."""
    user = request.user
    vote = access_vote(user, pk)
    now = clock.now()
    phase = phase_of(vote, now)
    elector = elector_of(vote, user)
    ballot = Ballot.objects.filter(vote=vote, elector=elector).first() if elector else None
    candidates = list(vote.candidates.filter(status=CandidateStatus.APPROVED).select_related("person")
                      .order_by("position", "pk")) if vote.is_election else []
    form = None
    status = 200
    if request.method == "POST":
        form = ballot_form(vote, candidates, request.POST)
        if form.is_valid():
            try:
                ballot_cast(vote=vote, actor=user, **form.cast_args())
            except ValidationError as error:
                apply_service_errors(form, error)
                status = 400
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("You may not vote in this vote."))
                status = 403
            else:
                messages.success(request, _("Your ballot was recorded. Keep your receipt code."))
                return redirect(reverse("deliberation:vote", args=[vote.pk]) + "#receipt")
        else:
            status = 400
    may_cast = elector is not None and phase == "open" and (ballot is None or vote.allow_change)
    if form is None and may_cast:
        form = ballot_form(vote, candidates)
        if ballot is not None:
            form.initial = {"candidates": ballot.candidates} if vote.is_election else {"choice": ballot.choice}
    names = {c.pk: c.person.name for c in candidates}
    context = {
        "vote": vote, "phase": phase, "phase_label": PHASE_LABELS[phase], "threshold": threshold_text(vote),
        "electorate_area": area_text(vote.electorate_area_m2), "elector": elector, "ballot": ballot,
        "ballot_text": _ballot_text(vote, ballot, names), "form": form if may_cast else None,
        "refusals": _refusals(form, shown=may_cast) if status != 200 else [], "may_cast": may_cast,
        "candidates": candidates,
        "boxes": list(zip(form["candidates"], candidates, strict=True)) if may_cast and vote.is_election else [],
        "notices": list(notices_for(user).filter(vote=vote).order_by("posted_on", "pk")),
        "manage_url": manage_url(user, vote),
    }
    return render(request, "deliberation/vote.html", context, status=status)


def _shares(counted: dict[str, list[int]]) -> dict[str, str]:
    return {"area": share_text(counted["area"], area=True), "heads": share_text(counted["heads"])}


def _receipt_rows(vote: Vote, ballots: list[dict], names: dict[int, str]) -> list[tuple[str, str]]:
    if vote.is_election:
        return [(b["receipt"], "、".join(names.get(c, "?") for c in b["candidates"]) or _("no candidate marked"))
                for b in ballots]
    return [(b["receipt"], choice_label(b["choice"])) for b in ballots]


@login_required
@require_GET
def vote_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The fixed result: every share as numerator/denominator, the hash, and the counted receipt codes."""
    user = request.user
    vote = access_vote(user, pk, status=VoteStatus.CLOSED)
    result = vote.result
    names = candidate_names(vote)
    rows = _receipt_rows(vote, result["record"]["ballots"], names)
    receipt = normalise_receipt(request.GET.get("receipt", ""))
    found = None
    if receipt:
        found = next((choice for code, choice in rows if code == receipt), None)
    lines = []
    if vote.is_election:
        for row in result["candidates"]:
            lines.append({"name": names.get(row["candidate"], "?"), **_shares(row), "rank": row["rank"],
                          "elected": row["elected"], "tied": row["tied"], "qualifies": row["qualifies"]})
    else:
        for choice in ("agree", "against", "abstain"):
            lines.append({"name": choice_label(choice), "choice": choice, **_shares(result[choice])})
    elector = elector_of(vote, user)
    mine = Ballot.objects.filter(vote=vote, elector=elector).values_list("receipt_code", flat=True).first() \
        if elector else None
    context = {
        "vote": vote, "outcome": outcome_text(vote, names) if vote.is_election else outcome_label(vote.outcome),
        "bars": result_bars(vote),
        "outcome_explained": (ELECTION_EXPLAINED if vote.is_election else OUTCOME_EXPLAINED)[vote.outcome],
        "quorum_met": result["quorum_met"], "threshold": threshold_text(vote), "lines": lines,
        "unfilled": result.get("unfilled", 0), "receipt": receipt, "found": found, "my_receipt": mine,
        "page": Paginator(rows, RECEIPTS_PER_PAGE).get_page(request.GET.get("page")), "counted": len(rows),
        "notices": list(notices_for(user).filter(vote=vote).order_by("posted_on", "pk")),
        "manage_url": manage_url(user, vote),
        "ballots_url": reverse("deliberation:vote-ballots", args=[vote.pk])
        if can(user, "ballot.inspect", vote) else None,
    }
    return render(request, "deliberation/vote_result.html", context)


OUTCOME_EXPLAINED = {
    "passed": gettext_lazy("Enough owners took part and enough agreed: the decision is made and binds every owner "
                           "of the estate."),
    "failed": gettext_lazy("Enough owners took part, but not enough agreed: the proposal is not adopted."),
    "no_quorum": gettext_lazy("Too few owners took part for the vote to count: nothing was decided."),
}
ELECTION_EXPLAINED = {
    "passed": gettext_lazy("Enough owners took part and every seat was filled."),
    "failed": gettext_lazy("Enough owners took part, but not every seat was filled."),
    "no_quorum": gettext_lazy("Too few owners took part for the election to count: nobody was elected."),
}


def canonical_json(record: dict) -> bytes:
    """The bytes the record hash is taken of (see tally.record_hash)."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@login_required
@require_GET
def vote_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored ballot record as canonical JSON: `sha256sum` of the file is the published hash."""
    vote = access_vote(request.user, pk, status=VoteStatus.CLOSED)
    response = HttpResponse(canonical_json(vote.result["record"]), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="vote-{vote.pk}-record.json"'
    return response
