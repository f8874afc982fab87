"""Reads for pages and the API: what a user may see, an owner's votes, live turnout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum

from commonground.core.models import Place
from commonground.core.models.places import within_q
from commonground.core.permissions import visible_to

from .models import Ballot, ElectorMember, Meeting, Notice, Vote, VoteStatus
from .tally import QUORUM, Share, to_cents


def votes_for(user: Any) -> QuerySet[Vote]:
    """Votes the user may see: in their scope, or where they are on the register; drafts only for those who
    may manage them."""
    visible = visible_to(user, "vote.view", Vote.objects.select_related("estate"))
    managed = visible_to(user, "vote.manage", Vote.objects.all()).values("pk")
    return visible.filter(~Q(status=VoteStatus.DRAFT) | Q(pk__in=managed))


def my_votes(user: Any) -> QuerySet[Vote]:
    """Announced and closed votes on whose register the user's person stands, newest first."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return Vote.objects.none()
    electors = ElectorMember.objects.filter(person_id=person_id).values("elector__vote")
    return (Vote.objects.filter(pk__in=electors, status__in=[VoteStatus.ANNOUNCED, VoteStatus.CLOSED])
            .select_related("estate").order_by("-opens_at", "-pk"))


@dataclass(frozen=True)
class Turnout:
    area: Share   # cents of those who cast / cents of the register
    heads: Share
    ballots: int

    @property
    def quorum_met(self) -> bool:
        return self.area.at_least(QUORUM) and self.heads.at_least(QUORUM)


def turnout(vote: Vote) -> Turnout:
    """Ballots so far against the register (one aggregate query)."""
    row = Ballot.objects.filter(vote=vote).aggregate(heads=Count("pk"), area=Sum("elector__area_m2"))
    return Turnout(Share(to_cents(row["area"] or 0), to_cents(vote.electorate_area_m2)),
                   Share(row["heads"], vote.electorate_heads), row["heads"])


def vote_search(votes: QuerySet[Vote], *, estate: str = "", status: str = "", kind: str = "") -> QuerySet[Vote]:
    """`votes` in one estate (by code), of one status and of one kind; a filter not given keeps them all."""
    if estate:
        votes = votes.filter(estate__code=estate)
    if status:
        votes = votes.filter(status=status)
    if kind:
        votes = votes.filter(kind=kind)
    return votes


def notice_search(notices: QuerySet[Notice], *, place: Place | None = None, kind: str = "") -> QuerySet[Notice]:
    """`notices` at or under `place` and of one kind; a filter not given keeps them all."""
    if place is not None:
        notices = notices.filter(within_q("place__path", [place.path]))
    if kind:
        notices = notices.filter(kind=kind)
    return notices


def closed_vote_for(user: Any, pk: int) -> Vote | None:
    """A closed vote the user may see, or None (the caller answers 404)."""
    return votes_for(user).filter(pk=pk, status=VoteStatus.CLOSED).first()


def ballots_to_inspect(vote: Vote, query: str = "") -> QuerySet[Ballot]:
    """Who voted how in a vote, for those who may `ballot.inspect` it (the caller asks the resolver): every
    ballot with its owner, in the order clerks know from their rosters (pinyin of the first owner; organisations
    last), optionally only owners whose name contains `query`."""
    first = ElectorMember.objects.filter(elector=OuterRef("elector"), person__isnull=False).order_by(
        "person__name_pinyin").values("person__name_pinyin")[:1]
    ballots = Ballot.objects.filter(vote=vote).select_related("elector").annotate(sort_name=Subquery(first))
    if query:
        ballots = ballots.filter(elector__label__icontains=query)
    return ballots.order_by(F("sort_name").asc(nulls_last=True), "elector__label", "pk")


def notices_for(user: Any) -> QuerySet[Notice]:
    return visible_to(user, "notice.view", Notice.objects.select_related("place"))


def meetings_for(user: Any) -> QuerySet[Meeting]:
    return visible_to(user, "meeting.view", Meeting.objects.select_related("place", "convener"))
