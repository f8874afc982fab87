"""Who voted how: the ballots of a closed vote by owner, only for those the law gives them to (`ballot.inspect`:
the owners' committee, which keeps the ballots for the owners' inspection)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..models import Ballot, Vote, VoteStatus
from ..presentation import choice_label
from ..selectors import access_vote, ballots_to_inspect, candidate_names

BALLOTS_PER_PAGE = 50


def ballot_marks(vote: Vote, ballot: Ballot, names: dict[int, str]) -> str:
    """What a ballot chose, as the owner marked it: a choice, or the candidates' names in an election."""
    if vote.is_election:
        return "、".join(names.get(pk, "?") for pk in ballot.candidates) or _("no candidate marked")
    return choice_label(ballot.choice)


@login_required
@require_GET
def vote_ballots(request: HttpRequest, pk: int) -> HttpResponse:
    """Every ballot of a closed vote with its owner, flats, channel and choice. A vote the user cannot see (or
    not yet closed) is a 404; one they see without the right to inspect its ballots is a 403."""
    vote = access_vote(request.user, pk, "ballot.inspect", status=VoteStatus.CLOSED)
    query = (request.GET.get("q") or "").strip()[:100]
    page = Paginator(ballots_to_inspect(vote, query), BALLOTS_PER_PAGE).get_page(request.GET.get("page"))
    names = candidate_names(vote)
    for ballot in page.object_list:
        ballot.marks = ballot_marks(vote, ballot, names)
    return render(request, "deliberation/vote_ballots.html", {"vote": vote, "page": page, "query": query})
