"""Migration 0004: closed votes fixed with the old record (elector keys built from holders' ids, channel and
version per ballot) get the published form, the same result and a recomputed hash; a record altered since it
was fixed keeps its old hash, so the re-check still reports it."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from commonground.core import clock
from commonground.core.models import RoleKind
from commonground.deliberation.models import Ballot, Notice, NoticeKind, Vote
from commonground.deliberation.services.ballots import ballot_cast
from commonground.deliberation.services.votes import ballot_record, tally_record, vote_close, vote_verify
from commonground.deliberation.tally import record_hash, to_cents

migration = importlib.import_module("commonground.deliberation.migrations.0004_ballot_record_by_receipt")


def old_record(vote: Vote) -> dict:
    """The record as vote_close wrote it before 0004 (services/votes.py ballot_record of that time)."""
    electorate = list(vote.electors.order_by("key").values_list("key", "area_m2"))
    ballots = list(
        Ballot.objects.filter(vote=vote).order_by("receipt_code")
        .values_list("receipt_code", "elector__key", "choice", "candidates", "channel", "version"))
    return {
        "vote": vote.pk, "estate": vote.estate.code, "matter": vote.matter, "kind": vote.kind, "seats": vote.seats,
        "candidates": list(vote.candidates.filter(status="approved").order_by("position", "pk")
                           .values_list("pk", flat=True)) if vote.is_election else [],
        "electorate": [[key, to_cents(area)] for key, area in electorate],
        "ballots": [{"receipt": receipt, "elector": key, "choice": choice, "candidates": sorted(candidates or []),
                     "channel": channel, "version": version}
                    for receipt, key, choice, candidates, channel, version in ballots],
    }


@pytest.fixture
def closed(request, open_vote, open_election, register, tree, make_user):
    """closed(kind) -> a vote closed before 0004: co-owners' key joined ("p4+p5"), old record, hash and notice."""

    def factory(kind: str) -> Vote:
        now = timezone.now()
        window = {"opens_at": now - datetime.timedelta(hours=2), "closes_at": now - datetime.timedelta(minutes=1)}
        vote = open_election(**window) if kind == "election" else open_vote(**window)
        co_owners = vote.electors.get(memberships__person=register.owners[1])
        co_owners.key = f"p{register.owners[1].pk}+p{register.owners[2].pk}"
        co_owners.save()
        candidates = list(vote.candidates.values_list("pk", flat=True))
        for n, person in enumerate([tree.owner, *register.owners[:2], *register.owners[3:5]]):
            user = make_user(RoleKind.RESIDENT, tree.estate, person=person)
            marks = {"candidates": candidates[n % 3:n % 3 + 2]} if kind == "election" else \
                {"choice": ["agree", "against", "agree", "abstain", "agree"][n]}
            with clock.frozen_at(now - datetime.timedelta(hours=1)):
                ballot_cast(vote=vote, actor=user, **marks)
        with clock.frozen_at(now):
            vote = vote_close(actor=request.getfixturevalue("clerk"), vote=vote)
        record = old_record(vote)
        new_hash, old_hash = vote.record_hash, record_hash(record)
        Vote.objects.filter(pk=vote.pk).update(result={**vote.result, "record": record}, record_hash=old_hash)
        vote.history.filter(status="closed").update(result={**vote.result, "record": record}, record_hash=old_hash)
        notice = Notice.objects.get(vote=vote, kind=NoticeKind.RESULT)
        notice.body = notice.body.replace(new_hash, old_hash)
        notice.save()
        return Vote.objects.get(pk=vote.pk)

    return factory


def published(vote: Vote) -> dict:
    return {key: value for key, value in vote.result.items() if key != "record"}


@pytest.mark.parametrize("kind", ["decision", "election"])
def test_migration_0004__old_record__published_form_same_result_new_hash(closed, kind):
    before = closed(kind)
    old_hash = before.record_hash
    assert vote_verify(before) == (False, False)  # the re-tally reads only the published form

    migration.forwards(apps, None)

    vote = Vote.objects.get(pk=before.pk)
    assert vote.result["record"] == ballot_record(vote)
    assert "+" not in str(vote.result["record"])  # the joined key of the co-owners is gone
    assert published(vote) == published(before) == tally_record(vote.result["record"])
    assert vote.record_hash == record_hash(vote.result["record"]) != old_hash
    assert vote_verify(vote) == (True, True)
    body = Notice.objects.get(vote=vote, kind=NoticeKind.RESULT).body
    assert vote.record_hash in body and old_hash not in body
    history = [(row.result["record"], row.record_hash) for row in vote.history.filter(status="closed")]
    assert len(history) >= 1
    assert history == [(vote.result["record"], vote.record_hash)] * len(history)


def test_migration_0004__twice__second_run_changes_nothing(closed):
    closed("decision")
    migration.forwards(apps, None)
    after_once = list(Vote.objects.values_list("result", "record_hash"))
    notices = list(Notice.objects.values_list("body", flat=True))
    migration.forwards(apps, None)
    assert list(Vote.objects.values_list("result", "record_hash")) == after_once
    assert list(Notice.objects.values_list("body", flat=True)) == notices


def test_migration_0004__record_altered_after_close__converted_hash_kept_recheck_fails(closed):
    before = closed("decision")
    record = before.result["record"]
    record["ballots"][0]["choice"] = "against" if record["ballots"][0]["choice"] != "against" else "agree"
    Vote.objects.filter(pk=before.pk).update(result={**before.result, "record": record})

    migration.forwards(apps, None)

    vote = Vote.objects.get(pk=before.pk)
    assert vote.result["record"]["electorate"] == {"area": 87550, "heads": 7}
    assert {key for row in vote.result["record"]["ballots"] for key in row} == {"receipt", "area", "choice",
                                                                              "candidates"}
    assert vote.record_hash == before.record_hash
    assert vote_verify(vote)[0] is False
    assert before.record_hash in Notice.objects.get(vote=vote, kind=NoticeKind.RESULT).body
