"""Retries racing each other: twenty simultaneous POSTs with one Idempotency-Key make one case, one 201 and
nineteen 200s naming the same case (threads, each with its own database connection)."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from commonground.cases.models import Case, IdempotencyKey

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises every writer, so there is no race to test"),
]

PAYLOAD = {"category": "exposed-rubbish", "description": "小区门口垃圾堆积", "place": "330105001001-E1-B1"}


def test_case_create__twenty_simultaneous_retries__one_case_one_201_nineteen_200(located, categories, people):
    clients = []
    for _ in range(20):
        client = Client()
        client.force_login(people["resident"])
        clients.append(client)
    gate = threading.Barrier(20)
    answers: list[tuple[int, str]] = [(0, "")] * 20

    def post(i: int) -> None:
        try:
            gate.wait(timeout=30)
            response = clients[i].post("/api/cases", json.dumps(PAYLOAD), content_type="application/json",
                                       headers={"Idempotency-Key": "storm-1"})
            answers[i] = (response.status_code, response.json().get("number", ""))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    statuses = sorted(status for status, _number in answers)
    assert statuses == [200] * 19 + [201], answers
    assert len({number for _status, number in answers}) == 1
    assert Case.objects.count() == 1 and IdempotencyKey.objects.get().case.number == answers[0][1]
