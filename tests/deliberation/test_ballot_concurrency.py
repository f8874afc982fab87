"""One ballot per owner per vote under truly concurrent casts (threads, each with its own connection)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from commonground.core.models import PlaceKind, User
from commonground.core.services.people import ownership_create, person_create
from commonground.core.services.places import place_create
from commonground.deliberation.models import Ballot, BallotVersion, Elector
from commonground.deliberation.services.ballots import ballot_cast

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises every writer, so there is no race to test"),
]


# A cast holds FOR SHARE on the vote row and locks only its own ballot row (select_for_update(of=("self",))
# without the default ordering's join), so casts for different owners never wait on each other, and casts for
# one owner queue on that ballot row instead of deadlocking on the vote row.


def race(count: int, work: Callable[[int], object]) -> list[object]:
    """Run work(0..count-1) in `count` threads released together; each result or the exception raised."""
    gate = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(i: int) -> None:
        try:
            gate.wait(timeout=30)
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 — collected and asserted on below
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_ballot_cast__twenty_threads_same_owner_no_change__exactly_one_ballot(open_vote, owner_user):
    vote = open_vote(allow_change=False)
    results = race(20, lambda i: ballot_cast(vote=vote, actor=owner_user, choice=("agree", "against")[i % 2]))
    stored = [r for r in results if isinstance(r, Ballot)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(stored), len(refused)) == (1, 19), [type(r).__name__ for r in results]
    assert Ballot.objects.filter(vote=vote).count() == 1
    assert BallotVersion.objects.filter(ballot__vote=vote).count() == 1
    assert Ballot.objects.get(vote=vote).choice == stored[0].choice


def test_ballot_cast__twenty_threads_same_owner_change_allowed__versions_contiguous(open_vote, owner_user):
    vote = open_vote(allow_change=True)
    results = race(20, lambda i: ballot_cast(vote=vote, actor=owner_user, choice=("agree", "against", "abstain")[i % 3]))
    stored = [r for r in results if isinstance(r, Ballot)]
    assert all(isinstance(r, Ballot | ValidationError) for r in results), [type(r).__name__ for r in results]
    ballot = Ballot.objects.get(vote=vote)
    versions = list(ballot.versions.values_list("version", "choice"))
    assert [v for v, _c in versions] == list(range(1, len(stored) + 1))
    assert ballot.version == len(stored)
    assert ballot.choice == versions[-1][1]
    assert {b.receipt_code for b in stored} == {ballot.receipt_code}


def test_ballot_cast__forty_threads_forty_owners__forty_ballots(open_vote, register):
    block = place_create(code=f"{register.estate.code}-B40", name="40幢", kind=PlaceKind.BUILDING,
                         parent=register.estate)
    users = []
    for n in range(40):
        flat = place_create(code=f"{block.code}-{n:03d}", name=f"40幢{n}室", kind=PlaceKind.FLAT, parent=block)
        person = person_create(name=f"业主{n}")
        ownership_create(flat=flat, person=person, exclusive_area_m2=Decimal("88.00"))
        users.append(User.objects.create_user(username=f"owner{n}", person=person))
    vote = open_vote(allow_change=False)
    assert vote.electorate_heads == 47
    results = race(40, lambda i: ballot_cast(vote=vote, actor=users[i], choice="agree"))
    assert all(isinstance(r, Ballot) for r in results), [repr(r) for r in results if not isinstance(r, Ballot)]
    assert Ballot.objects.filter(vote=vote).count() == 40
    assert BallotVersion.objects.filter(ballot__vote=vote).count() == 40
    assert Ballot.objects.filter(vote=vote).values("elector").distinct().count() == 40
    assert len({r.receipt_code for r in results}) == 40
    assert set(Ballot.objects.filter(vote=vote).values_list("elector_id", flat=True)) == set(
        Elector.objects.filter(vote=vote, memberships__person__user__in=users).values_list("pk", flat=True))


@pytest.mark.parametrize("other_has_ballot", [False, True], ids=["first_cast", "change"])
def test_ballot_cast__while_another_owners_change_is_uncommitted__does_not_wait(open_vote, register, make_user,
                                                                                other_has_ballot):
    """Casts for different owners never wait for each other: one owner's change, still uncommitted, must not
    hold up another owner's ballot (given 3 s of lock wait, it should take milliseconds)."""
    vote = open_vote(allow_change=True)
    first, second = (User.objects.create_user(username=f"owner{n}", person=register.owners[n]) for n in (3, 4))
    ballot_cast(vote=vote, actor=first, choice="agree")
    if other_has_ballot:
        ballot_cast(vote=vote, actor=second, choice="agree")
    holding, release = threading.Event(), threading.Event()

    def change_and_hold() -> None:
        try:
            with transaction.atomic():
                ballot_cast(vote=vote, actor=first, choice="against")
                holding.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=change_and_hold)
    holder.start()
    try:
        assert holding.wait(timeout=30)
        outcome = race(1, lambda _i: _cast_with_lock_timeout(vote, second))[0]
    finally:
        release.set()
        holder.join(timeout=30)
    assert isinstance(outcome, Ballot), repr(outcome)
    assert Ballot.objects.filter(vote=vote).count() == 2


def _cast_with_lock_timeout(vote, user) -> Ballot:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '3s'")
        return ballot_cast(vote=vote, actor=user, choice="abstain")
