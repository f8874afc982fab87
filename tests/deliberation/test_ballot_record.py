"""The published ballot record (stored, record.json, the API's include_record): per ballot only its receipt
code, area and choice, in receipt order, with the register's totals; nothing equal to or derived from the id of a
person, organisation, flat, title, household, user, elector or ballot; and it re-tallies alone to the stored
result and hash (issue 8 item 4)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonground.core.models import Household, Organisation, Ownership, Person, Place, User
from commonground.deliberation.models import Ballot, BallotVersion, Elector, ElectorMember, Vote
from commonground.deliberation.services.votes import tally_record, vote_verify
from commonground.deliberation.tally import record_hash

RECEIPT = re.compile(r"[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{10}")
RECORD_KEYS = {"vote", "estate", "matter", "kind", "seats", "candidates", "electorate", "ballots"}
BALLOT_KEYS = {"receipt", "area", "choice", "candidates"}
ID_MODELS = (Person, Organisation, Place, Ownership, Household, User, Elector, ElectorMember, Ballot, BallotVersion)
CLOSED = ["closed_decision", "closed_election"]


@pytest.fixture(autouse=True)
def _seven_digit_ids(big_ids):
    """Every row of these tests, the register's too, has a 7-digit id."""


def walk(value: Any) -> Iterator[Any]:
    """Every key and every scalar of a JSON value, recursively."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)
    else:
        yield value


def id_leaks(record: dict) -> list[tuple[str, str]]:
    """(token, id) for every key or value of the record that contains the id of a person, organisation, place
    (flat), title, household, user, elector, elector member, ballot or ballot version: "p7100003", "7400002"..."""
    ids = {str(pk) for model in ID_MODELS for pk in model.objects.values_list("pk", flat=True)}
    assert min(len(pk) for pk in ids) == 7  # big_ids: a 7-digit id cannot pass for an area, a count or a code
    return [(str(token), pk) for token in walk(record) for pk in ids if pk in str(token)]


def published_records(vote: Vote, viewer) -> dict[str, dict]:
    """The record as stored, as record.json serves it and as the API's include_record serves it."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(viewer)
    page = client.get(reverse("deliberation:vote-record", args=[vote.pk]))
    api = client.get(f"/api/votes/{vote.pk}/result", {"include_record": "true"})
    assert (page.status_code, api.status_code) == (200, 200)
    return {"stored": Vote.objects.get(pk=vote.pk).result["record"], "record.json": json.loads(page.content),
            "api": api.json()["record"]}


@pytest.mark.parametrize("fixture", CLOSED)
def test_ballot_record__closed_vote__no_value_derived_from_any_id(request, fixture, owner_user):
    vote = request.getfixturevalue(fixture)
    for where, record in published_records(vote, owner_user).items():
        assert id_leaks(record) == [], where


@pytest.mark.parametrize("fixture", CLOSED)
def test_ballot_record__closed_vote__receipts_areas_choices_in_receipt_order(request, fixture, owner_user):
    vote = request.getfixturevalue(fixture)
    record = published_records(vote, owner_user)["record.json"]
    ballots = Ballot.objects.filter(vote=vote).select_related("elector")
    assert set(record) == RECORD_KEYS
    assert record["electorate"] == {"area": 87550, "heads": 7}
    assert all(set(row) == BALLOT_KEYS and RECEIPT.fullmatch(row["receipt"]) for row in record["ballots"])
    assert record["ballots"] == [
        {"receipt": b.receipt_code, "area": int(b.elector.area_m2 * 100), "choice": b.choice,
         "candidates": sorted(b.candidates)} for b in sorted(ballots, key=lambda b: b.receipt_code)]
    assert len(record["ballots"]) == 7


@pytest.mark.parametrize("fixture", CLOSED)
def test_tally_record__published_record_alone__stored_result_and_hash(request, fixture, owner_user):
    vote = request.getfixturevalue(fixture)
    record = published_records(vote, owner_user)["record.json"]
    vote = Vote.objects.get(pk=vote.pk)
    assert record_hash(record) == vote.record_hash
    assert tally_record(record) == {key: value for key, value in vote.result.items() if key != "record"}
    assert vote_verify(vote) == (True, True)


def test_tally_record__receipt_twice__refused(closed_decision):
    record = Vote.objects.get(pk=closed_decision.pk).result["record"]
    record["ballots"].append(dict(record["ballots"][0]))
    with pytest.raises(ValueError, match="receipt code appears twice"):
        tally_record(record)


def test_vote_verify__record_of_another_form__first_check_fails_no_error(closed_decision):
    vote = Vote.objects.get(pk=closed_decision.pk)
    vote.result["record"]["electorate"] = [["p7100001", 87550]]
    Vote.objects.filter(pk=vote.pk).update(result=vote.result)
    assert vote_verify(Vote.objects.get(pk=vote.pk)) == (False, False)
