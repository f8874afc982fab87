"""The access functions of deliberation: a stranger gets a 404 (ids leak nothing), someone who sees the object
but may not do the action a 403, everyone else the object. Each agrees with its list selector."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from commonground.core.models import RoleKind
from commonground.deliberation.meeting_selectors import access_meeting, access_resolution, meetings_for
from commonground.deliberation.models import Notice, VoteStatus
from commonground.deliberation.selectors import (
    access_candidate,
    access_notice,
    access_preparatory_member,
    access_representative,
    access_representative_building,
    access_representative_estate,
    access_vote,
    votes_for,
)
from commonground.deliberation.services.elections import candidate_register, preparatory_member_add
from commonground.deliberation.services.meetings import resolution_add
from commonground.deliberation.services.representatives import representative_nominate
from commonground.deliberation.services.votes import vote_cancel, vote_create


@pytest.fixture
def outsider(tree, make_user):
    """A community worker of the neighbouring community: sees nothing of this estate."""
    return make_user(RoleKind.COMMUNITY_WORKER, tree.neighbour)


@pytest.fixture
def draft(register, clerk):
    now = timezone.now()
    return vote_create(actor=clerk, estate=register.estate, kind="election", matter="3", seats=3, term_years=5,
                       title="第二届业主委员会选举", record_date=timezone.localdate(),
                       opens_at=now + datetime.timedelta(days=20), closes_at=now + datetime.timedelta(days=27))


@pytest.fixture
def cancelled(open_vote, clerk):
    now = timezone.now()
    vote = open_vote(opens_at=now + datetime.timedelta(days=2), closes_at=now + datetime.timedelta(days=3))
    return vote_cancel(actor=clerk, vote=vote)


def outcome(call) -> str:
    try:
        call()
    except Http404:
        return "404"
    except PermissionDenied:
        return "403"
    return "ok"


# --- votes -------------------------------------------------------------------------------------------------

def test_access_vote__stranger__404(open_vote, outsider):
    vote = open_vote()
    assert outcome(lambda: access_vote(outsider, vote.pk)) == "404"
    assert outcome(lambda: access_vote(outsider, vote.pk, "vote.manage")) == "404"


def test_access_vote__unknown_id__404(clerk, register):
    assert outcome(lambda: access_vote(clerk, 999_999)) == "404"


def test_access_vote__owner_on_register__sees_but_may_not_manage_403(open_vote, owner_user):
    vote = open_vote()
    assert access_vote(owner_user, vote.pk) == vote
    assert outcome(lambda: access_vote(owner_user, vote.pk, "vote.manage")) == "403"


def test_access_vote__clerk__vote_with_estate_and_its_parent(open_vote, clerk, tree, django_assert_num_queries):
    vote = open_vote()
    found = access_vote(clerk, vote.pk, "vote.manage")
    with django_assert_num_queries(0):
        assert (found.estate.code, found.estate.parent.code) == (tree.estate.code, tree.community.code)


def test_access_vote__draft_and_cancelled__only_for_who_runs_them(draft, cancelled, owner_user, clerk):
    for vote in (draft, cancelled):
        assert outcome(lambda v=vote: access_vote(owner_user, v.pk)) == "404"
        assert outcome(lambda v=vote: access_vote(owner_user, v.pk, "vote.manage")) == "404"
        assert access_vote(clerk, vote.pk, "vote.manage") == vote


def test_access_vote__status__other_status_404_even_for_clerk(open_vote, clerk):
    vote = open_vote()
    assert outcome(lambda: access_vote(clerk, vote.pk, status=VoteStatus.CLOSED)) == "404"
    assert access_vote(clerk, vote.pk, status=VoteStatus.ANNOUNCED) == vote


def test_access_vote__agrees_with_votes_for(open_vote, draft, cancelled, owner_user, clerk, outsider, tree,
                                            make_user):
    grid = make_user(RoleKind.GRID_WORKER, tree.community)
    committee = make_user(RoleKind.OWNERS_COMMITTEE_MEMBER, tree.estate)
    votes = [open_vote(), draft, cancelled]
    for user in (owner_user, clerk, outsider, grid, committee):
        listed = set(votes_for(user).values_list("pk", flat=True))
        for vote in votes:
            assert (outcome(lambda v=vote, u=user: access_vote(u, v.pk)) == "ok") == (vote.pk in listed), (user, vote)


def test_access_candidate__through_the_vote(draft, clerk, owner_user, outsider, register):
    candidate = candidate_register(actor=clerk, vote=draft, person=register.owners[0])
    assert outcome(lambda: access_candidate(outsider, candidate.pk)) == "404"
    assert outcome(lambda: access_candidate(owner_user, candidate.pk)) == "404"  # the draft is not public
    assert access_candidate(clerk, candidate.pk, "candidate.review") == candidate


def test_access_candidate__seen_but_not_permitted__403(open_election, owner_user):
    candidate = open_election().candidates.first()
    assert access_candidate(owner_user, candidate.pk) == candidate
    assert outcome(lambda: access_candidate(owner_user, candidate.pk, "candidate.review")) == "403"


def test_access_preparatory_member__through_the_vote(open_election, draft, clerk, owner_user, outsider):
    drafted = preparatory_member_add(actor=clerk, vote=draft, name="街道 陈", role="leader")
    assert outcome(lambda: access_preparatory_member(owner_user, drafted.pk)) == "404"
    assert outcome(lambda: access_preparatory_member(outsider, drafted.pk)) == "404"
    assert access_preparatory_member(clerk, drafted.pk, "vote.manage") == drafted
    announced = open_election().preparatory_members.first()
    assert outcome(lambda: access_preparatory_member(owner_user, announced.pk, "vote.manage")) == "403"


# --- notices and meetings ----------------------------------------------------------------------------------

def test_access_notice__stranger_404_owner_sees_403_for_publishing(open_vote, owner_user, clerk, outsider):
    notice = Notice.objects.get(vote=open_vote())
    assert outcome(lambda: access_notice(outsider, notice.pk)) == "404"
    assert access_notice(owner_user, notice.pk) == notice
    assert outcome(lambda: access_notice(owner_user, notice.pk, "notice.publish")) == "403"
    assert access_notice(clerk, notice.pk, "notice.publish") == notice


def test_access_meeting__stranger_404_grid_sees_403_worker_changes(plan_meeting, meeting_world):
    meeting = plan_meeting()
    assert outcome(lambda: access_meeting(meeting_world.neighbour_worker, meeting.pk)) == "404"
    assert access_meeting(meeting_world.grid, meeting.pk, "meeting.attend") == meeting
    assert outcome(lambda: access_meeting(meeting_world.grid, meeting.pk, "meeting.change")) == "403"
    assert access_meeting(meeting_world.worker, meeting.pk, "meeting.change") == meeting


def test_access_meeting__details__agenda_and_attendees_loaded(plan_meeting, meeting_world, django_assert_num_queries):
    meeting = access_meeting(meeting_world.worker, plan_meeting().pk, details=True)
    with django_assert_num_queries(0):
        assert [item.title for item in meeting.agenda.all()] == ["停车位划线方案", "电动车充电桩"]
        assert list(meeting.attendees.all()) == []


def test_access_meeting__agrees_with_meetings_for(plan_meeting, meeting_world):
    meeting = plan_meeting()
    for user in (meeting_world.worker, meeting_world.neighbour_worker, meeting_world.grid, meeting_world.resident):
        listed = meetings_for(user).filter(pk=meeting.pk).exists()
        assert (outcome(lambda u=user: access_meeting(u, meeting.pk)) == "ok") == listed


def test_access_resolution__through_the_meeting(plan_meeting, meeting_world):
    meeting = plan_meeting(in_hours=-1)
    resolution = resolution_add(actor=meeting_world.worker, meeting=meeting, text="施划停车位")
    assert outcome(lambda: access_resolution(meeting_world.neighbour_worker, resolution.pk)) == "404"
    assert outcome(lambda: access_resolution(meeting_world.grid, resolution.pk, "meeting.change")) == "403"
    assert access_resolution(meeting_world.worker, resolution.pk, "meeting.change") == resolution


# --- renewal representatives -------------------------------------------------------------------------------

def test_access_representative_estate__who_sees_the_board(rep_estate, clerk, outsider, tree, make_user):
    committee = make_user(RoleKind.OWNERS_COMMITTEE_MEMBER, tree.estate)  # sees the estate, not its board
    estate = rep_estate.estate
    assert outcome(lambda: access_representative_estate(outsider, estate.pk)) == "404"
    assert outcome(lambda: access_representative_estate(committee, estate.pk)) == "404"
    assert outcome(lambda: access_representative_estate(clerk, estate.pk, "ballot.inspect")) == "403"
    assert access_representative_estate(clerk, estate.pk, "representative.publish") == estate
    assert outcome(lambda: access_representative_estate(clerk, rep_estate.buildings[0].pk)) == "404"


def test_access_representative_building__a_building_of_an_estate(rep_estate, clerk, outsider,
                                                                  django_assert_num_queries):
    building = rep_estate.buildings[0]
    assert outcome(lambda: access_representative_building(outsider, building.pk)) == "404"
    assert outcome(lambda: access_representative_building(clerk, rep_estate.estate.pk)) == "404"
    found = access_representative_building(clerk, building.pk, "representative.add")
    with django_assert_num_queries(0):
        assert found.parent == rep_estate.estate


def test_access_representative__stranger_404_clerk_steps(rep_estate, clerk, outsider):
    rep = representative_nominate(actor=clerk, building=rep_estate.buildings[0], person=rep_estate.owner)
    assert outcome(lambda: access_representative(outsider, rep.pk)) == "404"
    assert outcome(lambda: access_representative(clerk, rep.pk, "ballot.inspect")) == "403"
    assert access_representative(clerk, rep.pk, "representative.change") == rep
