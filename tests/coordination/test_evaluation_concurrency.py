"""One response per household under truly concurrent submissions (threads, each with its own connection): one
wins, the others get the clear one-per-household error, no answer is written twice."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from commonground.coordination.models import Answer, Response
from commonground.coordination.services.evaluation import response_submit
from commonground.core.clock import frozen_at
from tests.deliberation.test_ballot_concurrency import race

from .evaluation_fixtures import OPEN_DAY, answers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises every writer, so there is no race to test"),
]


def test_response_submit__ten_clicks_at_once__one_response(evaluation):
    def submit(_i):
        with frozen_at(OPEN_DAY):
            return response_submit(actor=evaluation.residents[0], round=evaluation.round,
                                   household=evaluation.households[0], answers=answers(4, 4))

    results = race(10, submit)

    assert sum(isinstance(r, Response) for r in results) == 1, [repr(r) for r in results]
    lost = [r for r in results if isinstance(r, ValidationError)]
    assert len(lost) == 9
    assert all("answered this evaluation already" in str(error) for error in lost)
    assert (Response.objects.count(), Answer.objects.count()) == (1, 2)
