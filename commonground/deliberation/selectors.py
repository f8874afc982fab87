"""Reads for pages and the API: what a user may see (one rule per model, behind its `access_<entity>` and its
lists), an owner's votes, live turnout, and the register and the ballots as staff see them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from commonground.core.models import Place, PlaceKind, User
from commonground.core.models.places import within_q
from commonground.core.permissions import access_object, require, visible_to

from .models import (
    Ballot,
    BallotChannel,
    Candidate,
    Elector,
    ElectorMember,
    Meeting,
    Notice,
    PreparatoryMember,
    Representative,
    RepresentativeStatus,
    Vote,
    VoteStatus,
)
from .tally import QUORUM, Share, to_cents

# A draft is not public yet and a cancelled vote no longer is: only those who run the vote see them.
UNPUBLISHED = (VoteStatus.DRAFT, VoteStatus.CANCELLED)


# --- votes -----------------------------------------------------------------------------------------------

def votes_for(actor: User) -> QuerySet[Vote]:
    """Votes the actor may see: in the scope of their `vote.view` roles or with them on the register; a draft
    or a cancelled vote only where they may `vote.manage` it. The one rule of `access_vote` and every list."""
    visible = visible_to(actor, "vote.view", Vote.objects.select_related("estate"))
    managed = visible_to(actor, "vote.manage", Vote.objects.all()).values("pk")
    return visible.filter(~Q(status__in=UNPUBLISHED) | Q(pk__in=managed))


def access_vote(actor: User, pk: int, action: str = "vote.view", *, status: str | None = None) -> Vote:
    """The vote for `action`: Http404 unless the actor sees it (`votes_for`) and, given `status`, it is in that
    status (an open vote has no result page); PermissionDenied when they see it but may not do `action` (an
    owner on the register asking to run it)."""
    votes = votes_for(actor).select_related("estate__parent")
    if status is not None:
        votes = votes.filter(status=status)
    return access_object(actor, votes, action, view_action="vote.view", missing=_("No such vote."), pk=pk)


def may_see_vote(actor: User, vote: Vote) -> bool:
    """Would `access_vote` give the actor this vote (so a link to its page may be shown)?"""
    return votes_for(actor).filter(pk=vote.pk).exists()


def managed_votes(actor: User) -> QuerySet[Vote]:
    """The votes the actor may run, each with the ballots so far (heads and area), for the staff list."""
    return (visible_to(actor, "vote.manage", Vote.objects.select_related("estate__parent"))
            .annotate(ballot_heads=Count("ballots"), ballot_area=Sum("ballots__elector__area_m2")))


def my_votes(user: User) -> QuerySet[Vote]:
    """Announced and closed votes on whose register the user's person stands, newest first."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return Vote.objects.none()
    electors = ElectorMember.objects.filter(person_id=person_id).values("elector__vote")
    return (Vote.objects.filter(pk__in=electors, status__in=[VoteStatus.ANNOUNCED, VoteStatus.CLOSED])
            .select_related("estate").order_by("-opens_at", "-pk"))


def _require_on_vote(actor: User, vote: Vote, action: str) -> None:
    """Parts of a vote are seen with it; what is done to them is asked of the vote, as the services do."""
    if action != "vote.view":
        require(actor, action, vote)


def access_candidate(actor: User, pk: int, action: str = "vote.view") -> Candidate:
    """A candidate in a vote the actor sees (Http404 otherwise); PermissionDenied unless they may do `action`
    on that vote."""
    candidates = Candidate.objects.filter(vote__in=votes_for(actor)).select_related("vote__estate", "person")
    candidate = access_object(actor, candidates, "vote.view", view_action="vote.view",
                              missing=_("No such candidate."), pk=pk)
    _require_on_vote(actor, candidate.vote, action)
    return candidate


def access_preparatory_member(actor: User, pk: int, action: str = "vote.view") -> PreparatoryMember:
    """A member of the preparatory group of a vote the actor sees (Http404 otherwise); PermissionDenied unless
    they may do `action` on that vote."""
    members = PreparatoryMember.objects.filter(vote__in=votes_for(actor)).select_related("vote__estate")
    member = access_object(actor, members, "vote.view", view_action="vote.view",
                           missing=_("No such member of a preparatory group."), pk=pk)
    _require_on_vote(actor, member.vote, action)
    return member


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


def ballot_channels(vote: Vote) -> dict[str, int]:
    """How many ballots came by each channel (online, paper, proxy)."""
    return vote.ballots.aggregate(**{c: Count("pk", filter=Q(channel=c)) for c in BallotChannel.values})


def _first_owner_pinyin(elector: OuterRef) -> Subquery:
    """The pinyin of an elector's first owner, the order clerks know from their rosters."""
    return Subquery(ElectorMember.objects.filter(elector=elector, person__isnull=False)
                    .order_by("person__name_pinyin").values("person__name_pinyin")[:1])


def _by_pinyin(rows: QuerySet, elector: str, *label: str) -> QuerySet:
    return rows.annotate(sort_name=_first_owner_pinyin(OuterRef(elector))).order_by(
        F("sort_name").asc(nulls_last=True), *label, "pk")


def register_with_ballots(vote: Vote, query: str = "") -> QuerySet[Elector]:
    """The register in roster order (organisations last) with whether and how each owner has voted, never what
    they chose; optionally only owners whose name contains `query`."""
    electors = vote.electors.annotate(channel=F("ballots__channel"), ballot_pk=F("ballots__pk"),
                                      scan=F("ballots__scan"), authorisation=F("ballots__proxy_authorisation"),
                                      version=F("ballots__version"))
    if query:
        electors = electors.filter(label__icontains=query)
    return _by_pinyin(electors, "pk", "label")


def elector_options(vote: Vote, query: str = "", limit: int = 50) -> QuerySet[Elector]:
    """Owners on the register to pick on a paper ballot, in roster order, with the channel they voted by."""
    electors = vote.electors.annotate(channel=F("ballots__channel"))
    if query:
        electors = electors.filter(label__icontains=query)
    return _by_pinyin(electors, "pk", "label")[:limit]


def last_entered(vote: Vote, actor: User) -> Ballot | None:
    """The ballot this clerk entered last, so its receipt code can be copied onto the owner's slip."""
    return (vote.ballots.filter(cast_by=actor, channel__in=[BallotChannel.PAPER, BallotChannel.PROXY])
            .select_related("elector").order_by("-updated_at", "-pk").first())


def ballots_to_inspect(vote: Vote, query: str = "") -> QuerySet[Ballot]:
    """Who voted how in a vote, for those who may `ballot.inspect` it (the caller asks the resolver): every
    ballot with its owner, in the order clerks know from their rosters (pinyin of the first owner; organisations
    last), optionally only owners whose name contains `query`."""
    ballots = Ballot.objects.filter(vote=vote).select_related("elector")
    if query:
        ballots = ballots.filter(elector__label__icontains=query)
    return _by_pinyin(ballots, "elector", "elector__label")


def candidate_names(vote: Vote) -> dict[int, str]:
    """Each candidate's name by id (for results and ballots, which name candidates by id)."""
    return dict(vote.candidates.values_list("pk", "person__name")) if vote.is_election else {}


def election_candidates(vote: Vote) -> list[Candidate]:
    """Every candidate of the election in ballot order, with the person."""
    return list(vote.candidates.select_related("person"))


# --- notices and meetings --------------------------------------------------------------------------------

def notices_for(actor: User) -> QuerySet[Notice]:
    """Notices the actor may see: on boards in their scope, or of a vote on whose register they stand."""
    return visible_to(actor, "notice.view", Notice.objects.select_related("place"))


def access_notice(actor: User, pk: int, action: str = "notice.view") -> Notice:
    """The notice for `action` (Http404 unless `notices_for` holds it; PermissionDenied for an action not
    the actor's)."""
    return access_object(actor, notices_for(actor).select_related("vote"), action, view_action="notice.view",
                         missing=_("No such notice."), pk=pk)


def meetings_for(actor: User) -> QuerySet[Meeting]:
    """Meetings the actor may see: at places in the scope of their `meeting.view` roles."""
    return visible_to(actor, "meeting.view", Meeting.objects.select_related("place", "convener"))


# --- renewal representatives -----------------------------------------------------------------------------

def representative_places(actor: User, kind: str) -> QuerySet[Place]:
    """Estates (the boards) or buildings where the actor may see the renewal representatives."""
    return visible_to(actor, "representative.view", Place.objects.filter(kind=kind))


def representative_estates(actor: User) -> QuerySet[Place]:
    """The boards to choose from: estates with buildings, each with how many buildings have a confirmed
    representative, in tree order."""
    buildings = Q(children__kind=PlaceKind.BUILDING)
    confirmed = buildings & Q(children__representatives__status=RepresentativeStatus.CONFIRMED)
    return (representative_places(actor, PlaceKind.ESTATE).select_related("parent")
            .annotate(buildings=Count("children", filter=buildings, distinct=True),
                      confirmed=Count("children__representatives", distinct=True, filter=confirmed))
            .filter(buildings__gt=0).order_by("path"))


def access_representative_estate(actor: User, pk: int, action: str = "representative.view") -> Place:
    """An estate whose representatives board the actor may see (Http404 otherwise, and for anything but an
    estate); PermissionDenied unless they may do `action` there."""
    return access_object(actor, representative_places(actor, PlaceKind.ESTATE), action,
                         view_action="representative.view", pk=pk)


def access_representative_building(actor: User, pk: int, action: str = "representative.view") -> Place:
    """A building of an estate (with the estate as `parent`) on a board the actor may see; as
    `access_representative_estate`."""
    buildings = representative_places(actor, PlaceKind.BUILDING).filter(parent__kind=PlaceKind.ESTATE)
    return access_object(actor, buildings.select_related("parent"), action, view_action="representative.view",
                         pk=pk)


def access_representative(actor: User, pk: int, action: str = "representative.view") -> Representative:
    """A representative on a board the actor may see, with building, estate and person; as the others."""
    representatives = visible_to(actor, "representative.view",
                                 Representative.objects.select_related("building__parent", "person"))
    return access_object(actor, representatives, action, view_action="representative.view", pk=pk)
