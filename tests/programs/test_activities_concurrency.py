"""A rush of sign-ups on PostgreSQL: 1,000 people sign up for 300 places from 20 threads at once, each thread with
its own connection. Exactly 300 get a place, the other 700 wait in the order they signed up, nobody is lost, and
the activity's count of places taken is 300."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection

from commonground.core import clock
from commonground.core.models import Person, User
from commonground.programs.models import Activity, Enrolment, EnrolmentStatus
from commonground.programs.services.activities import enrolment_create
from tests.deliberation.test_ballot_concurrency import race

from .activity_fixtures import TODAY, at, make_activity

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises every writer, so there is no race to test"),
]

PEOPLE, THREADS, PLACES = 1000, 20, 300


def test_enrolment_create__1000_sign_ups_from_20_threads__300_confirmed_700_waiting_in_order(programme):
    activity = make_activity(programme.worker, programme.organiser, capacity=PLACES, title="千人抢报")
    # Plain rows for speed: what the sign-up reads of a person and a user is their link.
    people = Person.objects.bulk_create([Person(name=f"居民{n:04d}") for n in range(PEOPLE)])
    password = make_password(None)
    users = User.objects.bulk_create([User(username=f"rush{n:04d}", password=password, person=person)
                                      for n, person in enumerate(people)])
    per_thread = PEOPLE // THREADS

    def sign_up(thread: int) -> list:
        done = []
        with clock.frozen_at(at(TODAY, 13)):
            for user in users[thread * per_thread:(thread + 1) * per_thread]:
                done.append(enrolment_create(actor=User.objects.get(pk=user.pk), activity=activity))
        return done

    results = race(THREADS, sign_up)

    errors = [r for r in results if not isinstance(r, list)]
    assert errors == []
    made = [e for batch in results for e in batch]
    rows = list(Enrolment.objects.filter(activity=activity).order_by("pk").values_list("status", "participant_id"))
    assert len(made) == len(rows) == PEOPLE
    assert len({participant for _status, participant in rows}) == PEOPLE  # none lost, none twice
    statuses = [status for status, _participant in rows]
    # the row lock serialises sign-ups: the first 300 in pk order have the places, the 700 after them wait
    assert statuses == [EnrolmentStatus.CONFIRMED] * PLACES + [EnrolmentStatus.WAITING] * (PEOPLE - PLACES)
    assert Activity.objects.get(pk=activity.pk).confirmed_count == PLACES
