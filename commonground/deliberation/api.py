"""The deliberation API under /api/: votes and elections, ballots (cast, my ballot), turnout, results,
public notices and meetings. Handlers are thin: reads through the selectors and the resolver, writes through
the services; ValidationError → 400, PermissionDenied → 403, anything the caller may not see → 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from commonground.cases.models import Category
from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import ErrorOut, Id
from commonground.core.models import Organisation, Person, Place
from commonground.core.permissions import can, visible_to

from .meeting_selectors import access_meeting, access_resolution, meeting_search
from .models import (
    Ballot,
    BallotVersion,
    Candidate,
    CandidateStatus,
    Meeting,
    Notice,
    Vote,
    VoteStatus,
)
from .schemas import (
    AppealIn,
    BallotIn,
    BallotOut,
    CandidateIn,
    CandidateOut,
    InspectedBallotOut,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    MeetingQuery,
    NoticeOut,
    NoticeQuery,
    PreparatoryGroupOut,
    PreparatoryMemberIn,
    PreparatoryMemberOut,
    ResolutionCaseIn,
    ResolutionCaseOut,
    ResolutionIn,
    ResolutionOut,
    ResultOut,
    ReviewIn,
    TurnoutOut,
    VoteIn,
    VoteOut,
    VotePatch,
    VoteQuery,
)
from .selectors import (
    access_candidate,
    access_notice,
    access_preparatory_member,
    access_vote,
    ballots_to_inspect,
    notice_search,
    notices_for,
    turnout,
    vote_search,
    votes_for,
)
from .services.ballots import ballot_cast, my_ballot
from .services.elections import (
    candidate_register,
    candidate_review,
    candidate_withdraw,
    preparatory_group_problems,
    preparatory_member_add,
    preparatory_member_remove,
)
from .services.meetings import meeting_create, resolution_add, resolution_open_case
from .services.votes import vote_announce, vote_cancel, vote_close, vote_create, vote_note_appeal, vote_update

router = Router(tags=["deliberation"])
NULLABLE_VOTE_FIELDS = {"seats", "term_years"}
HASH_METHOD = "sha256(json.dumps(record, sort_keys=True, separators=(',', ':'), ensure_ascii=False).encode('utf-8'))"


def _vote(request: HttpRequest, pk: int) -> Vote:
    return access_vote(request.user, pk)


def _place(user: Any, code: str, field: str) -> Place:
    place = visible_to(user, "place.view", Place.objects).filter(code=code).first()
    if place is None:
        raise ValidationError({field: _("There is no place with this code.")})
    return place


def _person(user: Any, pk: int | None) -> Person | None:
    """A person the caller may look up (staff in whose scope they live, own or serve)."""
    if pk is None:
        return None
    person = visible_to(user, "person.view", Person.objects).filter(pk=pk).first()
    if person is None:
        raise ValidationError({"person": _("There is no such person.")})
    return person


# Votes -------------------------------------------------------------------------------------------------------------

@router.get("/votes", response=Page[VoteOut])
def vote_list(request: HttpRequest, filters: VoteQuery = Query(...), pages: PageQuery = Query(...)) -> dict[str, Any]:
    """Votes the caller may see (drafts and cancelled votes only for those who run them), newest first; by estate
    (code), status (draft, announced, closed, cancelled) and kind (decision, election)."""
    votes = vote_search(votes_for(request.user), estate=filters.estate, status=filters.status, kind=filters.kind)
    return paginate(votes, pages)


@router.get("/votes/{int:vote_id}", response=VoteOut)
def vote_detail(request: HttpRequest, vote_id: Id):
    return _vote(request, vote_id)


@router.post("/votes", response={201: VoteOut})
def vote_new(request: HttpRequest, payload: VoteIn):
    """A draft vote in an estate (code); an election decides matter 3 and names seats and term_years."""
    data = payload.dict()
    estate = _place(request.user, data.pop("estate"), "estate")
    return Status(201, vote_create(actor=request.user, estate=estate, **data))


@router.patch("/votes/{int:vote_id}", response=VoteOut)
def vote_change(request: HttpRequest, vote_id: Id, payload: VotePatch):
    """Change a draft; only the fields sent change."""
    changes = {name: value for name, value in payload.dict(exclude_unset=True).items()
               if value is not None or name in NULLABLE_VOTE_FIELDS}
    return vote_update(actor=request.user, vote=_vote(request, vote_id), **changes)


@router.post("/votes/{int:vote_id}/announce", response=VoteOut)
def vote_announce_now(request: HttpRequest, vote_id: Id):
    """Freeze the register on the record date and post the notice (at least 15 days before voting opens)."""
    return vote_announce(actor=request.user, vote=_vote(request, vote_id))


@router.post("/votes/{int:vote_id}/close", response=VoteOut)
def vote_close_now(request: HttpRequest, vote_id: Id):
    """After voting closes: fix the result with its ballot record and hash, and post the result notice."""
    return vote_close(actor=request.user, vote=_vote(request, vote_id))


@router.post("/votes/{int:vote_id}/cancel", response=VoteOut)
def vote_cancel_now(request: HttpRequest, vote_id: Id):
    return vote_cancel(actor=request.user, vote=_vote(request, vote_id))


@router.post("/votes/{int:vote_id}/appeal", response=VoteOut)
def vote_appeal(request: HttpRequest, vote_id: Id, payload: AppealIn):
    """Note an appeal to a court (Civil Code Art. 280); the decision binds meanwhile."""
    return vote_note_appeal(actor=request.user, vote=_vote(request, vote_id), note=payload.note)


@router.get("/votes/{int:vote_id}/turnout", response=TurnoutOut)
def vote_turnout(request: HttpRequest, vote_id: Id):
    """Ballots so far: area in hundredths of a m² and heads, each as [part, whole], against the 2/3 quorum."""
    vote = _vote(request, vote_id)
    if not (can(request.user, "vote.manage", vote) or can(request.user, "ballot.view", vote)):
        raise PermissionDenied(_("Only staff running this vote may watch its turnout."))
    now = turnout(vote)
    return {"area": now.area.as_list(), "heads": now.heads.as_list(), "ballots": now.ballots,
            "quorum_met": now.quorum_met}


# Ballots -----------------------------------------------------------------------------------------------------------

def _ballot_out(ballot: Ballot) -> Ballot:
    return (Ballot.objects.select_related("elector")
            .prefetch_related(Prefetch("versions", BallotVersion.objects.order_by("version")))
            .get(pk=ballot.pk))


@router.post("/votes/{int:vote_id}/ballot", response={200: BallotOut, 201: BallotOut})
def ballot_cast_mine(request: HttpRequest, vote_id: Id, payload: BallotIn):
    """Cast (or, where the vote allows it, change) the caller's ballot: {"choice": "agree" | "against" |
    "abstain"}, or in an election {"candidates": [candidate ids]}. Returns the receipt code and the version
    (201 for the first version, 200 for a change)."""
    ballot = ballot_cast(vote=_vote(request, vote_id), actor=request.user, choice=payload.choice,
                         candidates=payload.candidates)
    return Status(201 if ballot.version == 1 else 200, _ballot_out(ballot))


@router.get("/votes/{int:vote_id}/ballot", response=BallotOut)
def ballot_mine(request: HttpRequest, vote_id: Id):
    """The caller's ballot in this vote (cast by them or a co-owner, or entered on paper), every version."""
    ballot = my_ballot(_vote(request, vote_id), request.user)
    if ballot is None:
        raise Http404(_("No ballot has been cast for you in this vote."))
    return _ballot_out(ballot)


@router.get("/votes/{int:vote_id}/ballots", response={200: Page[InspectedBallotOut], 409: ErrorOut})
def ballot_inspection(request: HttpRequest, vote_id: Id, q: str = "", pages: PageQuery = Query(...)) -> dict[str, Any]:
    """Who voted how in a closed vote: every ballot with its owner, flats, channel and choice (or candidates
    marked), by owner name; `q` keeps owners whose name contains it. Only for those who may inspect ballots
    (the owners' committee of the estate): 403 for anyone else who sees the vote, 409 while it is not closed."""
    vote = _vote(request, vote_id)
    if not can(request.user, "ballot.inspect", vote):
        raise PermissionDenied(_("Only the owners' committee may inspect who voted how."))
    _require_closed(vote)
    return paginate(ballots_to_inspect(vote, q.strip()[:100]), pages)


# Results -----------------------------------------------------------------------------------------------------------

def _require_closed(vote: Vote) -> None:
    if vote.status != VoteStatus.CLOSED:
        raise HttpError(409, _("The result is fixed when the vote is closed; this vote is %(status)s.")
                        % {"status": vote.get_status_display()})


@router.get("/votes/{int:vote_id}/result", response={200: ResultOut, 409: ErrorOut})
def vote_result(request: HttpRequest, vote_id: Id, include_record: bool = False):
    """The fixed result of a closed vote: every share as [part, whole] (area in hundredths of a m², heads),
    the SHA-256 of the ballot record, and with include_record=true the record itself, so anyone can recompute
    the hash and the tally: the register's totals {"area", "heads"} and, in receipt-code order, every ballot's
    receipt code, area (hundredths of a m²; each ballot is one head), choice and candidates marked. It names
    no owner, flat or database key. 409 while the vote is not closed."""
    vote = _vote(request, vote_id)
    _require_closed(vote)
    stored = {key: value for key, value in vote.result.items() if key != "record"}
    names = dict(vote.candidates.values_list("pk", "person__name")) if vote.is_election else {}
    stored["candidates"] = [{**row, "name": names.get(row["candidate"], "")} for row in stored.get("candidates", [])]
    return {**stored, "vote": vote.pk, "outcome_label": str(vote.get_outcome_display()),
            "closed_at": vote.closed_at, "record_hash": vote.record_hash, "hash_method": HASH_METHOD,
            "record": vote.result["record"] if include_record else None}


# Elections ---------------------------------------------------------------------------------------------------------

def _candidate(request: HttpRequest, pk: int) -> Candidate:
    return access_candidate(request.user, pk)


def _candidate_out(candidate: Candidate, *, reviewer: bool) -> dict[str, Any]:
    """The review (conditions, reason) only for those who review candidates."""
    row = {field: getattr(candidate, field) for field in ("id", "statement", "position", "status")}
    row.update(vote=candidate.vote_id, name=candidate.person.name, status_label=str(candidate.get_status_display()))
    if reviewer:
        row.update(conditions=candidate.conditions, rejection_reason=candidate.rejection_reason)
    return row


@router.get("/votes/{int:vote_id}/candidates", response=list[CandidateOut])
def candidate_list(request: HttpRequest, vote_id: Id):
    """The candidates in ballot order; those who may not review candidates see only the qualified ones."""
    vote = _vote(request, vote_id)
    reviewer = can(request.user, "candidate.review", vote)
    candidates = vote.candidates.select_related("person")
    if not reviewer:
        candidates = candidates.filter(status=CandidateStatus.APPROVED)
    return [_candidate_out(c, reviewer=reviewer) for c in candidates]


@router.post("/votes/{int:vote_id}/candidates", response={201: CandidateOut})
def candidate_add(request: HttpRequest, vote_id: Id, payload: CandidateIn):
    """Put a person (id) forward in a draft election."""
    vote = _vote(request, vote_id)
    candidate = candidate_register(actor=request.user, vote=vote, person=_person(request.user, payload.person),
                                   statement=payload.statement)
    return Status(201, _candidate_out(candidate, reviewer=can(request.user, "candidate.review", vote)))


@router.post("/candidates/{int:candidate_id}/review", response=CandidateOut)
def candidate_check(request: HttpRequest, candidate_id: Id, payload: ReviewIn):
    """Check the conditions one by one ({"conditions": {"law_abiding": true, ...}, "reason": ""}); a candidate
    meeting them all is qualified. Whether they own a flat is read from the register."""
    candidate = candidate_review(actor=request.user, candidate=_candidate(request, candidate_id),
                                 conditions=payload.conditions, reason=payload.reason)
    return _candidate_out(candidate, reviewer=True)


@router.delete("/candidates/{int:candidate_id}", response={204: None})
def candidate_remove(request: HttpRequest, candidate_id: Id):
    candidate_withdraw(actor=request.user, candidate=_candidate(request, candidate_id))
    return Status(204, None)


@router.get("/votes/{int:vote_id}/preparatory-group", response=PreparatoryGroupOut)
def preparatory_group(request: HttpRequest, vote_id: Id):
    """The preparatory group of an election and what still keeps it from being lawful."""
    vote = _vote(request, vote_id)
    return {"members": list(vote.preparatory_members.all()),
            "problems": [str(p) for p in preparatory_group_problems(vote)] if vote.is_election else []}


@router.post("/votes/{int:vote_id}/preparatory-group", response={201: PreparatoryMemberOut})
def preparatory_group_add(request: HttpRequest, vote_id: Id, payload: PreparatoryMemberIn):
    member = preparatory_member_add(actor=request.user, vote=_vote(request, vote_id), name=payload.name,
                                    role=payload.role, person=_person(request.user, payload.person))
    return Status(201, member)


@router.delete("/preparatory-members/{int:member_id}", response={204: None})
def preparatory_group_remove(request: HttpRequest, member_id: Id):
    member = access_preparatory_member(request.user, member_id)
    preparatory_member_remove(actor=request.user, member=member)
    return Status(204, None)


# Notices -----------------------------------------------------------------------------------------------------------

@router.get("/notices", response=Page[NoticeOut])
def notice_list(request: HttpRequest, filters: NoticeQuery = Query(...),
                pages: PageQuery = Query(...)) -> dict[str, Any]:
    """Public notices the caller may see, newest first; by place (code, with everything under it) and kind."""
    place = None
    if filters.place:
        place = visible_to(request.user, "place.view", Place.objects).filter(code=filters.place).first()
        if place is None:
            return paginate(Notice.objects.none(), pages)
    return paginate(notice_search(notices_for(request.user), place=place, kind=filters.kind), pages)


@router.get("/notices/{int:notice_id}", response=NoticeOut)
def notice_detail(request: HttpRequest, notice_id: Id) -> Notice:
    return access_notice(request.user, notice_id)


# Meetings ----------------------------------------------------------------------------------------------------------

def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return access_meeting(request.user, pk)


@router.get("/meetings", response=Page[MeetingOut])
def meeting_index(request: HttpRequest, filters: MeetingQuery = Query(...),
                  pages: PageQuery = Query(...)) -> dict[str, Any]:
    """Meetings the caller may see, latest first, or with `when` upcoming (soonest first) or past; by place
    (code, with everything under it), kind and status."""
    place = None
    if filters.place:
        place = visible_to(request.user, "place.view", Place.objects).filter(code=filters.place).first()
        if place is None:
            return paginate(Meeting.objects.none(), pages)
    meetings = meeting_search(request.user, place=place, when=filters.when, kind=filters.kind, status=filters.status)
    return paginate(meetings, pages)


@router.get("/meetings/{int:meeting_id}", response=MeetingDetailOut)
def meeting_detail(request: HttpRequest, meeting_id: Id):
    """One meeting with its agenda, attendance counts, minutes, and resolutions with their cases' progress."""
    return access_meeting(request.user, meeting_id, details=True)


@router.post("/meetings", response={201: MeetingDetailOut})
def meeting_new(request: HttpRequest, payload: MeetingIn):
    """Plan a meeting at a place (code), convened by an organisation (id) there or above it; agenda items
    and invitees (person ids) optional."""
    invitees = [_person(request.user, pk) for pk in dict.fromkeys(payload.invitees)]
    meeting = meeting_create(
        actor=request.user, place=_place(request.user, payload.place, "place"),
        convener=Organisation.objects.filter(pk=payload.convener).first(), kind=payload.kind, title=payload.title,
        starts_at=payload.starts_at, ends_at=payload.ends_at, venue=payload.venue,
        agenda=[(item.title, item.presenter) for item in payload.agenda], invitees=invitees)
    return Status(201, access_meeting(request.user, meeting.pk, details=True))


@router.post("/meetings/{int:meeting_id}/resolutions", response={201: ResolutionOut})
def meeting_resolve(request: HttpRequest, meeting_id: Id, payload: ResolutionIn):
    """Record what the meeting resolved (once it has started)."""
    return Status(201, resolution_add(actor=request.user, meeting=_meeting(request, meeting_id), text=payload.text))


@router.post("/resolutions/{int:resolution_id}/cases", response={201: ResolutionCaseOut})
def resolution_case(request: HttpRequest, resolution_id: Id, payload: ResolutionCaseIn):
    """Open a case in the case engine to carry out a resolution (category code; place code, by default the
    meeting's place); the meeting then follows its progress."""
    resolution = access_resolution(request.user, resolution_id)
    category = Category.objects.filter(code=payload.category).first()
    if category is None:
        raise ValidationError({"category": _("There is no such category.")})
    place = _place(request.user, payload.place, "place") if payload.place else None
    return Status(201, resolution_open_case(actor=request.user, resolution=resolution, category=category,
                                            description=payload.description, place=place))
