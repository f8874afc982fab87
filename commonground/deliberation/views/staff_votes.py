"""Staff pages to run owners' votes: the list, create and edit a draft, the manage page, live turnout,
announce / close / cancel / appeal, and paper or proxy ballots. Every write goes through a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commonground.core import clock
from commonground.core.permissions import require
from commonground.core.uploads import upload_response

from .. import rules
from ..models import SUPERMAJORITY_MATTERS, Matter, Vote, VoteStatus
from ..presentation import outcome_label, share_text
from ..selectors import access_vote, elector_options, managed_votes
from ..services.ballots import ballot_enter
from ..services.votes import (
    vote_allowed_actions,
    vote_announce,
    vote_cancel,
    vote_close,
    vote_create,
    vote_note_appeal,
    vote_update,
)
from ..tally import to_cents
from .forms_staff import (
    AppealForm,
    BallotForm,
    VoteFilterForm,
    VoteForm,
    apply_service_errors,
    managed_estates,
    matter_threshold,
)
from .staff import (
    OPTIONS_LIMIT,
    STATUS_LABELS,
    done,
    manage_url,
    phase_label,
    refused,
    render_manage,
    search_term,
    turnout_context,
)

PAGE_SIZE = 25


@login_required
def vote_list(request: HttpRequest) -> HttpResponse:
    """The votes the user may run, newest first, with turnout so far (one query for the page's rows)."""
    user = request.user
    require(user, "vote.manage")
    form = VoteFilterForm(request.GET or None, user=user)
    votes = managed_votes(user)
    if form.is_bound and not form.is_valid():
        votes = votes.none()
    elif form.is_bound:
        data = form.cleaned_data
        votes = votes.filter(**{k: v for k, v in (("estate", data["estate"]), ("status", data["status"]),
                                                   ("kind", data["kind"])) if v})
    page = Paginator(votes.order_by("-opens_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    now = clock.now()
    for vote in page.object_list:
        vote.phase, vote.status_label = phase_label(vote, now), STATUS_LABELS[vote.status]
        if vote.status in {VoteStatus.ANNOUNCED, VoteStatus.CLOSED}:
            vote.turnout_heads = share_text([vote.ballot_heads, vote.electorate_heads])
            vote.turnout_area = share_text([to_cents(vote.ballot_area or 0), to_cents(vote.electorate_area_m2)],
                                           area=True)
        vote.outcome_text = outcome_label(vote.outcome) if vote.status == VoteStatus.CLOSED else ""
    template = "deliberation/_staff_votes_results.html" if getattr(request, "htmx", False) and \
        request.htmx.target == "vote-results" else "deliberation/votes.html"
    return render(request, template, {"form": form, "page": page})


def _form_page(request: HttpRequest, form: VoteForm, vote: Vote | None, status: int = 200) -> HttpResponse:
    matters = [(value, label, matter_threshold(value), value in SUPERMAJORITY_MATTERS) for value, label in Matter.choices]
    estates: list = []
    if "estate" in form.fields:  # the first few, and the chosen one; a search finds the rest
        estates = list(form.fields["estate"].queryset[:OPTIONS_LIMIT])
        chosen = str(form["estate"].value() or "")
        if chosen and chosen not in {str(e.pk) for e in estates}:
            estates += list(form.fields["estate"].queryset.filter(pk=chosen)) if chosen.isdigit() else []
    return render(request, "deliberation/vote_form.html",
                  {"form": form, "vote": vote, "matters": matters, "estates": estates, "errors": bool(form.errors),
                   "kind": form.kind_value, "notice_days": rules.notice_days()}, status=status)


@login_required
def vote_new(request: HttpRequest) -> HttpResponse:
    """Create a draft vote or election in an estate the user may run votes in."""
    user = request.user
    require(user, "vote.manage")
    form = VoteForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            try:
                vote = vote_create(actor=user, **form.service_kwargs())
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return done(request, vote, _("Draft saved. Check it, then announce it."))
        return _form_page(request, form, None, status=400)
    return _form_page(request, form, None)


@login_required
def vote_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft (an announced vote is fixed by its notice)."""
    user = request.user
    vote = access_vote(user, pk, "vote.manage")
    if "edit" not in vote_allowed_actions(user, vote):
        return redirect(manage_url(vote))
    initial = {name: getattr(vote, name) for name in ("matter", "title", "description", "record_date", "opens_at",
                                                      "closes_at", "allow_change", "seats", "term_years")}
    form = VoteForm(request.POST or None, user=user, vote=vote, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                vote_update(actor=user, vote=vote, **form.service_kwargs())
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return done(request, vote, _("The draft was saved."))
        return _form_page(request, form, vote, status=400)
    return _form_page(request, form, vote)


@require_GET
@login_required
def vote_manage(request: HttpRequest, pk: int) -> HttpResponse:
    return render_manage(request, access_vote(request.user, pk, "vote.manage"))


@require_GET
@login_required
def vote_turnout(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the live turnout panel (polled every 10 seconds while voting runs)."""
    vote = access_vote(request.user, pk, "vote.manage")
    return render(request, "deliberation/_staff_turnout.html", {"turnout": turnout_context(vote)})


def _act(request: HttpRequest, pk: int, key: str, run: Callable[[Vote, Any, dict], Any],
         success: Callable[[Vote], str], anchor: str = "", form_class: type[forms.Form] = forms.Form) -> HttpResponse:
    """Run one service on the vote; a refusal shows the manage page with the error at its form."""
    vote = access_vote(request.user, pk, "vote.manage")
    form = form_class(request.POST, prefix=key if form_class is not forms.Form else None)
    if form.is_valid():
        try:
            run(vote, request.user, form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            vote = Vote.objects.get(pk=vote.pk)
            return done(request, vote, success(vote), anchor)
    return refused(request, vote, {key: form})


@require_POST
@login_required
def announce(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "announce", lambda vote, user, d: vote_announce(actor=user, vote=vote),
                lambda vote: _("Announced. The notice is posted and %(heads)d owners are on the register.")
                % {"heads": vote.electorate_heads})


@require_POST
@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "close", lambda vote, user, d: vote_close(actor=user, vote=vote),
                lambda vote: _("Voting is closed and the result is published: %(outcome)s.")
                % {"outcome": outcome_label(vote.outcome)}, anchor="result")


@require_POST
@login_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "cancel", lambda vote, user, d: vote_cancel(actor=user, vote=vote),
                lambda vote: _("The vote was cancelled."))


@require_POST
@login_required
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "appeal", lambda vote, user, d: vote_note_appeal(actor=user, vote=vote, note=d["note"]),
                lambda vote: _("The appeal was noted. The decision binds until a court revokes it."),
                anchor="appeal", form_class=AppealForm)


@login_required
def ballot_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter a paper ballot (with its scan) or a proxy ballot (with the authorisation); the clerk is the
    logged-in user. GET goes to the form on the manage page."""
    user = request.user
    vote = access_vote(user, pk, "vote.manage")
    if request.method != "POST":
        return redirect(manage_url(vote, "ballot-entry"))
    form = BallotForm(request.POST, request.FILES, prefix="ballot", vote=vote)
    if form.is_valid():
        try:
            ballot = ballot_enter(vote=vote, actor=user, **form.service_kwargs())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return done(request, vote, _("Ballot entered for %(owner)s. Receipt code: %(code)s — write it on the "
                                         "owner's copy.") % {"owner": ballot.elector.label,
                                                             "code": ballot.receipt_code}, "ballot-entry")
    return refused(request, vote, {"ballot": form})


@require_GET
@login_required
def elector_choices(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: owners on the register whose name matches, as <option>s of the ballot form."""
    vote = access_vote(request.user, pk, "ballot.enter")
    query = search_term(request)
    return render(request, "deliberation/_staff_elector_options.html",
                  {"electors": elector_options(vote, query, limit=OPTIONS_LIMIT), "query": query})


BALLOT_FILES = {"scan": ("scan", "scan_type"), "authorisation": ("proxy_authorisation", "proxy_authorisation_type")}


@require_GET
@login_required
def ballot_file(request: HttpRequest, pk: int, ballot: int, kind: str) -> FileResponse:
    """The scan of a paper ballot or a proxy's authorisation, to those who may view ballots."""
    vote = access_vote(request.user, pk, "ballot.view")
    if kind not in BALLOT_FILES:
        raise Http404
    field, type_field = BALLOT_FILES[kind]
    item = get_object_or_404(vote.ballots.exclude(**{field: ""}), pk=ballot)
    return upload_response(getattr(item, field), content_type=getattr(item, type_field),
                           name=f"vote-{vote.pk}-ballot-{item.pk}-{kind}")


@require_GET
@login_required
def estate_choices(request: HttpRequest) -> HttpResponse:
    """htmx: estates the user may run votes in whose name matches, as <option>s."""
    require(request.user, "vote.manage")
    query = search_term(request)
    estates = managed_estates(request.user).order_by("path")
    if query:
        estates = estates.filter(name__icontains=query)
    return render(request, "deliberation/_staff_estate_options.html",
                  {"estates": estates[:OPTIONS_LIMIT], "query": query})
