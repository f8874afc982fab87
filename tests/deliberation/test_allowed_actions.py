"""The steps the pages offer (`*_allowed_actions`) are exactly those the services accept: a step offered goes
through, a step not offered is refused and changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.utils import timezone

from commonground.core import clock
from commonground.core.models import RoleKind
from commonground.deliberation.models import Vote
from commonground.deliberation.services.meetings import (
    meeting_allowed_actions,
    meeting_cancel,
    resolution_add,
)
from commonground.deliberation.services.representatives import (
    representative_allowed_actions,
    representative_confirm,
    representative_nominate,
    representative_register,
    representative_review,
    representatives_publish_notice,
)
from commonground.deliberation.services.votes import (
    vote_allowed_actions,
    vote_cancel,
    vote_close,
    vote_create,
)

CANDIDATE_STEPS = ["add_candidate", "review_candidate", "withdraw_candidate"]


def draft(register, clerk, **extra) -> Vote:
    now = timezone.now()
    return vote_create(actor=clerk, estate=register.estate, matter=extra.pop("matter", "5"), title="更换电梯",
                       record_date=timezone.localdate(), opens_at=now + datetime.timedelta(days=20),
                       closes_at=now + datetime.timedelta(days=27), **extra)


def test_vote_allowed_actions__draft__edit_announce_cancel(register, clerk, owner_user):
    vote = draft(register, clerk)
    assert vote_allowed_actions(clerk, vote) == ["edit", "announce", "cancel"]
    assert vote_allowed_actions(owner_user, vote) == []


def test_vote_allowed_actions__draft_election__candidate_steps_too(register, clerk):
    vote = draft(register, clerk, kind="election", matter="3", seats=3, term_years=5)
    assert vote_allowed_actions(clerk, vote) == ["edit", "announce", "cancel", *CANDIDATE_STEPS]


def test_vote_allowed_actions__announced_before_opening__cancel_only(open_vote, clerk):
    now = timezone.now()
    vote = open_vote(opens_at=now + datetime.timedelta(days=2), closes_at=now + datetime.timedelta(days=3))
    assert vote_allowed_actions(clerk, vote) == ["cancel"]
    assert vote_cancel(actor=clerk, vote=vote).status == "cancelled"


def test_vote_allowed_actions__voting_open__ballots_only_and_cancel_refused(open_vote, clerk, owner_user):
    vote = open_vote()
    assert vote_allowed_actions(clerk, vote) == ["enter"]
    assert vote_allowed_actions(owner_user, vote) == []
    before = model_to_dict(Vote.objects.get(pk=vote.pk))
    for refused in (vote_cancel, vote_close):
        with pytest.raises(ValidationError):
            refused(actor=clerk, vote=vote)
    assert model_to_dict(Vote.objects.get(pk=vote.pk)) == before


def test_vote_allowed_actions__voting_ended__close_and_late_paper_ballots(open_vote, clerk):
    now = timezone.now()
    vote = open_vote(opens_at=now - datetime.timedelta(days=2), closes_at=now - datetime.timedelta(minutes=1))
    assert vote_allowed_actions(clerk, vote) == ["close", "enter"]
    vote = vote_close(actor=clerk, vote=vote)
    assert vote_allowed_actions(clerk, vote) == ["appeal"]


def test_vote_allowed_actions__closed__inspection_for_the_owners_committee(closed_decision, tree, make_user):
    committee = make_user(RoleKind.OWNERS_COMMITTEE_MEMBER, tree.estate)
    assert vote_allowed_actions(committee, closed_decision) == ["appeal", "inspect"]


def test_representative_allowed_actions__follow_the_steps(rep_estate, clerk, tree, make_user):
    building = rep_estate.buildings[0]
    assert representative_allowed_actions(clerk, building, None) == ["nominate"]
    assert representative_allowed_actions(make_user(RoleKind.GRID_WORKER, tree.community), building, None) == []
    rep = representative_nominate(actor=clerk, building=building, person=rep_estate.owner)
    assert representative_allowed_actions(clerk, building, rep) == ["register", "withdraw"]
    rep = representative_register(actor=clerk, representative=rep)
    assert representative_allowed_actions(clerk, building, rep) == ["review", "withdraw"]
    representative_review(actor=clerk, representative=rep, approve=True)
    notice = representatives_publish_notice(actor=clerk, estate=rep_estate.estate)
    rep.refresh_from_db()
    with clock.frozen_at(timezone.make_aware(datetime.datetime.combine(notice.ends_on, datetime.time(10, 0)))):
        assert representative_allowed_actions(clerk, building, rep) == ["object", "withdraw"]
        with pytest.raises(ValidationError):
            representative_confirm(actor=clerk, representative=rep)
    with clock.frozen_at(timezone.make_aware(datetime.datetime.combine(notice.ends_on, datetime.time(10, 0)))
                         + datetime.timedelta(days=1)):
        assert representative_allowed_actions(clerk, building, rep) == ["confirm", "object", "withdraw"]
        assert representative_confirm(actor=clerk, representative=rep).status == "confirmed"


def test_meeting_allowed_actions__planned_started_cancelled(plan_meeting, meeting_world):
    worker, grid = meeting_world.worker, meeting_world.grid
    meeting = plan_meeting()
    assert meeting_allowed_actions(worker, meeting) == [
        "sign-in", "walk-in", "edit", "agenda", "invite", "cancel", "open-case", "publish"]
    assert meeting_allowed_actions(grid, meeting) == ["sign-in", "walk-in"]
    with pytest.raises(ValidationError):
        resolution_add(actor=worker, meeting=meeting, text="施划停车位")
    started = plan_meeting(in_hours=-1)  # publishing stays open until the meeting day is over
    assert [step for step in meeting_allowed_actions(worker, started) if step != "publish"] == [
        "sign-in", "walk-in", "edit", "agenda", "invite", "cancel", "minutes", "resolution", "open-case"]
    cancelled = meeting_cancel(actor=worker, meeting=plan_meeting())
    assert meeting_allowed_actions(worker, cancelled) == []
