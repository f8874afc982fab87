"""An election's result says who was elected, not only "passed": on the owner's card, the result page and the
result notice (written in the default language)."""

from __future__ import annotations

from commonground.core.models import RoleKind
from commonground.deliberation.models import Notice
from commonground.deliberation.services.ballots import ballot_cast

from .test_owner_pages import client, close, open_election, page_of, translated  # noqa: F401  (fixtures)


def elect_three(vote, register, make_user, tree, owner_user):
    """Five of the seven electors (two thirds of heads and area) all mark the first three candidates."""
    first, second, third = vote.candidates.order_by("position")[:3]
    voters = [owner_user] + [make_user(RoleKind.RESIDENT, tree.estate, person=register.owners[i]) for i in (1, 3, 4, 5)]
    for voter in voters:
        ballot_cast(vote=vote, actor=voter, candidates=[first.pk, second.pk, third.pk])
    return first.person.name, second.person.name, third.person.name


def test_election_result__names_the_elected_on_card_page_and_notice(client, open_election, register, make_user,  # noqa: F811
                                                                    tree, owner_user, clerk):
    vote = open_election()
    first, second, third = elect_three(vote, register, make_user, tree, owner_user)
    vote = close(vote, clerk)
    assert vote.outcome == "passed"
    said = f"Elected: {first}、{second}、{third}"

    card = page_of(client, owner_user, "my-votes").content.decode()
    assert said in card
    result = page_of(client, owner_user, "vote-result", vote.pk).content.decode()
    assert said in result
    notice = Notice.objects.filter(vote=vote).order_by("-pk").first()
    assert f"{first}、{second}、{third}" in notice.body.splitlines()[0]  # the result line names the elected


def test_election_result__nobody_elected__says_so(client, open_election, owner_user, clerk):  # noqa: F811
    vote = open_election()
    ballot_cast(vote=vote, actor=owner_user, candidates=[vote.candidates.order_by("position").first().pk])
    vote = close(vote, clerk)  # no quorum
    assert "Nobody was elected" in page_of(client, owner_user, "my-votes").content.decode()
