"""The deliberation API for votes: list and detail, create/change/announce/close/cancel/appeal, turnout,
casting and reading one's ballot, the fixed result with its re-checkable record, elections (candidates and
the preparatory group) and notices; every endpoint allowed and refused, refusals changing nothing."""

from __future__ import annotations

import datetime
import hashlib
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonground.core import clock
from commonground.core.models import RoleKind
from commonground.deliberation.models import (
    CANDIDATE_CONDITIONS,
    Ballot,
    BallotVersion,
    Candidate,
    CandidateStatus,
    Notice,
    NoticeKind,
    PreparatoryMember,
    Vote,
    VoteStatus,
)
from commonground.deliberation.services.ballots import ballot_cast
from commonground.deliberation.services.elections import (
    candidate_register,
    candidate_review,
    preparatory_member_add,
)
from commonground.deliberation.services.votes import vote_announce, vote_cancel, vote_close, vote_create

ALL_MET = {key: True for key in CANDIDATE_CONDITIONS}


@pytest.fixture
def as_user():
    def login(user) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        return client
    return login


@pytest.fixture
def outsider(tree, make_user):
    """A community worker of the neighbouring community: sees none of this estate's votes."""
    return make_user(RoleKind.COMMUNITY_WORKER, tree.neighbour)


@pytest.fixture
def voters(register, make_user, tree, owner_user):
    """Logins for owners 0 (owner_user), 1 and 2 (co-owners of one flat), 3, 4 and 5."""
    return [owner_user] + [make_user(RoleKind.RESIDENT, tree.estate, person=p) for p in register.owners[1:]]


@pytest.fixture
def draft(register, clerk) -> Vote:
    """A draft decision opening in 20 days, record date today."""
    now = timezone.now()
    return vote_create(actor=clerk, estate=register.estate, matter="6", title="续筹维修资金",
                       record_date=timezone.localdate(), opens_at=now + datetime.timedelta(days=20),
                       closes_at=now + datetime.timedelta(days=27))


@pytest.fixture
def ended_vote(open_vote, voters):
    """A vote whose window has just ended, not yet closed: owners 0, 1, 3, 4 and 5 agreed (quorum met)."""
    now = timezone.now()
    vote = open_vote(opens_at=now - datetime.timedelta(hours=2), closes_at=now - datetime.timedelta(minutes=1))
    with clock.frozen_at(now - datetime.timedelta(hours=1)):
        for user in [voters[0], voters[1], *voters[3:]]:
            ballot_cast(vote=vote, actor=user, choice="agree")
    return vote


def announced_election(open_vote, register, clerk, **window) -> Vote:
    """An election for 3 seats, announced: owners 0, 3, 4 qualified, owner 5 not."""
    vote = open_vote(kind="election", seats=3, term_years=5, announce=False, **window)
    preparatory_member_add(actor=clerk, vote=vote, name="街道 陈", role="leader")
    preparatory_member_add(actor=clerk, vote=vote, name="王一", role="owner", person=register.owners[0])
    preparatory_member_add(actor=clerk, vote=vote, name="赵四", role="owner", person=register.owners[3])
    for i in (0, 3, 4, 5):
        candidate = candidate_register(actor=clerk, vote=vote, person=register.owners[i], statement=f"候选人{i}")
        candidate_review(actor=clerk, candidate=candidate, conditions={**ALL_MET, "no_arrears": i != 5})
    with clock.frozen_at(vote.opens_at - datetime.timedelta(days=16)):
        return vote_announce(actor=clerk, vote=vote)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


def canonical_sha256(record: dict) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                          .encode("utf-8")).hexdigest()


# Listing and reading ---------------------------------------------------------------------------------------------

def test_vote_list__anonymous__401(client, tree):
    assert client.get("/api/votes").status_code == 401


def test_vote_list__clerk__drafts_and_announced_newest_first(as_user, clerk, draft, open_vote):
    vote = open_vote()
    response = as_user(clerk).get("/api/votes")
    assert ids(response) == [draft.pk, vote.pk]
    assert response.json()["count"] == 2
    row = response.json()["items"][1]
    assert row["estate"] == vote.estate.code
    assert row["electorate_heads"] == 7
    assert row["electorate_area_m2"] == "875.50"
    assert row["status"] == "announced"
    assert row["threshold"] == "more_than_half"
    assert row["opens_at"].endswith("+08:00")
    assert response.json()["items"][0]["threshold"] == "three_quarters"


def test_vote_list__owner__announced_only_no_drafts(as_user, owner_user, draft, open_vote):
    vote = open_vote()
    response = as_user(owner_user).get("/api/votes")
    assert ids(response) == [vote.pk]
    assert response.json()["count"] == 1


def test_vote_list__other_community_staff__nothing_and_count_zero(as_user, outsider, draft, open_vote):
    open_vote()
    response = as_user(outsider).get("/api/votes")
    assert ids(response) == []
    assert response.json()["count"] == 0


def test_vote_list__filters__estate_status_kind(as_user, clerk, draft, open_vote, tree):
    vote = open_vote()
    client = as_user(clerk)
    assert ids(client.get("/api/votes", {"status": "draft"})) == [draft.pk]
    assert ids(client.get("/api/votes", {"status": "announced"})) == [vote.pk]
    assert ids(client.get("/api/votes", {"kind": "election"})) == []
    assert ids(client.get("/api/votes", {"estate": tree.estate.code})) == [draft.pk, vote.pk]
    assert ids(client.get("/api/votes", {"estate": tree.neighbour_estate.code})) == []


def test_vote_list__paginated(as_user, clerk, register):
    now = timezone.now()
    for n in range(3):
        vote_create(actor=clerk, estate=register.estate, matter="5", title=f"第{n}次",
                    record_date=timezone.localdate(), opens_at=now + datetime.timedelta(days=20 + n),
                    closes_at=now + datetime.timedelta(days=30))
    response = as_user(clerk).get("/api/votes", {"page": 2, "page_size": 2})
    assert len(ids(response)) == 1
    assert response.json()["count"] == 3


@pytest.mark.parametrize("extra", [0, 6])
def test_vote_list__query_count__does_not_grow_with_rows(as_user, clerk, register, extra, settings):
    now = timezone.now()

    def make(n: int) -> None:
        for i in range(n):
            vote_create(actor=clerk, estate=register.estate, matter="5", title=f"表决{i}",
                        record_date=timezone.localdate(), opens_at=now + datetime.timedelta(days=20, minutes=i),
                        closes_at=now + datetime.timedelta(days=30))

    make(2)
    client = as_user(clerk)
    client.get("/api/votes")
    with CaptureQueriesContext(connection) as two:
        assert len(ids(client.get("/api/votes"))) == 2
    make(6)
    with CaptureQueriesContext(connection) as eight:
        assert len(ids(client.get("/api/votes"))) == 8
    assert len(two) == len(eight)


def test_vote_detail__owner__draft_404_announced_200(as_user, owner_user, draft, open_vote):
    vote = open_vote()
    client = as_user(owner_user)
    assert client.get(f"/api/votes/{draft.pk}").status_code == 404
    response = client.get(f"/api/votes/{vote.pk}")
    assert response.status_code == 200
    assert response.json()["matter"] == "5"
    assert response.json()["outcome"] is None


def test_vote_detail__cancelled__404_for_owner_as_on_its_page(as_user, owner_user, clerk, open_vote):
    """A cancelled vote is no longer public: the API answers as the vote page does (test_owner_pages)."""
    now = timezone.now()
    vote = open_vote(opens_at=now + datetime.timedelta(days=2), closes_at=now + datetime.timedelta(days=3))
    vote_cancel(actor=clerk, vote=vote)
    owner = as_user(owner_user)
    assert owner.get(f"/api/votes/{vote.pk}").status_code == 404
    assert owner.get(f"/api/votes/{vote.pk}/result").status_code == 404
    assert ids(owner.get("/api/votes")) == []
    assert as_user(clerk).get(f"/api/votes/{vote.pk}").json()["status"] == VoteStatus.CANCELLED
    assert ids(as_user(clerk).get("/api/votes")) == [vote.pk]


def test_vote_detail__other_community_staff__404(as_user, outsider, open_vote):
    assert as_user(outsider).get(f"/api/votes/{open_vote().pk}").status_code == 404


# Create, change, announce, cancel --------------------------------------------------------------------------------

def vote_payload(tree, **changes) -> dict:
    now = timezone.now()
    payload = {"estate": tree.estate.code, "matter": "4", "title": "续聘物业", "record_date": str(timezone.localdate()),
               "opens_at": (now + datetime.timedelta(days=20)).isoformat(),
               "closes_at": (now + datetime.timedelta(days=25)).isoformat()}
    return {**payload, **changes}


def test_vote_create__clerk__201_draft(as_user, clerk, tree, register):
    response = as_user(clerk).post("/api/votes", vote_payload(tree), content_type="application/json")
    assert response.status_code == 201, response.content
    vote = Vote.objects.get()
    assert response.json()["id"] == vote.pk
    assert (vote.status, vote.matter, vote.title, vote.created_by) == (VoteStatus.DRAFT, "4", "续聘物业", clerk)


def test_vote_create__election__seats_and_term(as_user, clerk, tree, register):
    payload = vote_payload(tree, kind="election", matter=None, seats=3, term_years=5)
    response = as_user(clerk).post("/api/votes", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert (response.json()["matter"], response.json()["seats"], response.json()["kind"]) == ("3", 3, "election")


def test_vote_create__even_seats__400_nothing_created(as_user, clerk, tree, register):
    payload = vote_payload(tree, kind="election", seats=4, term_years=5)
    response = as_user(clerk).post("/api/votes", payload, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["detail"]) == ["seats"]
    assert Vote.objects.count() == 0


def test_vote_create__decision_without_matter__422_nothing_created(as_user, clerk, tree, register):
    payload = vote_payload(tree, matter=None)
    assert as_user(clerk).post("/api/votes", payload, content_type="application/json").status_code == 422
    assert Vote.objects.count() == 0


def test_vote_create__time_without_offset__422_nothing_created(as_user, clerk, tree, register):
    payload = vote_payload(tree, opens_at="2030-03-01T09:00:00")
    assert as_user(clerk).post("/api/votes", payload, content_type="application/json").status_code == 422
    assert Vote.objects.count() == 0


def test_vote_create__owner__403_nothing_created(as_user, owner_user, tree):
    response = as_user(owner_user).post("/api/votes", vote_payload(tree), content_type="application/json")
    assert response.status_code == 403
    assert Vote.objects.count() == 0


def test_vote_create__other_community_staff__400_nothing_created(as_user, outsider, tree):
    response = as_user(outsider).post("/api/votes", vote_payload(tree), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == {"estate": ["There is no place with this code."]}
    assert Vote.objects.count() == 0


def test_vote_update__draft__changes_only_fields_sent(as_user, clerk, draft):
    response = as_user(clerk).patch(f"/api/votes/{draft.pk}", {"title": "续筹维修资金（修订）"},
                                    content_type="application/json")
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert (draft.title, draft.matter) == ("续筹维修资金（修订）", "6")


def test_vote_update__null_title__ignored_seats_not_sent_kept(as_user, clerk, draft):
    response = as_user(clerk).patch(f"/api/votes/{draft.pk}", {"title": None, "allow_change": False},
                                    content_type="application/json")
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert (draft.title, draft.allow_change) == ("续筹维修资金", False)


def test_vote_update__announced__400_unchanged(as_user, clerk, open_vote, nothing_written):
    vote = open_vote()
    with nothing_written():
        response = as_user(clerk).patch(f"/api/votes/{vote.pk}", {"title": "x"}, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["detail"] == {"__all__": ["Only a draft can be changed; cancel and start again."]}


@pytest.mark.parametrize("who", ["owner", "outsider"])
def test_vote_update__draft_by_owner_or_other_community__404_unchanged(as_user, owner_user, outsider, draft, who, nothing_written):
    with nothing_written():
        user = owner_user if who == "owner" else outsider
        response = as_user(user).patch(f"/api/votes/{draft.pk}", {"title": "x"}, content_type="application/json")
        assert response.status_code == 404


def test_vote_announce__clerk__register_frozen_and_notice_posted(as_user, clerk, draft):
    response = as_user(clerk).post(f"/api/votes/{draft.pk}/announce")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["electorate_heads"]) == ("announced", 7)
    assert Notice.objects.filter(vote=draft, kind=NoticeKind.VOTE).count() == 1


def test_vote_announce__opens_too_soon__400_unchanged(as_user, clerk, register, nothing_written):
    now = timezone.now()
    vote = vote_create(actor=clerk, estate=register.estate, matter="5", title="急", record_date=timezone.localdate(),
                       opens_at=now + datetime.timedelta(days=3), closes_at=now + datetime.timedelta(days=5))
    with nothing_written():
        response = as_user(clerk).post(f"/api/votes/{vote.pk}/announce")
        assert response.status_code == 400
        assert list(response.json()["detail"]) == ["opens_at"]


def test_vote_announce__other_community_staff__404_unchanged(as_user, outsider, draft, nothing_written):
    with nothing_written():
        assert as_user(outsider).post(f"/api/votes/{draft.pk}/announce").status_code == 404


def test_vote_cancel__draft__cancelled(as_user, clerk, draft):
    response = as_user(clerk).post(f"/api/votes/{draft.pk}/cancel")
    assert response.status_code == 200
    assert Vote.objects.get(pk=draft.pk).status == VoteStatus.CANCELLED


def test_vote_cancel__voting_open__400_unchanged(as_user, clerk, open_vote, nothing_written):
    vote = open_vote()
    with nothing_written():
        assert as_user(clerk).post(f"/api/votes/{vote.pk}/cancel").status_code == 400


def test_vote_cancel__owner__403_unchanged(as_user, owner_user, open_vote, nothing_written):
    vote = open_vote()
    with nothing_written():
        assert as_user(owner_user).post(f"/api/votes/{vote.pk}/cancel").status_code == 403


# Ballots -----------------------------------------------------------------------------------------------------------

def cast(client: Client, vote: Vote, **body):
    return client.post(f"/api/votes/{vote.pk}/ballot", body, content_type="application/json")


def test_ballot_cast__owner__201_receipt_and_my_ballot(as_user, owner_user, open_vote):
    vote = open_vote()
    client = as_user(owner_user)
    assert client.get(f"/api/votes/{vote.pk}/ballot").status_code == 404
    response = cast(client, vote, choice="agree")
    assert response.status_code == 201, response.content
    ballot = Ballot.objects.get(vote=vote)
    assert (response.json()["receipt_code"], response.json()["version"]) == (ballot.receipt_code, 1)
    assert response.json()["flats"] == ["9幢101室", "9幢201室"]
    mine = client.get(f"/api/votes/{vote.pk}/ballot").json()
    assert (mine["receipt_code"], mine["choice"], mine["channel"]) == (ballot.receipt_code, "agree", "online")
    assert [v["choice"] for v in mine["versions"]] == ["agree"]


def test_ballot_cast__change_allowed__version_2_both_kept(as_user, owner_user, open_vote):
    vote = open_vote(allow_change=True)
    client = as_user(owner_user)
    first = cast(client, vote, choice="agree").json()
    response = cast(client, vote, choice="against")
    assert response.status_code == 200
    assert (response.json()["version"], response.json()["receipt_code"]) == (2, first["receipt_code"])
    assert [(v["version"], v["choice"]) for v in response.json()["versions"]] == [(1, "agree"), (2, "against")]
    assert Ballot.objects.filter(vote=vote).count() == 1
    assert BallotVersion.objects.filter(ballot__vote=vote).count() == 2


def test_ballot_cast__twice_change_not_allowed__400_one_ballot(as_user, owner_user, open_vote):
    vote = open_vote(allow_change=False)
    client = as_user(owner_user)
    assert cast(client, vote, choice="agree").status_code == 201
    response = cast(client, vote, choice="against")
    assert response.status_code == 400
    assert response.json()["detail"] == {"__all__": [
        "A ballot has already been cast for this owner; this vote's rules do not allow changing it."]}
    assert list(Ballot.objects.filter(vote=vote).values_list("choice", "version")) == [("agree", 1)]
    assert BallotVersion.objects.filter(ballot__vote=vote).count() == 1


def test_ballot_cast__co_owner__sees_the_shared_ballot(as_user, voters, open_vote):
    vote = open_vote()
    receipt = cast(as_user(voters[1]), vote, choice="abstain").json()["receipt_code"]
    mine = as_user(voters[2]).get(f"/api/votes/{vote.pk}/ballot")
    assert (mine.status_code, mine.json()["receipt_code"]) == (200, receipt)


def test_ballot_cast__resident_not_on_register__403_nothing_stored(as_user, make_user, tree, open_vote):
    vote = open_vote()
    tenant = make_user(RoleKind.RESIDENT, tree.estate)
    response = cast(as_user(tenant), vote, choice="agree")
    assert response.status_code == 403
    assert response.json()["detail"] == "You are not on this vote's register of owners."
    assert Ballot.objects.count() == 0


def test_ballot_cast__owner_of_another_estate__404_nothing_stored(as_user, make_user, tree, open_vote):
    vote = open_vote()
    neighbour = make_user(RoleKind.RESIDENT, tree.neighbour_estate, person=tree.neighbour_owner)
    assert cast(as_user(neighbour), vote, choice="agree").status_code == 404
    assert as_user(neighbour).get(f"/api/votes/{vote.pk}/ballot").status_code == 404
    assert Ballot.objects.count() == 0


def test_ballot_cast__bad_choice__400_nothing_stored(as_user, owner_user, open_vote):
    vote = open_vote()
    response = cast(as_user(owner_user), vote, choice="maybe")
    assert response.status_code == 400
    assert list(response.json()["detail"]) == ["choice"]
    assert Ballot.objects.count() == 0


def test_ballot_cast__after_window__400_nothing_stored(as_user, owner_user, open_vote):
    now = timezone.now()
    vote = open_vote(opens_at=now - datetime.timedelta(hours=2), closes_at=now - datetime.timedelta(minutes=1))
    response = cast(as_user(owner_user), vote, choice="agree")
    assert response.status_code == 400
    assert response.json()["detail"] == {"__all__": ["Voting has closed."]}
    assert Ballot.objects.count() == 0


# Turnout -----------------------------------------------------------------------------------------------------------

def test_vote_turnout__clerk__area_cents_and_heads(as_user, clerk, owner_user, open_vote):
    vote = open_vote()
    ballot_cast(vote=vote, actor=owner_user, choice="agree")
    response = as_user(clerk).get(f"/api/votes/{vote.pk}/turnout")
    assert response.status_code == 200
    assert response.json() == {"area": [20000, 87550], "heads": [1, 7], "ballots": 1, "quorum_met": False,
                               "quorum": "2/3"}


def test_vote_turnout__owner__403(as_user, owner_user, open_vote):
    response = as_user(owner_user).get(f"/api/votes/{open_vote().pk}/turnout")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only staff running this vote may watch its turnout."


def test_vote_turnout__other_community_staff__404(as_user, outsider, open_vote):
    assert as_user(outsider).get(f"/api/votes/{open_vote().pk}/turnout").status_code == 404


# Close, result, appeal -------------------------------------------------------------------------------------------

def test_vote_result__before_close__409_then_close_then_result(as_user, clerk, owner_user, ended_vote):
    owner = as_user(owner_user)
    response = owner.get(f"/api/votes/{ended_vote.pk}/result")
    assert response.status_code == 409
    assert response.json()["detail"] == "The result is fixed when the vote is closed; this vote is announced."
    closed = as_user(clerk).post(f"/api/votes/{ended_vote.pk}/close")
    assert closed.status_code == 200, closed.content
    assert (closed.json()["status"], closed.json()["outcome"]) == ("closed", "passed")
    result = owner.get(f"/api/votes/{ended_vote.pk}/result").json()
    assert result["outcome"] == "passed"
    assert result["quorum"] == {"area": [60000, 87550], "heads": [5, 7]}
    assert result["quorum_met"] is True
    assert result["agree"] == {"area": [60000, 60000], "heads": [5, 5]}
    assert result["against"] == {"area": [0, 60000], "heads": [0, 5]}
    assert result["record"] is None
    assert result["record_hash"] == Vote.objects.get(pk=ended_vote.pk).record_hash


def test_vote_result__include_record__sha256_recomputes_to_stored_hash(as_user, clerk, owner_user, ended_vote):
    vote_close(actor=clerk, vote=ended_vote)
    response = as_user(owner_user).get(f"/api/votes/{ended_vote.pk}/result", {"include_record": "true"})
    body = response.json()
    stored = Vote.objects.get(pk=ended_vote.pk).record_hash
    assert canonical_sha256(body["record"]) == body["record_hash"] == stored
    receipts = sorted(Ballot.objects.filter(vote=ended_vote).values_list("receipt_code", flat=True))
    assert [b["receipt"] for b in body["record"]["ballots"]] == receipts
    assert "王一" not in response.content.decode()


def test_vote_close__still_open__400_unchanged(as_user, clerk, open_vote, nothing_written):
    vote = open_vote()
    with nothing_written():
        assert as_user(clerk).post(f"/api/votes/{vote.pk}/close").status_code == 400


def test_vote_close__owner__403_unchanged(as_user, owner_user, ended_vote, nothing_written):
    with nothing_written():
        assert as_user(owner_user).post(f"/api/votes/{ended_vote.pk}/close").status_code == 403


def test_vote_close__other_community_staff__404_unchanged(as_user, outsider, ended_vote, nothing_written):
    with nothing_written():
        assert as_user(outsider).post(f"/api/votes/{ended_vote.pk}/close").status_code == 404
        assert as_user(outsider).get(f"/api/votes/{ended_vote.pk}/result").status_code == 404


def test_vote_appeal__closed__noted(as_user, clerk, ended_vote):
    vote_close(actor=clerk, vote=ended_vote)
    response = as_user(clerk).post(f"/api/votes/{ended_vote.pk}/appeal", {"note": "业主王二向拱墅区法院起诉"},
                                   content_type="application/json")
    assert response.status_code == 200
    assert response.json()["appeal_note"] == "业主王二向拱墅区法院起诉"


def test_vote_appeal__not_closed__400_unchanged(as_user, clerk, open_vote, nothing_written):
    vote = open_vote()
    with nothing_written():
        response = as_user(clerk).post(f"/api/votes/{vote.pk}/appeal", {"note": "x"}, content_type="application/json")
        assert response.status_code == 400


def test_vote_appeal__owner__403_unchanged(as_user, clerk, owner_user, ended_vote, nothing_written):
    vote = vote_close(actor=clerk, vote=ended_vote)
    with nothing_written():
        response = as_user(owner_user).post(f"/api/votes/{vote.pk}/appeal", {"note": "x"},
                                            content_type="application/json")
        assert response.status_code == 403


# Elections ---------------------------------------------------------------------------------------------------------

@pytest.fixture
def election(open_vote, register, clerk) -> Vote:
    return announced_election(open_vote, register, clerk)


@pytest.fixture
def draft_election(register, clerk) -> Vote:
    now = timezone.now()
    return vote_create(actor=clerk, estate=register.estate, kind="election", matter="3", title="第一届业委会选举",
                       record_date=timezone.localdate(), opens_at=now + datetime.timedelta(days=20),
                       closes_at=now + datetime.timedelta(days=21), seats=3, term_years=5)


def test_candidate_list__clerk_sees_review__owner_sees_qualified_only(as_user, clerk, owner_user, election):
    staff = as_user(clerk).get(f"/api/votes/{election.pk}/candidates").json()
    assert [(c["name"], c["status"]) for c in staff] == [
        ("王一", "approved"), ("赵四", "approved"), ("钱五", "approved"), ("孙六", "rejected")]
    assert staff[3]["conditions"]["no_arrears"] is False
    assert staff[3]["rejection_reason"].startswith("Unmet: ")
    owner = as_user(owner_user).get(f"/api/votes/{election.pk}/candidates").json()
    assert [(c["name"], c["conditions"], c["rejection_reason"]) for c in owner] == [
        ("王一", None, None), ("赵四", None, None), ("钱五", None, None)]


def test_ballot_cast__election__marks_candidates(as_user, owner_user, election):
    marked = list(election.candidates.filter(status="approved").values_list("pk", flat=True)[:2])
    response = cast(as_user(owner_user), election, candidates=marked)
    assert response.status_code == 201, response.content
    assert response.json()["candidates"] == sorted(marked)


def test_ballot_cast__election_rejected_candidate__400_nothing_stored(as_user, owner_user, election):
    rejected = election.candidates.get(status="rejected").pk
    response = cast(as_user(owner_user), election, candidates=[rejected])
    assert response.status_code == 400
    assert list(response.json()["detail"]) == ["candidates"]
    assert Ballot.objects.count() == 0


def test_vote_result__election__candidates_named_and_ranked(as_user, clerk, owner_user, voters, open_vote, register):
    now = timezone.now()
    vote = announced_election(open_vote, register, clerk, opens_at=now - datetime.timedelta(hours=2),
                              closes_at=now - datetime.timedelta(minutes=1))
    qualified = list(vote.candidates.filter(status="approved").values_list("pk", flat=True))
    with clock.frozen_at(now - datetime.timedelta(hours=1)):
        for user in [voters[0], voters[1], *voters[3:]]:
            ballot_cast(vote=vote, actor=user, candidates=qualified)
    vote_close(actor=clerk, vote=vote)
    body = as_user(owner_user).get(f"/api/votes/{vote.pk}/result", {"include_record": "1"}).json()
    assert (body["outcome"], body["seats"], body["unfilled"]) == ("passed", 3, 0)
    assert [(c["name"], c["rank"], c["elected"], c["heads"]) for c in body["candidates"]] == [
        ("王一", 1, True, [5, 5]), ("赵四", 1, True, [5, 5]), ("钱五", 1, True, [5, 5])]
    assert canonical_sha256(body["record"]) == body["record_hash"]
    assert Vote.objects.get(pk=vote.pk).committee is not None


def test_candidate_add__clerk__201_registered(as_user, clerk, draft_election, register):
    response = as_user(clerk).post(f"/api/votes/{draft_election.pk}/candidates",
                                   {"person": register.owners[3].pk, "statement": "愿意服务"},
                                   content_type="application/json")
    assert response.status_code == 201, response.content
    assert (response.json()["name"], response.json()["status"]) == ("赵四", "registered")
    assert response.json()["conditions"] == {"is_owner": True}


def test_candidate_add__person_out_of_scope__400_nothing_created(as_user, clerk, draft_election, tree):
    response = as_user(clerk).post(f"/api/votes/{draft_election.pk}/candidates",
                                   {"person": tree.neighbour_owner.pk}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == {"person": ["There is no such person."]}
    assert Candidate.objects.count() == 0


@pytest.mark.parametrize("who", ["owner", "outsider"])
def test_candidate_add__owner_or_other_community__404_nothing_created(as_user, owner_user, outsider,
                                                                      draft_election, register, who):
    user = owner_user if who == "owner" else outsider
    response = as_user(user).post(f"/api/votes/{draft_election.pk}/candidates", {"person": register.owners[3].pk},
                                  content_type="application/json")
    assert response.status_code == 404
    assert Candidate.objects.count() == 0


def test_candidate_review__all_met__approved(as_user, clerk, draft_election, register):
    candidate = candidate_register(actor=clerk, vote=draft_election, person=register.owners[3])
    response = as_user(clerk).post(f"/api/candidates/{candidate.pk}/review", {"conditions": ALL_MET},
                                   content_type="application/json")
    assert response.status_code == 200, response.content
    assert Candidate.objects.get(pk=candidate.pk).status == CandidateStatus.APPROVED


def test_candidate_review__owner_on_announced_election__403_unchanged(as_user, owner_user, election):
    candidate = election.candidates.get(status="rejected")
    response = as_user(owner_user).post(f"/api/candidates/{candidate.pk}/review", {"conditions": ALL_MET},
                                        content_type="application/json")
    assert response.status_code == 403
    assert Candidate.objects.get(pk=candidate.pk).status == CandidateStatus.REJECTED


def test_candidate_review__other_community_staff__404_unchanged(as_user, outsider, clerk, draft_election, register):
    candidate = candidate_register(actor=clerk, vote=draft_election, person=register.owners[3])
    response = as_user(outsider).post(f"/api/candidates/{candidate.pk}/review", {"conditions": ALL_MET},
                                      content_type="application/json")
    assert response.status_code == 404
    assert Candidate.objects.get(pk=candidate.pk).status == CandidateStatus.REGISTERED


def test_candidate_delete__clerk__204_gone(as_user, clerk, draft_election, register):
    candidate = candidate_register(actor=clerk, vote=draft_election, person=register.owners[3])
    assert as_user(clerk).delete(f"/api/candidates/{candidate.pk}").status_code == 204
    assert Candidate.objects.count() == 0


def test_candidate_delete__announced__400_kept(as_user, clerk, election, nothing_written):
    with nothing_written():
        candidate = election.candidates.first()
        assert as_user(clerk).delete(f"/api/candidates/{candidate.pk}").status_code == 400


def test_candidate_delete__other_community_staff__404_kept(as_user, outsider, clerk, draft_election, register):
    candidate = candidate_register(actor=clerk, vote=draft_election, person=register.owners[3])
    assert as_user(outsider).delete(f"/api/candidates/{candidate.pk}").status_code == 404
    assert Candidate.objects.count() == 1


def test_preparatory_group__add_list_remove(as_user, clerk, draft_election, register):
    client = as_user(clerk)
    assert client.get(f"/api/votes/{draft_election.pk}/preparatory-group").json() == {
        "members": [], "problems": [
            "The preparatory group needs an odd number of members.",
            "At least half of the preparatory group must be owner representatives.",
            "The preparatory group has one leader from the street office."]}
    response = client.post(f"/api/votes/{draft_election.pk}/preparatory-group",
                           {"role": "owner", "person": register.owners[0].pk}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert (response.json()["name"], response.json()["role"]) == ("王一", "owner")
    group = client.get(f"/api/votes/{draft_election.pk}/preparatory-group").json()
    assert [m["name"] for m in group["members"]] == ["王一"]
    assert group["problems"] == ["The preparatory group has one leader from the street office."]
    assert client.delete(f"/api/preparatory-members/{response.json()['id']}").status_code == 204
    assert PreparatoryMember.objects.count() == 0


def test_preparatory_group__bad_role__400_nothing_created(as_user, clerk, draft_election):
    response = as_user(clerk).post(f"/api/votes/{draft_election.pk}/preparatory-group",
                                   {"name": "某人", "role": "king"}, content_type="application/json")
    assert response.status_code == 400
    assert PreparatoryMember.objects.count() == 0


def test_preparatory_group__other_community_staff__404_nothing_changes(as_user, outsider, clerk, draft_election):
    member = preparatory_member_add(actor=clerk, vote=draft_election, name="街道 陈", role="leader")
    client = as_user(outsider)
    assert client.get(f"/api/votes/{draft_election.pk}/preparatory-group").status_code == 404
    response = client.post(f"/api/votes/{draft_election.pk}/preparatory-group", {"name": "x", "role": "owner"},
                           content_type="application/json")
    assert response.status_code == 404
    assert client.delete(f"/api/preparatory-members/{member.pk}").status_code == 404
    assert list(PreparatoryMember.objects.values_list("name", flat=True)) == ["街道 陈"]


def test_preparatory_group__owner_on_announced_election__403_kept(as_user, owner_user, election):
    member = election.preparatory_members.first()
    assert as_user(owner_user).delete(f"/api/preparatory-members/{member.pk}").status_code == 403
    assert PreparatoryMember.objects.filter(vote=election).count() == 3


# Notices -----------------------------------------------------------------------------------------------------------

def test_notice_list__owner__estate_board(as_user, owner_user, open_vote, tree):
    vote = open_vote()
    notice = Notice.objects.get(vote=vote)
    client = as_user(owner_user)
    response = client.get("/api/notices", {"place": tree.estate.code, "kind": "vote"})
    assert ids(response) == [notice.pk]
    row = response.json()["items"][0]
    assert (row["vote"], row["kind"], row["place"]) == (vote.pk, "vote", tree.estate.code)
    assert ids(client.get("/api/notices", {"kind": "result"})) == []
    detail = client.get(f"/api/notices/{notice.pk}")
    assert (detail.status_code, detail.json()["title"]) == (200, notice.title)


def test_notice_list__other_community_staff__nothing_and_404(as_user, outsider, open_vote, tree):
    notice = Notice.objects.get(vote=open_vote())
    client = as_user(outsider)
    response = client.get("/api/notices")
    assert (ids(response), response.json()["count"]) == ([], 0)
    assert ids(client.get("/api/notices", {"place": tree.estate.code})) == []
    assert client.get(f"/api/notices/{notice.pk}").status_code == 404


# Schema ------------------------------------------------------------------------------------------------------------

def test_openapi__builds_with_deliberation_routes(as_user, clerk):
    response = as_user(clerk).get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/votes", "/api/votes/{vote_id}/ballot", "/api/votes/{vote_id}/result", "/api/notices"} <= set(paths)


# bad input: a 4xx with a message, in JSON, and nothing created


@pytest.mark.parametrize("path", ["/api/votes", "/api/notices"])
def test_vote_and_notice_lists__page_past_2_63__422(as_user, clerk, tree, path):
    response = as_user(clerk).get(path, {"page": "200000000000000000"})
    assert (response.status_code, list(response.json()["detail"])) == (422, ["page"])


@pytest.mark.parametrize(("changes", "fields"), [
    ({"opens_at": "0001-01-01T00:00:00+12:00"}, ["opens_at"]),
    ({"closes_at": "9999-12-31T23:00:00-12:00"}, ["closes_at"]),
    ({"record_date": "0001-01-01"}, ["record_date"]),
    ({"opens_at": 1740790800}, ["opens_at"]),
    ({"record_date": "0"}, ["record_date"]),
])
def test_vote_create__times_at_the_calendar_edges_or_not_iso__422_nothing_created(as_user, clerk, tree, register,
                                                                                 changes, fields):
    response = as_user(clerk).post("/api/votes", vote_payload(tree, **changes), content_type="application/json")
    assert (response.status_code, list(response.json()["detail"])) == (422, fields)
    assert Vote.objects.count() == 0


@pytest.mark.parametrize("vote_id", ["9223372036854775808", "200000000000000000000"])
def test_vote_detail__id_past_the_database_integer__422(as_user, clerk, tree, vote_id):
    response = as_user(clerk).get(f"/api/votes/{vote_id}")
    assert (response.status_code, list(response.json()["detail"])) == (422, ["vote_id"])


def test_vote_result__not_closed__409_documented(as_user, clerk, open_vote, client):
    vote = open_vote()
    assert as_user(clerk).get(f"/api/votes/{vote.pk}/result").status_code == 409
    responses = client.get("/api/openapi.json").json()["paths"]["/api/votes/{vote_id}/result"]["get"]["responses"]
    assert responses["409"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}


def test_vote_create__control_characters__dropped(as_user, clerk, tree, register):
    payload = vote_payload(tree, title="续聘\x00物业\n服务", description="说明\x0b第一行\n第二行")
    response = as_user(clerk).post("/api/votes", payload, content_type="application/json")
    assert response.status_code == 201
    assert (response.json()["title"], response.json()["description"]) == ("续聘物业 服务", "说明第一行\n第二行")
