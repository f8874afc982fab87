"""The threshold bars of a result (shared with the staff's turnout panel): the owner's result page and the
published result notice draw who took part against the 2/3 quorum and who agreed against the majority."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest
from django.urls import reverse

from commonground.core import clock
from commonground.deliberation.services.ballots import ballot_cast
from commonground.deliberation.services.votes import vote_close
from commonground.deliberation.tally import Share


@pytest.fixture
def client(client):
    """Pages in English, so the assertions read the msgids whatever the catalogue holds."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def page_of(client, user, name: str, *args) -> str:
    client.force_login(user)
    response = client.get(reverse(f"deliberation:{name}", args=args))
    assert response.status_code == 200
    return response.content.decode()


def bar_words(html: str, measure: str) -> tuple[str, str, str]:
    """What a threshold bar says: reached or not, the percentage above it, the amounts below it."""
    row = html[html.index(f'data-measure="{measure}"'):]
    row = row[:row.index("</li>")]
    met = row.split('data-met="', 1)[1].split('"', 1)[0]
    percent = row.split('class="share-bar-percent">', 1)[1].split("<", 1)[0]
    amount = row.split('class="muted">', 1)[1].split("<", 1)[0]
    return met, percent, amount


def test_result__decision__bars_against_the_quorum_and_the_majority(client, closed_decision, owner_user):
    html = page_of(client, owner_user, "vote-result", closed_decision.pk)

    area_agrees = Share(*closed_decision.result["agree"]["area"]).more_than(Fraction(1, 2))
    assert [bar_words(html, m)[0] for m in ("quorum-area", "quorum-heads", "agree-area", "agree-heads")] == [
        "yes", "yes", "yes" if area_agrees else "no", "yes"]
    assert bar_words(html, "quorum-heads")[1:] == ("100.00%", "7 / 7")
    assert bar_words(html, "agree-heads")[1:] == ("71.43%", "5 / 7")
    assert html.count('class="turnout-mark mark-2-3"') == 2  # the quorum
    assert html.count('class="turnout-mark mark-1-2"') == 2  # more than half agreeing (matter 5)
    assert "more than 1/2 reached" in html
    assert 'role="img" aria-label="5 / 7 (71.43%) · more than 1/2 ✓"' in html


def test_result__supermajority_matter__bars_mark_three_quarters(client, open_vote, owner_user, clerk, logins):
    vote = open_vote(matter="7")
    for name in ("zhang", "o0", "o1", "o2", "o3"):
        ballot_cast(vote=vote, actor=logins[name], choice="agree")
    with clock.frozen_at(vote.closes_at + datetime.timedelta(minutes=1)):
        vote = vote_close(actor=clerk, vote=vote)

    html = page_of(client, owner_user, "vote-result", vote.pk)

    assert vote.needs_supermajority
    assert html.count('class="turnout-mark mark-3-4"') == 2
    assert "at least 3/4" in html


def test_result__election__quorum_bars_only(client, closed_election, owner_user):
    html = page_of(client, owner_user, "vote-result", closed_election.pk)

    assert 'data-measure="quorum-area"' in html and 'data-measure="agree-area"' not in html


def test_result_notice__bars_of_the_published_result(client, closed_decision, owner_user):
    notice = closed_decision.notices.get(kind="result")

    html = page_of(client, owner_user, "notice", notice.pk)

    assert 'data-section="result-bars"' in html
    assert bar_words(html, "agree-heads")[1:] == ("71.43%", "5 / 7")


def test_vote_notice__no_bars(client, closed_decision, owner_user):
    notice = closed_decision.notices.get(kind="vote")

    assert 'data-section="result-bars"' not in page_of(client, owner_user, "notice", notice.pk)
