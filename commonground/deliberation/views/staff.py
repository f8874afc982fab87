"""What the staff vote pages share: finding a vote the user manages, the turnout figures, the manage page's
context, and answering a refused or accepted action."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from commonground.core import clock
from commonground.core.permissions import can, require, visible_to

from .. import rules
from ..models import CANDIDATE_CONDITIONS, Ballot, BallotChannel, Elector, ElectorMember, Vote, VoteStatus
from ..presentation import area_text, outcome_label, share_text, threshold_text
from ..selectors import turnout
from ..services.elections import check_ready_for_announcement, preparatory_group_problems
from ..services.votes import vote_verify
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


def managed_vote_or_404(user: Any, pk: int, action: str = "vote.manage") -> Vote:
    """The vote if the user may do `action` on it. A vote the user cannot even see is a 404 (ids leak
    nothing); one they see (an owner on its register) but may not manage is a 403."""
    vote = get_object_or_404(visible_to(user, "vote.view", Vote.objects.select_related("estate__parent")), pk=pk)
    require(user, action, vote)
    return vote


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
    vote = Vote.objects.select_related("estate__parent").get(pk=vote.pk)
    return render(request, "deliberation/vote_manage.html", manage_context(request, vote, bound), status=400)


def phase_label(vote: Vote, now: datetime.datetime) -> str:
    """Where an announced vote stands in time (its status alone does not say)."""
    if vote.status != VoteStatus.ANNOUNCED:
        return ""
    if now < vote.opens_at:
        return _("notice period")
    return _("voting open") if now < vote.closes_at else _("voting ended: close it to count")


def quorum_needed(whole: int) -> int:
    """The least integer part that is at least 2/3 of `whole` (parts are cents or heads)."""
    return (2 * whole + 2) // 3


def _percent(part: int, whole: int) -> str:
    return f"{min(part * 100 / whole, 100):.2f}" if whole else "0"


def turnout_context(vote: Vote) -> dict[str, Any]:
    """Ballots so far against the register and against the 2/3 quorum, area and heads, every share exact."""
    counted = turnout(vote)
    channels = vote.ballots.aggregate(**{c: Count("pk", filter=Q(channel=c)) for c in BallotChannel.values})
    rows = []
    for key, label, share, area in (("area", _("Exclusive area"), counted.area, True),
                                    ("heads", _("Owners (heads)"), counted.heads, False)):
        needed = quorum_needed(share.whole)
        missing = max(needed - share.part, 0)
        rows.append({
            "key": key, "label": label, "register": share_text(share.as_list(), area=area),
            "quorum": share_text([share.part, needed], area=area),
            "missing": area_text(missing / 100) if area else str(missing),
            "met": share.part >= needed and share.whole > 0, "bar": _percent(share.part, share.whole),
        })
    return {"vote": vote, "rows": rows, "ballots": counted.ballots, "quorum_met": counted.quorum_met,
            "channels": [(BallotChannel(c).label, n) for c, n in channels.items()],
            "polling": vote.status == VoteStatus.ANNOUNCED, "checked_at": timezone.localtime()}


def by_pinyin(electors: QuerySet[Elector]) -> QuerySet[Elector]:
    """Owners in the order clerks know from their rosters (pinyin of the first owner); organisations last."""
    first = ElectorMember.objects.filter(elector=OuterRef("pk"), person__isnull=False).order_by(
        "person__name_pinyin").values("person__name_pinyin")[:1]
    return electors.annotate(sort_name=Subquery(first)).order_by(F("sort_name").asc(nulls_last=True), "label", "pk")


def electors_page(request: HttpRequest, vote: Vote):
    """The register with whether each owner has voted and how; never what they chose."""
    electors = by_pinyin(vote.electors.annotate(
        channel=F("ballots__channel"), ballot_pk=F("ballots__pk"), scan=F("ballots__scan"),
        authorisation=F("ballots__proxy_authorisation"), version=F("ballots__version")))
    query = (request.GET.get("q") or "").strip()
    if query:
        electors = electors.filter(label__icontains=query)
    page = Paginator(electors, ELECTORS_PER_PAGE).get_page(request.GET.get("page"))
    for elector in page.object_list:
        elector.channel_label = BallotChannel(elector.channel).label if elector.channel else ""
    return page, query


def elector_options(vote: Vote, query: str = "") -> QuerySet[Elector]:
    electors = by_pinyin(vote.electors.annotate(channel=F("ballots__channel")))
    return (electors.filter(label__icontains=query) if query else electors)[:OPTIONS_LIMIT]


def last_entered(vote: Vote, user: Any) -> Ballot | None:
    """The ballot this clerk entered last, so its receipt code can be copied onto the owner's slip."""
    return (vote.ballots.filter(cast_by=user, channel__in=[BallotChannel.PAPER, BallotChannel.PROXY])
            .select_related("elector").order_by("-updated_at", "-pk").first())


def result_context(vote: Vote) -> dict[str, Any]:
    """The fixed result as shares (numerator / denominator), and a fresh re-tally from the stored ballots."""
    result = vote.result
    quorum = result.get("quorum", {"area": [0, 0], "heads": [0, 0]})
    rows = [(_("Taking part (of the register)"), share_text(quorum["area"], area=True), share_text(quorum["heads"]))]
    candidates = []
    if vote.is_election:
        names = dict(vote.candidates.values_list("pk", "person__name"))
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
    earliest = today + datetime.timedelta(days=rules.notice_days())
    opens_on = timezone.localtime(vote.opens_at).date()
    checks = [
        (opens_on >= earliest, _("Voting opens on %(opens)s; with %(days)d days' notice from today it may open on "
                                 "%(earliest)s at the earliest.") % {"opens": opens_on.isoformat(),
                                                                     "days": rules.notice_days(),
                                                                     "earliest": earliest.isoformat()}),
        (vote.record_date <= today, _("Record date %(date)s is today or earlier.") % {
            "date": vote.record_date.isoformat()}),
    ]
    if vote.is_election:
        checks += [(False, str(message)) for message in check_ready_for_announcement(vote).values()]
    return earliest, checks


def _election_context(request: HttpRequest, vote: Vote, bound: dict[str, forms.Form]) -> dict[str, Any]:
    user = request.user
    candidates = list(vote.candidates.select_related("person"))
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
    context: dict[str, Any] = {
        "vote": vote, "threshold": threshold_text(vote), "phase": phase_label(vote, now), "matter_threshold": matter_threshold(vote.matter),
        "may": {"enter": can(user, "ballot.enter", vote), "ballot_files": can(user, "ballot.view", vote),
                "inspect": status == VoteStatus.CLOSED and can(user, "ballot.inspect", vote),
                "add_candidate": can(user, "candidate.add", vote), "review": can(user, "candidate.review", vote),
                "withdraw": can(user, "candidate.delete", vote)},
        "is_draft": status == VoteStatus.DRAFT, "is_announced": status == VoteStatus.ANNOUNCED,
        "is_closed": status == VoteStatus.CLOSED, "is_open": status == VoteStatus.ANNOUNCED and
        vote.opens_at <= now < vote.closes_at,
        "can_cancel": status == VoteStatus.DRAFT or (status == VoteStatus.ANNOUNCED and now < vote.opens_at),
        "can_close": status == VoteStatus.ANNOUNCED and now >= vote.closes_at,
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
                    "elector_choices": elector_options(vote), "clerk_name": str(user),
                    "last_entered": last_entered(vote, user),
                    "ballots_open": now >= vote.opens_at}
    if context["is_closed"]:
        context |= {"turnout": turnout_context(vote), "result": result_context(vote),
                    "appeal_form": bound.get("appeal") or AppealForm(prefix="appeal")}
    return context


def render_manage(request: HttpRequest, vote: Vote) -> HttpResponse:
    return render(request, "deliberation/vote_manage.html", manage_context(request, vote))
