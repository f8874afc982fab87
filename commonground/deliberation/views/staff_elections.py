"""Staff actions that prepare an owners' committee election: the preparatory group and the candidates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..selectors import access_vote
from ..services.elections import (
    candidate_register,
    candidate_review,
    candidate_withdraw,
    preparatory_member_add,
    preparatory_member_remove,
)
from .forms_staff import (
    CandidateForm,
    CandidateReviewForm,
    GroupMemberForm,
    apply_service_errors,
    estate_owners,
)
from .staff import OPTIONS_LIMIT, done, refused, search_term


@require_POST
@login_required
def group_add(request: HttpRequest, pk: int) -> HttpResponse:
    vote = access_vote(request.user, pk, "vote.manage")
    form = GroupMemberForm(request.POST, prefix="group")
    if form.is_valid():
        try:
            member = preparatory_member_add(actor=request.user, vote=vote, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return done(request, vote, _("%(name)s joined the preparatory group.") % {"name": member.name}, "group")
    return refused(request, vote, {"group": form})


@require_POST
@login_required
def group_remove(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    vote = access_vote(request.user, pk, "vote.manage")
    item = get_object_or_404(vote.preparatory_members, pk=member)
    try:
        preparatory_member_remove(actor=request.user, member=item)
    except ValidationError as error:
        form = GroupMemberForm(prefix="group")
        apply_service_errors(form, error)
        return refused(request, vote, {"group": form})
    return done(request, vote, _("%(name)s left the preparatory group.") % {"name": item.name}, "group")


@require_POST
@login_required
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    vote = access_vote(user, pk, "vote.manage")
    form = CandidateForm(request.POST, prefix="candidate", vote=vote, user=user)
    if form.is_valid():
        try:
            candidate = candidate_register(actor=user, vote=vote, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return done(request, vote, _("%(name)s is registered as a candidate; review the conditions next.")
                        % {"name": candidate.person.name}, f"candidate-{candidate.pk}")
    return refused(request, vote, {"candidate": form})


@require_POST
@login_required
def candidate_check(request: HttpRequest, pk: int, candidate: int) -> HttpResponse:
    vote = access_vote(request.user, pk, "vote.manage")
    item = get_object_or_404(vote.candidates.select_related("person"), pk=candidate)
    key = f"review-{item.pk}"
    form = CandidateReviewForm(request.POST, prefix=key)
    if form.is_valid():
        try:
            item = candidate_review(actor=request.user, candidate=item, conditions=form.conditions(),
                                    reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return done(request, vote, _("%(name)s: %(status)s.") % {"name": item.person.name,
                                                                      "status": item.get_status_display()},
                        f"candidate-{item.pk}")
    return refused(request, vote, {key: form})


@require_POST
@login_required
def candidate_remove(request: HttpRequest, pk: int, candidate: int) -> HttpResponse:
    vote = access_vote(request.user, pk, "vote.manage")
    item = get_object_or_404(vote.candidates.select_related("person"), pk=candidate)
    try:
        candidate_withdraw(actor=request.user, candidate=item)
    except ValidationError as error:
        form = CandidateForm(prefix="candidate", vote=vote, user=request.user)
        apply_service_errors(form, error)
        return refused(request, vote, {"candidate": form})
    return done(request, vote, _("%(name)s withdrew.") % {"name": item.person.name}, "candidates")


@require_GET
@login_required
def owner_choices(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: owners of the estate whose name (or pinyin) matches, as <option>s of the candidate form."""
    vote = access_vote(request.user, pk, "candidate.add")
    query = search_term(request)
    owners = estate_owners(vote, request.user)
    if query:
        owners = owners.filter(Q(name__icontains=query) | Q(name_pinyin__icontains=query))
    return render(request, "deliberation/_staff_owner_options.html", {"owners": owners[:OPTIONS_LIMIT],
                                                                      "query": query})
