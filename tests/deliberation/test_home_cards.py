"""Deliberation's cards on the home: an owner's votes to cast (Vote now), the votes, meetings and notices staff
run, the board and the meetings a resident may see; nothing of another community in any card."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from commonground.core.models import RoleKind
from commonground.deliberation.home import ballot_cards, resident_cards, staff_cards
from commonground.deliberation.models import Notice
from commonground.deliberation.services.ballots import ballot_cast
from commonground.deliberation.services.meetings import meeting_cancel, meeting_publish_notice
from commonground.deliberation.services.notices import notice_publish

from .test_meeting_pages import neighbour_meeting


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def by_key(cards) -> dict:
    return {card.key: card for card in cards}


def test_ballot_cards__open_vote_not_cast__a_card_leading_to_the_ballot(open_vote, owner_user):
    vote = open_vote()
    (card,) = ballot_cards(owner_user)
    assert card.key == f"deliberation.vote-{vote.pk}" and card.label == vote.title and card.tone == "urgent"
    assert (card.action.label, card.action.url) == ("Vote now", reverse("deliberation:vote", args=[vote.pk]))
    assert vote.estate.name in card.detail


def test_ballot_cards__ballot_cast__listed_as_voted_no_vote_now(open_vote, owner_user):
    vote = open_vote()
    ballot_cast(vote=vote, actor=owner_user, choice="agree")
    (card,) = ballot_cards(owner_user)
    assert card.key == "deliberation.my-votes" and card.action is None
    (item,) = card.items
    assert item.url == reverse("deliberation:vote", args=[vote.pk])
    assert item.meta.startswith("You have voted; you may change your ballot until")


def test_ballot_cards__vote_not_open_yet__listed_with_its_opening(open_vote, owner_user):
    opens = timezone.now() + datetime.timedelta(days=2)
    open_vote(opens_at=opens, closes_at=opens + datetime.timedelta(days=3))
    (card,) = ballot_cards(owner_user)
    assert card.action is None and card.items[0].meta.startswith("Voting opens")


def test_ballot_cards__draft_closed_or_not_on_the_register__nothing(open_vote, owner_user, tree, make_user,
                                                                     register):
    open_vote(announce=False)
    assert ballot_cards(owner_user) == []
    open_vote()
    neighbour = make_user(RoleKind.RESIDENT, tree.neighbour_estate, person=tree.neighbour_owner)
    assert ballot_cards(neighbour) == []
    assert ballot_cards(make_user(RoleKind.RESIDENT, tree.estate)) == []  # no person on record


def test_staff_cards__clerk__votes_to_run_by_status(open_vote, clerk, tree, make_user):
    open_vote()
    open_vote(announce=False)
    open_vote(announce=False)
    cards = by_key(staff_cards(clerk))
    assert (cards["deliberation.votes-draft"].count, cards["deliberation.votes-announced"].count) == (2, 1)
    assert cards["deliberation.votes-draft"].url == f"{reverse('deliberation:votes')}?status=draft"
    neighbour = by_key(staff_cards(make_user(RoleKind.COMMUNITY_WORKER, tree.neighbour)))
    assert (neighbour["deliberation.votes-draft"].count, neighbour["deliberation.votes-announced"].count) == (0, 0)


def test_staff_cards__meetings_in_the_next_seven_days__own_community_only(plan_meeting, meeting_world, tree):
    soon = plan_meeting(in_hours=50)
    plan_meeting(in_hours=24 * 9)
    meeting_cancel(actor=meeting_world.worker, meeting=plan_meeting(in_hours=30))
    neighbour_meeting(meeting_world, tree)
    card = by_key(staff_cards(meeting_world.worker))["deliberation.meetings-week"]
    assert card.count == 1
    assert [item.url for item in card.items] == [reverse("deliberation:meeting", args=[soon.pk])]
    other = by_key(staff_cards(meeting_world.neighbour_worker))["deliberation.meetings-week"]
    assert [item.title for item in other.items] == ["龙游议事会"]


def test_staff_cards__notices_to_publish__meetings_without_their_notice(plan_meeting, meeting_world, tree):
    first, second = plan_meeting(in_hours=50), plan_meeting(in_hours=80)
    plan_meeting(in_hours=-30)  # its day has passed: nothing to announce
    neighbour_meeting(meeting_world, tree)
    card = by_key(staff_cards(meeting_world.worker))["deliberation.notices-to-publish"]
    assert card.count == 2 and card.tone == "urgent"
    meeting_publish_notice(actor=meeting_world.worker, meeting=first)
    card = by_key(staff_cards(meeting_world.worker))["deliberation.notices-to-publish"]
    assert [item.url for item in card.items] == [reverse("deliberation:meeting", args=[second.pk])]


def test_staff_cards__grid_worker_and_resident__no_staff_cards(meeting_world):
    assert staff_cards(meeting_world.grid) == []
    assert staff_cards(meeting_world.resident) == []


def test_resident_cards__notices_on_the_board_and_meetings_of_their_estate(plan_meeting, meeting_world, tree, clerk):
    today = timezone.localdate()
    posted = notice_publish(actor=clerk, place=tree.estate, kind="other", title="停水通知", body="周五停水",
                            posted_on=today)
    notice_publish(actor=clerk, place=tree.estate, kind="other", title="旧通知", body="已过期",
                   posted_on=today - datetime.timedelta(days=20), ends_on=today - datetime.timedelta(days=10))
    neighbour_worker = meeting_world.neighbour_worker
    notice_publish(actor=neighbour_worker, place=tree.neighbour_estate, kind="other", title="龙游通知", body="无关",
                   posted_on=today)
    meeting = plan_meeting(place=tree.estate, convener=meeting_world.owners_committee, title="业主恳谈会")
    neighbour_meeting(meeting_world, tree)
    cards = by_key(resident_cards(meeting_world.resident))
    notices = cards["deliberation.notices"]
    assert (notices.count, [item.url for item in notices.items]) == (
        1, [reverse("deliberation:notice", args=[posted.pk])])
    assert [item.title for item in cards["deliberation.meetings"].items] == [meeting.title]
    assert Notice.objects.count() == 3


def test_resident_cards__nothing_posted_or_planned__no_cards(meeting_world):
    assert resident_cards(meeting_world.resident) == []


def test_resident_cards__staff_who_post__not_shown_the_board_card(meeting_world, tree, clerk):
    notice_publish(actor=clerk, place=tree.estate, kind="other", title="停水通知", body="周五停水",
                   posted_on=timezone.localdate())
    assert "deliberation.notices" not in by_key(resident_cards(meeting_world.worker))
    assert "deliberation.notices" in by_key(resident_cards(meeting_world.grid))


def test_home__owner__vote_now_card_on_the_page(open_vote, owner_user, client):
    vote = open_vote()
    client.force_login(owner_user)
    html = client.get("/").content.decode()
    assert f'data-card="deliberation.vote-{vote.pk}"' in html
    assert f'href="{reverse("deliberation:vote", args=[vote.pk])}"' in html
    assert "Vote now" in html


def test_home__owner__queries_do_not_grow_with_votes_notices_meetings(open_vote, owner_user, client, clerk, tree,
                                                                      plan_meeting, meeting_world,
                                                                      django_assert_max_num_queries):
    def add(n: int) -> None:
        for i in range(n):
            open_vote()
            notice_publish(actor=clerk, place=tree.estate, kind="other", title=f"通知{i}", body="内容",
                           posted_on=timezone.localdate())
            plan_meeting(place=tree.estate, convener=meeting_world.owners_committee, in_hours=48 + i)

    client.force_login(owner_user)
    add(4)  # past the three a list card shows, so its count query runs in both
    with CaptureQueriesContext(connection) as few:
        assert client.get("/").status_code == 200
    add(4)
    with django_assert_max_num_queries(len(few)):
        assert client.get("/").status_code == 200
