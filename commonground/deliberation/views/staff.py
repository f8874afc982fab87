"""What the staff vote pages share: the turnout figures, the manage page's context (the steps on offer come from
`vote_allowed_actions`), and answering a refused or accepted action."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from commonground.core import clock
from commonground.core.permissions import can

from .. import rules
from ..models import CANDIDATE_CONDITIONS, BallotChannel, Vote, VoteStatus
from ..presentation import (
    THRESHOLD_MARKS,
    area_text,
    bar_width,
    outcome_label,
    share_text,
    threshold_label,
    threshold_text,
)
from ..selectors import (
    access_vote,
    ballot_channels,
    candidate_names,
    election_candidates,
    elector_options,
    last_entered,
    register_with_ballots,
    turnout,
)
from ..services.ballots import ballot_refusal
from ..services.elections import check_ready_for_announcement, preparatory_group_problems
from ..services.votes import (
    earliest_opening,
    notice_long_enough,
    register_known,
    vote_allowed_actions,
    vote_verify,
)
from ..tally import QUORUM
from .forms_staff import (
    AppealForm,
    BallotForm,
    CandidateForm,
    CandidateReviewForm,
    GroupMemberForm,
    estate_owners,
    matter_threshold,
)

# Own words for the status badge: the model's "closed" shares its msgid with a closed case (结案).
STATUS_LABELS = {VoteStatus.DRAFT: pgettext_lazy("vote status", "draft"),
                 VoteStatus.ANNOUNCED: pgettext_lazy("vote status", "announced"),
                 VoteStatus.CLOSED: pgettext_lazy("vote status", "closed"),
                 VoteStatus.CANCELLED: pgettext_lazy("vote status", "cancelled")}
ELECTORS_PER_PAGE = 50
OPTIONS_LIMIT = 50


def search_term(request: HttpRequest) -> str:
    """What a search box typed: `q`, or the named box that triggered the htmx request (`estate_q`...)."""
    for name in ("q", "estate_q", "elector_q", "owner_q"):
        value = (request.GET.get(name) or "").strip()
        if value:
            return value
    return ""


def url_or_empty(name: str, *args: Any) -> str:
    """Pages built by other helpers may not exist yet; a missing one is left out, not an error."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def manage_url(vote: Vote, anchor: str = "") -> str:
    return reverse("deliberation:vote-manage", args=[vote.pk]) + (f"#{anchor}" if anchor else "")


def done(request: HttpRequest, vote: Vote, message: str, anchor: str = "") -> HttpResponse:
    messages.success(request, message)
    return redirect(manage_url(vote, anchor))


def refused(request: HttpRequest, vote: Vote, bound: dict[str, forms.Form]) -> HttpResponse:
    """The manage page again with the refused form's errors; nothing was changed."""
    for form in bound.values():  # reasons not tied to a field (or to a button: announce, close) go on top
        reasons = form.non_field_errors() if form.fields else [m for ms in form.errors.values() for m in ms]
        for reason in reasons:
            messages.error(request, _("Nothing was changed: %(reason)s") % {"reason": reason})
        if any(form.errors.get(name) for name in form.fields):
            messages.error(request, _("Nothing was changed. Please correct the marked fields."))
    vote = access_vote(request.user, vote.pk)  # as it is now: the refused step changed nothing, others may have
    return render(request, "deliberation/vote_manage.html", manage_context(request, vote, bound), status=400)


def phase_label(vote: Vote, now: datetime.datetime) -> str:
    """Where an announced vote stands in time (its status alone does not say)."""
    if vote.status != VoteStatus.ANNOUNCED:
        return ""
    if now < vote.opens_at:
        return _("notice period")
    return _("voting open") if now < vote.closes_at else _("voting ended: close it to count")


def turnout_context(vote: Vote) -> dict[str, Any]:
    """Ballots so far against the register and against the 2/3 quorum, area and heads, every share exact."""
    counted = turnout(vote)
    channels = ballot_channels(vote)
    rows = []
    for key, label, share, area in (("area", _("Exclusive area"), counted.area, True),
                                    ("heads", _("Owners (heads)"), counted.heads, False)):
        needed = share.needed_for(QUORUM)
        missing = max(needed - share.part, 0)
        rows.append({
            "key": key, "label": label, "register": share_text(share.as_list(), area=area),
            "quorum": share_text([share.part, needed], area=area),
            "missing": area_text(missing / 100) if area else str(missing),
            "met": share.at_least(QUORUM), "bar": bar_width(share.part, share.whole), "text": share_text(
                share.as_list(), area=area), "mark": THRESHOLD_MARKS[QUORUM],
            "threshold": threshold_label(QUORUM, strict=False),
        })
    return {"vote": vote, "rows": rows, "ballots": counted.ballots, "quorum_met": counted.quorum_met,
            "channels": [(BallotChannel(c).label, n) for c, n in channels.items()],
            "polling": vote.status == VoteStatus.ANNOUNCED, "checked_at": timezone.localtime()}


def electors_page(request: HttpRequest, vote: Vote):
    """The register with whether each owner has voted and how; never what they chose."""
    query = (request.GET.get("q") or "").strip()
    page = Paginator(register_with_ballots(vote, query), ELECTORS_PER_PAGE).get_page(request.GET.get("page"))
    for elector in page.object_list:
        elector.channel_label = BallotChannel(elector.channel).label if elector.channel else ""
    return page, query


def result_context(vote: Vote) -> dict[str, Any]:
    """The fixed result as shares (numerator / denominator), and a fresh re-tally from the stored ballots."""
    result = vote.result
    quorum = result.get("quorum", {"area": [0, 0], "heads": [0, 0]})
    rows = [(_("Taking part (of the register)"), share_text(quorum["area"], area=True), share_text(quorum["heads"]))]
    candidates = []
    if vote.is_election:
        names = candidate_names(vote)
        candidates = [{**row, "name": names.get(row["candidate"], "?"), "area_text": share_text(row["area"], area=True),
                       "heads_text": share_text(row["heads"])} for row in result.get("candidates", [])]
    else:
        for key, label in (("agree", _("Agree")), ("against", _("Against")), ("abstain", _("Abstain"))):
            rows.append((label, share_text(result[key]["area"], area=True), share_text(result[key]["heads"])))
    stored_ok, same = vote_verify(vote)
    return {"outcome": outcome_label(vote.outcome), "rows": rows, "candidates": candidates,
            "quorum_met": result.get("quorum_met"), "unfilled": result.get("unfilled", 0),
            "verified": stored_ok and same, "stored_ok": stored_ok, "same": same,
            "result_url": url_or_empty("deliberation:vote-result", vote.pk),
            "record_url": url_or_empty("deliberation:vote-record", vote.pk)}


def announce_checks(vote: Vote) -> tuple[datetime.date, list[tuple[bool, str]]]:
    """What announcing will check, shown before the clerk tries: the earliest lawful opening day and more."""
    today = clock.today()
    earliest = earliest_opening(today)
    opens_on = timezone.localtime(vote.opens_at).date()
    opening = _("Voting opens on %(opens)s; with %(days)d days' notice from today it may open on "
                "%(earliest)s at the earliest.") % {"opens": opens_on.isoformat(), "days": rules.notice_days(),
                                                   "earliest": earliest.isoformat()}
    record = _("Record date %(date)s is today or earlier.") % {"date": vote.record_date.isoformat()}
    checks = [(notice_long_enough(vote, today), opening), (register_known(vote, today), record)]
    if vote.is_election:
        checks += [(False, str(message)) for message in check_ready_for_announcement(vote).values()]
    return earliest, checks


def _election_context(request: HttpRequest, vote: Vote, bound: dict[str, forms.Form]) -> dict[str, Any]:
    user = request.user
    candidates = election_candidates(vote)
    for candidate in candidates:
        form = bound.get(f"review-{candidate.pk}") or CandidateReviewForm(
            prefix=f"review-{candidate.pk}", initial=candidate.conditions)
        candidate.review_form = form
        candidate.checklist = [(label, bool(candidate.conditions.get(key)))
                               for key, label in CANDIDATE_CONDITIONS.items()]
    return {
        "members": list(vote.preparatory_members.all()),
        "group_problems": preparatory_group_problems(vote),
        "group_form": bound.get("group") or GroupMemberForm(prefix="group"),
        "candidates": candidates,
        "candidate_form": bound.get("candidate") or CandidateForm(prefix="candidate", vote=vote, user=user),
        "owner_options": estate_owners(vote, user)[:OPTIONS_LIMIT],
    }


def manage_context(request: HttpRequest, vote: Vote, bound: dict[str, forms.Form] | None = None) -> dict[str, Any]:
    """Everything the manage page shows for the vote's status; `bound` carries refused forms with errors."""
    user, bound, now = request.user, bound or {}, clock.now()
    status = vote.status
    vote.status_label = STATUS_LABELS[status]
    actions = vote_allowed_actions(user, vote)
    context: dict[str, Any] = {
        "vote": vote, "threshold": threshold_text(vote), "phase": phase_label(vote, now),
        "matter_threshold": matter_threshold(vote.matter),
        "may": {"enter": can(user, "ballot.enter", vote), "ballot_files": can(user, "ballot.view", vote),
                "inspect": "inspect" in actions, "add_candidate": "add_candidate" in actions,
                "review": "review_candidate" in actions, "withdraw": "withdraw_candidate" in actions},
        "is_draft": status == VoteStatus.DRAFT, "is_announced": status == VoteStatus.ANNOUNCED,
        "is_closed": status == VoteStatus.CLOSED, "is_open": ballot_refusal(vote, now, paper=False) is None,
        "can_cancel": "cancel" in actions, "can_close": "close" in actions, "ballots_open": "enter" in actions,
        "notices_url": url_or_empty("deliberation:notices"),
    }
    if context["is_draft"]:
        earliest, checks = announce_checks(vote)
        context |= {"earliest_opening": earliest, "announce_checks": checks, "announce_form": bound.get("announce")}
        if vote.is_election:
            context |= _election_context(request, vote, bound)
    if context["is_announced"]:
        page, query = electors_page(request, vote)
        context |= {"turnout": turnout_context(vote), "electors": page, "elector_query": query,
                    "ballot_form": bound.get("ballot") or BallotForm(prefix="ballot", vote=vote),
                    "elector_choices": elector_options(vote, limit=OPTIONS_LIMIT), "clerk_name": str(user),
                    "last_entered": last_entered(vote, user)}
    if context["is_closed"]:
        context |= {"turnout": turnout_context(vote), "result": result_context(vote),
                    "appeal_form": bound.get("appeal") or AppealForm(prefix="appeal")}
    return context


def render_manage(request: HttpRequest, vote: Vote) -> HttpResponse:
    return render(request, "deliberation/vote_manage.html", manage_context(request, vote))
