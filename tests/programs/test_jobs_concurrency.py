"""Interest under a rush (threads, each with its own connection, on PostgreSQL): the same person tapping "I am
interested" on several devices at once gets one interest; many people at once each get theirs."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from commonground.core import clock
from commonground.core.models import RoleKind
from commonground.core.services.people import person_create
from commonground.programs.models import JobInterest
from commonground.programs.services.jobs import interest_express
from tests.conftest import make_id_number
from tests.deliberation.test_ballot_concurrency import race

from .activity_fixtures import TODAY, at
from .jobs_fixtures import make_posting

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises every writer, so there is no race to test"),
]


def test_interest_express__same_person_ten_times_at_once__one_interest(jobs):
    posting = make_posting(jobs.worker, jobs.tree.community)

    def tap(i: int):
        with clock.frozen_at(at(TODAY, 15)):
            return interest_express(actor=jobs.resident, posting=posting)

    results = race(10, tap)
    assert sum(isinstance(r, JobInterest) for r in results) == 1
    assert all("already said" in str(r) for r in results if isinstance(r, ValidationError))
    assert JobInterest.objects.filter(posting=posting).count() == 1


def test_interest_express__twenty_people_at_once__each_recorded(jobs, make_user):
    posting = make_posting(jobs.worker, jobs.tree.community)
    users = [make_user(RoleKind.RESIDENT, jobs.tree.estate,
                       person=person_create(name=f"求职者{n}", id_number=make_id_number(seq=500 + n)))
             for n in range(20)]

    def tap(i: int):
        with clock.frozen_at(at(TODAY, 15)):
            return interest_express(actor=users[i], posting=posting)

    results = race(20, tap)
    assert all(isinstance(r, JobInterest) for r in results), results
    assert JobInterest.objects.filter(posting=posting, withdrawn_at__isnull=True).count() == 20
