"""Owners' pages: my votes, the vote page and its ballot, the published result and the ballot record."""

from __future__ import annotations

import datetime
import hashlib
import json

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from commonground.core import clock
from commonground.core.models import RoleKind
from commonground.deliberation.models import Ballot, BallotVersion, Choice, Vote, VoteKind, VoteStatus
from commonground.deliberation.services.ballots import ballot_cast
from commonground.deliberation.services.elections import (
    candidate_register,
    candidate_review,
    preparatory_member_add,
)
from commonground.deliberation.services.votes import vote_announce, vote_close, vote_create, vote_note_appeal
from commonground.deliberation.tally import record_hash

ALL_CONDITIONS = {"is_owner": True, "law_abiding": True, "no_arrears": True, "capable": True, "no_conflict": True,
                  "no_record": True}


@pytest.fixture
def client(client):
    """Pages in English, so the assertions read the msgids whatever the catalogue holds."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def translated(message: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message)


def close(vote: Vote, clerk) -> Vote:
    with clock.frozen_at(vote.closes_at + datetime.timedelta(minutes=1)):
        return vote_close(actor=clerk, vote=vote)


def page_of(client, user, name: str, *args, **query):
    client.force_login(user)
    return client.get(reverse(f"deliberation:{name}", args=args), query)


@pytest.fixture
def stranger(make_user, tree):
    """An owner with a login in the neighbouring estate: not on this register, no role here."""
    return make_user(RoleKind.RESIDENT, tree.neighbour_estate, person=tree.neighbour_owner)


@pytest.fixture
def far_staff(make_user, tree):
    return make_user(RoleKind.STREET_STAFF, tree.other_street)


@pytest.fixture
def open_election(register, clerk):
    """A 3-seat election (small estate) with four qualified candidates, open now."""

    def factory() -> Vote:
        now = timezone.now()
        opens_at, closes_at = now - datetime.timedelta(hours=1), now + datetime.timedelta(days=1)
        back_then = opens_at - datetime.timedelta(days=16)
        with clock.frozen_at(back_then - datetime.timedelta(days=1)):
            vote = vote_create(actor=clerk, estate=register.estate, kind=VoteKind.ELECTION, matter="3", title="选举业委会",
                               record_date=timezone.localtime(back_then).date(), opens_at=opens_at, closes_at=closes_at,
                               seats=3, term_years=3)
        preparatory_member_add(actor=clerk, vote=vote, name="街道 王主任", role="leader")
        preparatory_member_add(actor=clerk, vote=vote, name="业主 甲", role="owner")
        preparatory_member_add(actor=clerk, vote=vote, name="业主 乙", role="owner")
        for i, person in enumerate([register.owners[0], *register.owners[3:6]]):
            candidate = candidate_register(actor=clerk, vote=vote, person=person, statement=f"第{i + 1}号候选人的陈述")
            candidate_review(actor=clerk, candidate=candidate, conditions=ALL_CONDITIONS)
        with clock.frozen_at(back_then):
            return vote_announce(actor=clerk, vote=vote)

    return factory


# --- my votes ---------------------------------------------------------------------------------------------


def test_my_votes__elector__open_vote_listed_not_voted(client, open_vote, owner_user):
    vote = open_vote()
    response = page_of(client, owner_user, "my-votes")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-vote="{vote.pk}" data-phase="open"' in html
    assert 'data-voted="no"' in html
    assert reverse("deliberation:vote", args=[vote.pk]) in html


def test_my_votes__after_cast__receipt_shown(client, open_vote, owner_user):
    vote = open_vote()
    ballot = ballot_cast(vote=vote, actor=owner_user, choice="agree")
    html = page_of(client, owner_user, "my-votes").content.decode()
    assert 'data-voted="yes"' in html
    assert ballot.receipt_code in html


def test_my_votes__groups__open_upcoming_closed_with_outcome(client, open_vote, owner_user, clerk):
    now = timezone.now()
    opened = open_vote()
    upcoming = open_vote(opens_at=now + datetime.timedelta(days=2), closes_at=now + datetime.timedelta(days=3))
    closed = close(open_vote(), clerk)
    html = page_of(client, owner_user, "my-votes").content.decode()
    assert f'data-vote="{opened.pk}" data-phase="open"' in html
    assert f'data-vote="{upcoming.pk}" data-phase="upcoming"' in html
    assert f'data-vote="{closed.pk}" data-phase="closed"' in html
    assert html.index('data-group="open"') < html.index('data-group="upcoming"') < html.index('data-group="closed"')
    assert 'class="owner-outcome-no_quorum"' in html
    assert reverse("deliberation:vote-result", args=[closed.pk]) in html


def test_my_votes__not_on_any_register__explains_empty(client, make_user, tree, open_vote):
    open_vote()
    user = make_user(RoleKind.RESIDENT, tree.neighbour_estate, person=tree.neighbour_owner)
    response = page_of(client, user, "my-votes")
    assert response.status_code == 200
    assert 'data-state="none"' in response.content.decode()


def test_my_votes__no_person_record__friendly_page(client, clerk, open_vote):
    open_vote()
    response = page_of(client, clerk, "my-votes")
    assert response.status_code == 200
    assert 'data-state="no-person"' in response.content.decode()


def test_my_votes__anonymous__redirected_to_login(client):
    response = client.get(reverse("deliberation:my-votes"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_my_votes__queries__same_for_3_and_10_votes(client, open_vote, owner_user):
    client.force_login(owner_user)
    url = reverse("deliberation:my-votes")
    for _ in range(3):
        ballot_cast(vote=open_vote(), actor=owner_user, choice="agree")
    client.get(url)  # warm the cached `today`
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).content.decode().count('class="panel vote-card"') == 3
    for _ in range(7):
        ballot_cast(vote=open_vote(), actor=owner_user, choice="against")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).content.decode().count('class="panel vote-card"') == 10
    assert len(many) == len(few)


# --- the vote page ----------------------------------------------------------------------------------------


def test_vote_page__elector__matter_threshold_and_ballot_form(client, open_vote, owner_user):
    vote = open_vote()
    response = page_of(client, owner_user, "vote", vote.pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-threshold="more_than_half"' in html
    assert "more than half of the participating area AND more than half of the participating owners" in html
    assert 'class="owner-ballot-form"' in html
    assert html.count('name="choice"') == 3
    assert 'data-field="heads">7<' in html
    assert 'data-field="area">875.50 m²<' in html


def test_vote_page__supermajority_matter__three_quarters_stated(client, open_vote, owner_user):
    vote = open_vote(matter="6")
    html = page_of(client, owner_user, "vote", vote.pk).content.decode()
    assert 'data-threshold="three_quarters"' in html
    assert "at least 3/4 of the participating area AND at least 3/4 of the participating owners" in html


def test_vote_page__lists_its_notice_with_pdf(client, open_vote, owner_user):
    vote = open_vote()
    notice = vote.notices.get()
    html = page_of(client, owner_user, "vote", vote.pk).content.decode()
    assert reverse("deliberation:notice", args=[notice.pk]) in html
    assert reverse("deliberation:notice-pdf", args=[notice.pk]) in html


def test_vote_page__owner_of_another_estate__404(client, open_vote, stranger):
    vote = open_vote()
    assert page_of(client, stranger, "vote", vote.pk).status_code == 404


def test_vote_page__anonymous__redirected_to_login(client, open_vote):
    vote = open_vote()
    response = client.get(reverse("deliberation:vote", args=[vote.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_vote_page__staff_in_scope__200_manage_link_no_ballot(client, open_vote, clerk, owner_user):
    vote = open_vote()
    manage = reverse("deliberation:vote-manage", args=[vote.pk])
    response = page_of(client, clerk, "vote", vote.pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="owner-ballot-form"' not in html
    assert f'href="{manage}"' in html
    assert f'href="{manage}"' not in page_of(client, owner_user, "vote", vote.pk).content.decode()


def test_vote_page__staff_out_of_scope__404(client, open_vote, far_staff):
    vote = open_vote()
    assert page_of(client, far_staff, "vote", vote.pk).status_code == 404


def test_vote_page__draft__404_for_resident_200_for_manager(client, open_vote, owner_user, clerk):
    vote = open_vote(announce=False)
    assert page_of(client, owner_user, "vote", vote.pk).status_code == 404
    assert page_of(client, clerk, "vote", vote.pk).status_code == 200


def test_vote_page__missing_vote__404(client, owner_user):
    assert page_of(client, owner_user, "vote", 999999).status_code == 404


# --- casting through the page -----------------------------------------------------------------------------


def test_vote_cast__through_page__one_ballot_receipt_shown(client, open_vote, owner_user):
    vote = open_vote()
    client.force_login(owner_user)
    url = reverse("deliberation:vote", args=[vote.pk])
    response = client.post(url, {"choice": "agree"})
    assert response.status_code == 302
    assert response["Location"] == url + "#receipt"
    ballot = Ballot.objects.get()
    assert (ballot.vote_id, ballot.choice, ballot.version, ballot.cast_by_id) == (vote.pk, "agree", 1, owner_user.pk)
    html = client.get(url).content.decode()
    assert f'class="receipt-code" data-receipt="{ballot.receipt_code}"' in html
    assert 'data-field="choice"><strong>agree</strong>' in html
    assert "Your ballot was recorded. Keep your receipt code." in html
    assert "change-ballot" in html  # allow_change: the change form is offered


def test_vote_cast__second_when_change_not_allowed__refused_nothing_changed(client, open_vote, owner_user):
    vote = open_vote(allow_change=False)
    client.force_login(owner_user)
    url = reverse("deliberation:vote", args=[vote.pk])
    client.post(url, {"choice": "agree"})
    first = Ballot.objects.get()
    html = client.get(url).content.decode()
    assert 'data-state="no-change"' in html
    assert 'class="owner-ballot-form"' not in html
    response = client.post(url, {"choice": "against"})
    assert response.status_code == 400
    assert "this vote&#x27;s rules do not allow changing it" in response.content.decode()
    again = Ballot.objects.get()
    assert (again.choice, again.version, again.receipt_code) == ("agree", 1, first.receipt_code)
    assert BallotVersion.objects.count() == 1


def test_vote_cast__change_allowed__second_version_same_receipt(client, open_vote, owner_user):
    vote = open_vote()
    client.force_login(owner_user)
    url = reverse("deliberation:vote", args=[vote.pk])
    client.post(url, {"choice": "agree"})
    receipt = Ballot.objects.get().receipt_code
    assert '<input type="radio" name="choice" value="agree" id="id_choice_0" required checked>' in \
        client.get(url).content.decode()  # the change form starts from the current choice
    assert client.post(url, {"choice": "abstain"}).status_code == 302
    ballot = Ballot.objects.get()
    assert (ballot.choice, ballot.version, ballot.receipt_code) == ("abstain", 2, receipt)
    assert list(BallotVersion.objects.order_by("version").values_list("choice", flat=True)) == ["agree", "abstain"]
    assert 'data-field="version">2<' in client.get(url).content.decode()


def test_vote_cast__no_choice__400_nothing_stored(client, open_vote, owner_user):
    vote = open_vote()
    client.force_login(owner_user)
    response = client.post(reverse("deliberation:vote", args=[vote.pk]), {"choice": "maybe"})
    assert response.status_code == 400
    assert Ballot.objects.count() == 0


def test_vote_cast__staff_not_on_register__403_nothing_stored(client, open_vote, clerk):
    vote = open_vote()
    client.force_login(clerk)
    response = client.post(reverse("deliberation:vote", args=[vote.pk]), {"choice": "agree"})
    assert response.status_code == 403
    assert Ballot.objects.count() == 0


def test_vote_cast__stranger__404_nothing_stored(client, open_vote, stranger):
    vote = open_vote()
    client.force_login(stranger)
    assert client.post(reverse("deliberation:vote", args=[vote.pk]), {"choice": "agree"}).status_code == 404
    assert Ballot.objects.count() == 0


def test_vote_cast__after_close_time__refused_nothing_stored(client, open_vote, owner_user):
    now = timezone.now()
    vote = open_vote(opens_at=now - datetime.timedelta(days=2), closes_at=now - datetime.timedelta(minutes=5))
    client.force_login(owner_user)
    url = reverse("deliberation:vote", args=[vote.pk])
    assert 'class="owner-ballot-form"' not in client.get(url).content.decode()
    response = client.post(url, {"choice": "agree"})
    assert response.status_code == 400
    assert "Voting has closed." in response.content.decode()
    assert Ballot.objects.count() == 0


def test_vote_cast__default_language__refusal_translated(open_vote, owner_user):
    vote = open_vote(allow_change=False)
    ballot_cast(vote=vote, actor=owner_user, choice="agree")
    client = Client()
    client.force_login(owner_user)
    response = client.post(reverse("deliberation:vote", args=[vote.pk]), {"choice": "against"})
    assert response.status_code == 400
    html = response.content.decode()
    assert translated("Your ballot was not recorded.") in html
    assert escape(translated("A ballot has already been cast for this owner; this vote's rules do not allow "
                             "changing it.")) in html


def test_election_page__candidates_with_statements_mark_at_most(client, open_election, owner_user):
    vote = open_election()
    html = page_of(client, owner_user, "vote", vote.pk).content.decode()
    assert html.count('name="candidates"') == 4
    assert "第2号候选人的陈述" in html
    assert "Mark at most 3 candidates" in html


def test_election_cast__two_marks__stored_sorted(client, open_election, owner_user):
    vote = open_election()
    first, second = vote.candidates.order_by("position")[:2]
    client.force_login(owner_user)
    response = client.post(reverse("deliberation:vote", args=[vote.pk]), {"candidates": [second.pk, first.pk]})
    assert response.status_code == 302
    assert Ballot.objects.get().candidates == sorted([first.pk, second.pk])


def test_election_cast__four_marks__refused_nothing_stored(client, open_election, owner_user):
    vote = open_election()
    client.force_login(owner_user)
    marks = list(vote.candidates.values_list("pk", flat=True))
    response = client.post(reverse("deliberation:vote", args=[vote.pk]), {"candidates": marks})
    assert response.status_code == 400
    assert "Mark at most 3 candidates." in response.content.decode()
    assert Ballot.objects.count() == 0


# --- the result -------------------------------------------------------------------------------------------


def test_result__before_close__404(client, open_vote, owner_user):
    vote = open_vote()
    assert page_of(client, owner_user, "vote-result", vote.pk).status_code == 404
    assert page_of(client, owner_user, "vote-record", vote.pk).status_code == 404


def test_result__closed__shares_as_fractions(client, open_vote, owner_user, clerk):
    vote = open_vote()
    ballot_cast(vote=vote, actor=owner_user, choice="agree")
    vote = close(vote, clerk)
    response = page_of(client, owner_user, "vote-result", vote.pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-outcome="no_quorum"' in html
    from .test_result_bars import bar_words

    assert bar_words(html, "quorum-area") == ("no", "22.84%", "200.00 m² / 875.50 m²")
    assert bar_words(html, "quorum-heads") == ("no", "14.29%", "1 / 7")
    assert 'data-quorum="not-met"' in html
    assert "200.00 m² / 200.00 m² (100.00%)" in html
    assert f'data-hash="{vote.record_hash}"' in html
    assert reverse("deliberation:vote-record", args=[vote.pk]) in html


def test_result__receipt_search__found_and_not_found(client, open_vote, owner_user, clerk):
    vote = open_vote()
    ballot = ballot_cast(vote=vote, actor=owner_user, choice="against")
    vote = close(vote, clerk)
    typed = f" {ballot.receipt_code[:5].lower()}-{ballot.receipt_code[5:]} "
    html = page_of(client, owner_user, "vote-result", vote.pk, receipt=typed).content.decode()
    assert 'data-found="yes"' in html
    assert f"Ballot {ballot.receipt_code} was counted: <strong>against</strong>" in html
    html = page_of(client, owner_user, "vote-result", vote.pk, receipt="ZZZZZZZZZZ").content.decode()
    assert 'data-found="no"' in html


def test_result__receipts_table__paginated_no_names(client, open_vote, register, clerk, make_user, tree,
                                                    monkeypatch):
    vote = open_vote()
    voters = [make_user(RoleKind.RESIDENT, tree.estate, person=p) for p in register.owners[3:6]]
    receipts = sorted(ballot_cast(vote=vote, actor=u, choice="agree").receipt_code for u in voters)
    vote = close(vote, clerk)
    monkeypatch.setattr("commonground.deliberation.views.votes_owner.RECEIPTS_PER_PAGE", 2)
    first = page_of(client, clerk, "vote-result", vote.pk).content.decode()
    second = page_of(client, clerk, "vote-result", vote.pk, page=2).content.decode()
    assert [code in first for code in receipts] == [True, True, False]
    assert [code in second for code in receipts] == [False, False, True]
    assert "All 3 counted ballots" in first
    assert "赵四" not in first and "钱五" not in first


def test_result__election__candidates_ranked_unfilled(client, open_election, owner_user, clerk):
    vote = open_election()
    first = vote.candidates.order_by("position").first()
    ballot_cast(vote=vote, actor=owner_user, candidates=[first.pk])
    vote = close(vote, clerk)
    html = page_of(client, owner_user, "vote-result", vote.pk).content.decode()
    assert html.count('<tr data-candidate="') == 4
    assert 'data-unfilled="3"' in html  # no quorum: nobody elected


def test_result__appeal_note_shown(client, open_vote, owner_user, clerk):
    vote = close(open_vote(), clerk)
    vote_note_appeal(actor=clerk, vote=vote, note="业主王二于2025年起诉至拱墅区人民法院")
    html = page_of(client, owner_user, "vote-result", vote.pk).content.decode()
    assert 'data-section="appeal"' in html
    assert "业主王二于2025年起诉至拱墅区人民法院" in html


@pytest.mark.parametrize("name", ["vote-result", "vote-record"])
def test_result__stranger_and_far_staff__404(client, open_vote, clerk, stranger, far_staff, name):
    vote = close(open_vote(), clerk)
    assert page_of(client, stranger, name, vote.pk).status_code == 404
    assert page_of(client, far_staff, name, vote.pk).status_code == 404
    assert page_of(client, clerk, name, vote.pk).status_code == 200


def test_result__anonymous__redirected_to_login(client, open_vote, clerk):
    vote = close(open_vote(), clerk)
    response = client.get(reverse("deliberation:vote-result", args=[vote.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_record__json_attachment_hashes_to_record_hash(client, open_vote, owner_user, clerk):
    vote = open_vote()
    ballot = ballot_cast(vote=vote, actor=owner_user, choice=Choice.AGREE)
    vote = close(vote, clerk)
    response = page_of(client, owner_user, "vote-record", vote.pk)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="vote-{vote.pk}-record.json"'
    assert hashlib.sha256(response.content).hexdigest() == vote.record_hash
    record = json.loads(response.content)
    assert record_hash(record) == vote.record_hash
    assert [b["receipt"] for b in record["ballots"]] == [ballot.receipt_code]
    assert Vote.objects.get(pk=vote.pk).status == VoteStatus.CLOSED


def test_vote_page__cancelled__404_for_owner(client, open_vote, owner_user, clerk):
    from commonground.deliberation.services.votes import vote_cancel

    now = timezone.now()
    vote = open_vote(opens_at=now + datetime.timedelta(days=2), closes_at=now + datetime.timedelta(days=3))
    vote_cancel(actor=clerk, vote=vote)
    assert page_of(client, owner_user, "vote", vote.pk).status_code == 404
    assert page_of(client, clerk, "vote", vote.pk).status_code == 200
