"""Casting and entering ballots: who may, when, with what; every refusal stores nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from commonground.core import clock
from commonground.core.models import RoleKind
from commonground.core.services.people import person_create
from commonground.deliberation.models import (
    Ballot,
    BallotChannel,
    BallotVersion,
    CandidateStatus,
    Elector,
)
from commonground.deliberation.services.ballots import RECEIPT_ALPHABET, ballot_cast, ballot_enter, my_ballot
from commonground.deliberation.services.votes import vote_cancel, vote_close
from tests.files import HTML, PDF, image_bytes

MINUTE = datetime.timedelta(minutes=1)
PNG = image_bytes("PNG")
MB = 1024 * 1024
WRONG_TYPE = "This file is not one of the types accepted here (JPEG, PNG, WebP, PDF)."


@pytest.fixture(autouse=True)
def _english_and_tmp_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


def stored() -> tuple[int, int]:
    return Ballot.objects.count(), BallotVersion.objects.count()


def scan(name: str = "ballot.png", content: bytes = PNG, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def elector_for(vote, register, *, developer: bool = False, owner: int = 3) -> Elector:
    if developer:
        return Elector.objects.get(vote=vote, memberships__organisation=register.developer)
    return Elector.objects.get(vote=vote, memberships__person=register.owners[owner])


@pytest.fixture
def co_owner_users(register, make_user, tree):
    return [make_user(RoleKind.RESIDENT, tree.estate, person=register.owners[i]) for i in (1, 2)]


# --- online: refusals -------------------------------------------------------------------------------------------

def test_ballot_cast__before_opening__refused_nothing_stored(open_vote, owner_user):
    now = timezone.now()
    vote = open_vote(opens_at=now + datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        ballot_cast(vote=vote, actor=owner_user, choice="agree")
    assert refused.value.messages == ["Voting has not opened yet."]
    assert stored() == (0, 0)


def test_ballot_cast__at_closes_at__refused_nothing_stored(open_vote, owner_user):
    vote = open_vote()
    with pytest.raises(ValidationError) as refused, clock.frozen_at(vote.closes_at):
        ballot_cast(vote=vote, actor=owner_user, choice="agree")
    assert refused.value.messages == ["Voting has closed."]
    assert stored() == (0, 0)


def test_ballot_cast__last_moment_before_closes_at__accepted(open_vote, owner_user):
    vote = open_vote()
    with clock.frozen_at(vote.closes_at - datetime.timedelta(seconds=1)):
        ballot_cast(vote=vote, actor=owner_user, choice="agree")
    assert stored() == (1, 1)


def test_ballot_cast__after_vote_closed__refused_nothing_stored(open_vote, owner_user, clerk):
    vote = open_vote()
    with clock.frozen_at(vote.closes_at + MINUTE):
        vote_close(actor=clerk, vote=vote)
    with pytest.raises(ValidationError) as refused:
        ballot_cast(vote=vote, actor=owner_user, choice="agree")
    assert refused.value.messages == ["This vote is closed; its result is fixed."]
    assert stored() == (0, 0)


def test_ballot_cast__draft_vote__refused_as_no_register_yet(open_vote, owner_user):
    vote = open_vote(announce=False)
    with pytest.raises(PermissionDenied):
        ballot_cast(vote=vote, actor=owner_user, choice="agree")
    assert stored() == (0, 0)


def test_ballot_cast__cancelled_vote__refused_nothing_stored(open_vote, owner_user, clerk):
    now = timezone.now()
    vote = open_vote(opens_at=now + datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=1))
    vote_cancel(actor=clerk, vote=vote)
    with pytest.raises(ValidationError) as refused, clock.frozen_at(vote.opens_at + MINUTE):
        ballot_cast(vote=vote, actor=owner_user, choice="agree")
    assert refused.value.messages == ["This vote is not open for voting."]
    assert stored() == (0, 0)


def test_ballot_cast__user_without_person__refused_nothing_stored(open_vote, make_user, tree):
    vote = open_vote()
    with pytest.raises(PermissionDenied):
        ballot_cast(vote=vote, actor=make_user(RoleKind.RESIDENT, tree.estate), choice="agree")
    assert stored() == (0, 0)


def test_ballot_cast__person_not_on_register__refused_nothing_stored(open_vote, make_user, tree):
    vote = open_vote()
    tenant = person_create(name="租客")
    with pytest.raises(PermissionDenied):
        ballot_cast(vote=vote, actor=make_user(RoleKind.RESIDENT, tree.estate, person=tenant), choice="agree")
    assert stored() == (0, 0)


def test_ballot_cast__owner_of_another_estate__refused_nothing_stored(open_vote, make_user, tree):
    vote = open_vote()
    neighbour = make_user(RoleKind.RESIDENT, tree.neighbour_estate, person=tree.neighbour_owner)
    with pytest.raises(PermissionDenied):
        ballot_cast(vote=vote, actor=neighbour, choice="agree")
    assert stored() == (0, 0)


def test_ballot_cast__inactive_user__refused_nothing_stored(open_vote, owner_user):
    vote = open_vote()
    owner_user.is_active = False
    owner_user.save()
    with pytest.raises(PermissionDenied):
        ballot_cast(vote=vote, actor=owner_user, choice="agree")
    assert stored() == (0, 0)


@pytest.mark.parametrize("choice", ["yes", "", "AGREE"])
def test_ballot_cast__invalid_choice__refused_nothing_stored(open_vote, owner_user, choice):
    vote = open_vote()
    with pytest.raises(ValidationError) as refused:
        ballot_cast(vote=vote, actor=owner_user, choice=choice)
    assert refused.value.message_dict == {"choice": ["Choose agree, against or abstain."]}
    assert stored() == (0, 0)


# --- online: elections --------------------------------------------------------------------------------------------

def test_ballot_cast__election_more_marks_than_seats__refused_nothing_stored(open_election, owner_user):
    vote = open_election(seats=3)
    candidates = list(vote.candidates.values_list("pk", flat=True))
    assert len(candidates) == 4
    with pytest.raises(ValidationError) as refused:
        ballot_cast(vote=vote, actor=owner_user, candidates=candidates)
    assert refused.value.message_dict == {"candidates": ["Mark at most 3 candidates."]}
    assert stored() == (0, 0)


def test_ballot_cast__election_unqualified_candidate__refused_nothing_stored(open_election, owner_user, register,
                                                                            tree):
    owners = [register.owners[i] for i in (0, 1, 3, 4)]
    vote = open_election(seats=3, candidates=[*owners, tree.neighbour_owner])  # not an owner here: rejected
    stranger = vote.candidates.get(person=tree.neighbour_owner)
    assert stranger.status == CandidateStatus.REJECTED
    qualified = vote.candidates.filter(status=CandidateStatus.APPROVED).values_list("pk", flat=True).first()
    with pytest.raises(ValidationError) as refused:
        ballot_cast(vote=vote, actor=owner_user, candidates=[qualified, stranger.pk])
    assert refused.value.message_dict == {"candidates": ["Mark only candidates on this ballot."]}
    assert stored() == (0, 0)


@pytest.mark.parametrize("marks", [["x"], [None], [1.5j]])
def test_ballot_cast__election_marks_not_candidate_ids__refused_nothing_stored(open_election, owner_user, marks):
    vote = open_election(seats=3)
    with pytest.raises(ValidationError) as refused:
        ballot_cast(vote=vote, actor=owner_user, candidates=marks)
    assert refused.value.message_dict == {"candidates": ["Mark only candidates on this ballot."]}
    assert stored() == (0, 0)


def test_ballot_cast__election_marks_within_seats__stored_sorted_without_choice(open_election, owner_user):
    vote = open_election(seats=3)
    c1, _c2, c3, _c4 = vote.candidates.values_list("pk", flat=True)
    ballot = ballot_cast(vote=vote, actor=owner_user, candidates=[c3, c1, c1])
    assert (ballot.choice, ballot.candidates) == ("", sorted([c1, c3]))
    assert list(ballot.versions.values_list("candidates", flat=True)) == [sorted([c1, c3])]
    empty = ballot_cast(vote=vote, actor=owner_user, candidates=[])
    assert (empty.version, empty.candidates) == (2, [])


# --- one ballot per owner, versions -------------------------------------------------------------------------------

def test_ballot_cast__second_cast_when_changes_not_allowed__refused_first_kept(open_vote, owner_user):
    vote = open_vote(allow_change=False)
    first = ballot_cast(vote=vote, actor=owner_user, choice="agree")
    with pytest.raises(ValidationError):
        ballot_cast(vote=vote, actor=owner_user, choice="against")
    assert stored() == (1, 1)
    first.refresh_from_db()
    assert (first.choice, first.version) == ("agree", 1)


def test_ballot_cast__change_allowed__same_receipt_version_two_both_kept(open_vote, owner_user):
    vote = open_vote(allow_change=True)
    first = ballot_cast(vote=vote, actor=owner_user, choice="agree")
    second = ballot_cast(vote=vote, actor=owner_user, choice="against")
    assert second.pk == first.pk
    assert second.receipt_code == first.receipt_code
    assert (second.choice, second.version) == ("against", 2)
    assert list(BallotVersion.objects.filter(ballot=first).values_list("version", "choice", "channel")) == [
        (1, "agree", "online"), (2, "against", "online")]
    assert stored() == (1, 2)
    assert my_ballot(vote, owner_user) == second


def test_ballot_cast__receipt_code__ten_unambiguous_characters_unique_per_vote(open_vote, owner_user,
                                                                              co_owner_users):
    vote = open_vote()
    codes = [ballot_cast(vote=vote, actor=u, choice="agree").receipt_code for u in (owner_user, co_owner_users[0])]
    assert all(len(code) == 10 and set(code) <= set(RECEIPT_ALPHABET) for code in codes)
    assert len(set(codes)) == 2
    assert not set("01OIL") & set(RECEIPT_ALPHABET)


def test_ballot_cast__co_owners_change_allowed__one_ballot_second_is_a_change(open_vote, co_owner_users):
    vote = open_vote(allow_change=True)
    wang2, wang3 = co_owner_users
    first = ballot_cast(vote=vote, actor=wang2, choice="agree")
    second = ballot_cast(vote=vote, actor=wang3, choice="against")
    assert (second.pk, second.receipt_code, second.version, second.cast_by) == (
        first.pk, first.receipt_code, 2, wang3)
    assert list(BallotVersion.objects.filter(ballot=first).values_list("cast_by", "choice")) == [
        (wang2.pk, "agree"), (wang3.pk, "against")]
    assert stored() == (1, 2)
    assert my_ballot(vote, wang2) == my_ballot(vote, wang3)


def test_ballot_cast__co_owners_change_not_allowed__second_refused(open_vote, co_owner_users):
    vote = open_vote(allow_change=False)
    wang2, wang3 = co_owner_users
    ballot_cast(vote=vote, actor=wang2, choice="agree")
    with pytest.raises(ValidationError):
        ballot_cast(vote=vote, actor=wang3, choice="against")
    assert stored() == (1, 1)
    assert Ballot.objects.get().choice == "agree"


# --- paper and proxy ----------------------------------------------------------------------------------------------

def test_ballot_enter__paper_without_scan__refused_nothing_stored(open_vote, clerk, register):
    vote = open_vote()
    with pytest.raises(ValidationError) as refused:
        ballot_enter(vote=vote, actor=clerk, elector=elector_for(vote, register), choice="agree")
    assert refused.value.message_dict == {"scan": ["Attach a scan (image or PDF)."]}
    assert stored() == (0, 0)


def test_ballot_enter__paper_with_scan__stored_with_clerk_name(open_vote, clerk, register):
    vote = open_vote()
    ballot = ballot_enter(vote=vote, actor=clerk, elector=elector_for(vote, register, developer=True),
                          choice="against", scan=scan())
    ballot.refresh_from_db()
    assert (ballot.channel, ballot.choice, ballot.clerk_name, ballot.cast_by) == (
        BallotChannel.PAPER, "against", str(clerk), clerk)
    assert ballot.scan.name.startswith("ballots/") and ballot.scan.name.endswith(".png")
    assert ballot.scan_type == "image/png"
    assert list(ballot.versions.values_list("channel", "clerk_name")) == [("paper", str(clerk))]


def test_ballot_enter__proxy_without_authorisation__refused_nothing_stored(open_vote, clerk, register):
    vote = open_vote()
    with pytest.raises(ValidationError) as refused:
        ballot_enter(vote=vote, actor=clerk, elector=elector_for(vote, register), choice="agree", proxy_name="赵小四")
    assert refused.value.message_dict == {"authorisation": ["Attach a scan (image or PDF)."]}
    assert stored() == (0, 0)


def test_ballot_enter__proxy_with_name_and_authorisation__stored_as_proxy(open_vote, clerk, register):
    vote = open_vote()
    authorisation = scan("委托书.pdf", PDF, "application/pdf")
    ballot = ballot_enter(vote=vote, actor=clerk, elector=elector_for(vote, register), choice="agree",
                          proxy_name="  赵小四 ", authorisation=authorisation)
    ballot.refresh_from_db()
    assert (ballot.channel, ballot.proxy_name, ballot.clerk_name) == (BallotChannel.PROXY, "赵小四", str(clerk))
    assert ballot.proxy_authorisation.name.startswith("proxies/") and ballot.proxy_authorisation.name.endswith(".pdf")
    assert ballot.proxy_authorisation_type == "application/pdf"
    assert list(ballot.versions.values_list("channel", "proxy_name")) == [("proxy", "赵小四")]


@pytest.mark.parametrize("field", ["scan", "authorisation"])
def test_ballot_enter__upload_over_ten_megabytes__refused_nothing_stored(open_vote, clerk, register, field):
    vote = open_vote()
    big = scan(content=PNG + b"\x00" * (10 * MB + 1 - len(PNG)))
    kwargs = {"scan": big} if field == "scan" else {"proxy_name": "赵小四", "authorisation": big}
    with pytest.raises(ValidationError) as refused:
        ballot_enter(vote=vote, actor=clerk, elector=elector_for(vote, register), choice="agree", **kwargs)
    assert refused.value.message_dict == {field: ["The file is larger than 10.0\xa0MB."]}
    assert stored() == (0, 0)


def test_ballot_enter__upload_of_exactly_ten_megabytes__accepted(open_vote, clerk, register):
    vote = open_vote()
    ballot_enter(vote=vote, actor=clerk, elector=elector_for(vote, register), choice="agree",
                 scan=scan(content=PNG + b"\x00" * (10 * MB - len(PNG))))
    assert stored() == (1, 1)


@pytest.mark.parametrize("content_type", ["text/plain", "image/gif", "application/zip", ""])
def test_ballot_enter__wrong_file_type__refused_nothing_stored(open_vote, clerk, register, content_type):
    vote = open_vote()
    with pytest.raises(ValidationError) as refused:
        ballot_enter(vote=vote, actor=clerk, elector=elector_for(vote, register), choice="agree",
                     scan=scan("ballot.txt", b"agree", content_type))
    assert refused.value.message_dict == {"scan": [WRONG_TYPE]}
    assert stored() == (0, 0)


@pytest.mark.parametrize("field", ["scan", "authorisation"])
def test_ballot_enter__html_declared_as_png__refused_nothing_stored(open_vote, clerk, register, field):
    vote = open_vote()
    page = scan("ballot.html", HTML, "image/png")
    kwargs = {"scan": page} if field == "scan" else {"proxy_name": "赵小四", "authorisation": page}
    with pytest.raises(ValidationError) as refused:
        ballot_enter(vote=vote, actor=clerk, elector=elector_for(vote, register), choice="agree", **kwargs)
    assert refused.value.message_dict == {field: [WRONG_TYPE]}
    assert stored() == (0, 0)


def test_ballot_enter__clerk_of_another_community__permission_denied(open_vote, register, make_user, tree):
    vote = open_vote()
    outsider = make_user(RoleKind.COMMUNITY_WORKER, tree.far_community)
    with pytest.raises(PermissionDenied):
        ballot_enter(vote=vote, actor=outsider, elector=elector_for(vote, register), choice="agree", scan=scan())
    assert stored() == (0, 0)


def test_ballot_enter__resident__permission_denied(open_vote, register, owner_user):
    vote = open_vote()
    with pytest.raises(PermissionDenied):
        ballot_enter(vote=vote, actor=owner_user, elector=elector_for(vote, register), choice="agree", scan=scan())
    assert stored() == (0, 0)


def test_ballot_enter__elector_of_another_vote__refused_nothing_stored(open_vote, clerk, register):
    vote, other = open_vote(), open_vote()
    with pytest.raises(ValidationError) as refused:
        ballot_enter(vote=vote, actor=clerk, elector=elector_for(other, register), choice="agree", scan=scan())
    assert refused.value.message_dict == {"elector": ["This owner is not on this vote's register."]}
    assert stored() == (0, 0)


def test_ballot_enter__paper_collected_by_deadline_entered_after_closes_at_before_count__accepted(
        open_vote, clerk, register):
    """Rule: paper ballots handed in by the deadline may be entered after closes_at, until vote_close."""
    vote = open_vote()
    with clock.frozen_at(vote.closes_at + datetime.timedelta(hours=2)):
        ballot = ballot_enter(vote=vote, actor=clerk, elector=elector_for(vote, register), choice="agree", scan=scan())
    assert ballot.channel == BallotChannel.PAPER
    assert stored() == (1, 1)


def test_ballot_enter__paper_after_vote_close__refused_nothing_stored(open_vote, clerk, register):
    vote = open_vote()
    with clock.frozen_at(vote.closes_at + MINUTE):
        vote_close(actor=clerk, vote=vote)
    with pytest.raises(ValidationError) as refused:
        ballot_enter(vote=vote, actor=clerk, elector=elector_for(vote, register), choice="agree", scan=scan())
    assert refused.value.messages == ["This vote is closed; its result is fixed."]
    assert stored() == (0, 0)


def test_ballot_enter__paper_before_opening__refused_nothing_stored(open_vote, clerk, register):
    vote = open_vote()
    with pytest.raises(ValidationError) as refused, clock.frozen_at(vote.opens_at - MINUTE):
        ballot_enter(vote=vote, actor=clerk, elector=elector_for(vote, register), choice="agree", scan=scan())
    assert refused.value.messages == ["Voting has not opened yet."]
    assert stored() == (0, 0)


def test_ballot_enter__paper_over_online_ballot__refused_unchanged(open_vote, clerk, register, owner_user):
    vote = open_vote(allow_change=True)
    online = ballot_cast(vote=vote, actor=owner_user, choice="agree")
    with pytest.raises(ValidationError) as error:
        ballot_enter(vote=vote, actor=clerk, elector=online.elector, choice="abstain", scan=scan())
    assert error.value.message_dict == {"elector": ["This owner has voted online; only they can change that ballot."]}
    online.refresh_from_db()
    assert (online.version, online.channel, online.choice) == (1, "online", "agree")
    assert list(online.versions.values_list("channel", "choice")) == [("online", "agree")]
