"""Ingest throughput of the signals API: `commonground bench cockpit_ingest`.

In a throwaway database beside the configured one: a district, one community, a source with 400 sensors. Batches
of 1,000 readings (400 sensors × consecutive hours) are POSTed through Django's test Client to
/api/signals/readings (JSON) with the source's key — the whole path: key check, parsing, validation, the service,
the roll-ups. Printed: readings per second, median over the batches, for the first send (all added), for an
identical resend (all unchanged, nothing written) and for the same readings as CSV (/api/signals/readings.csv,
unchanged) and for CSV of new hours. No assertion on time.
"""

from __future__ import annotations

import datetime
import json
import os
import statistics
import time

from django.test import Client
from django.utils import timezone

from .harness import throwaway_database

SENSORS = 400
BATCH = 1000
BATCHES = int(os.environ.get("CG_BENCH_BATCHES", "12"))


def _setup():
    from commonground.cockpit.models import Sensor, SignalKind
    from commonground.cockpit.services.signals import source_create
    from commonground.core.models import PlaceKind, User
    from commonground.core.models.places import scope_columns
    from commonground.core.services.places import place_create

    admin = User.objects.create_superuser(username="bench-admin", password=None)
    district = place_create(name="区", kind=PlaceKind.DISTRICT, code="bench-d")
    street = place_create(name="街道", kind=PlaceKind.STREET, code="bench-s", parent=district)
    community = place_create(name="社区", kind=PlaceKind.COMMUNITY, code="bench-c", parent=street)
    source, key = source_create(actor=admin, name="bench", kind=SignalKind.FOOT_TRAFFIC)
    Sensor.objects.bulk_create(
        Sensor(source=source, code=f"B-{n:03d}", name=f"传感器{n}", kind=source.kind, place=community,
               **scope_columns(Sensor, community.path)) for n in range(SENSORS))
    return key


def _batches(start: datetime.datetime) -> list[list[dict]]:
    """BATCHES batches of BATCH readings: sensor after sensor, hour after hour, from `start`."""
    out, n = [], 0
    for _b in range(BATCHES):
        batch = []
        for _i in range(BATCH):
            at = start + datetime.timedelta(hours=n // SENSORS)
            batch.append({"sensor": f"B-{n % SENSORS:03d}", "at": at.isoformat(), "value": (n * 7) % 500})
            n += 1
        out.append(batch)
    return out


def _csv(batch: list[dict]) -> bytes:
    return ("sensor,at,value\n" + "".join(f"{r['sensor']},{r['at']},{r['value']}\n" for r in batch)).encode()


def _rate(client: Client, url: str, bodies: list[bytes], content_type: str, key: str, expect: str) -> float:
    rates = []
    for body in bodies:
        started = time.perf_counter()
        response = client.post(url, body, content_type=content_type, HTTP_X_API_KEY=key)
        rates.append(BATCH / (time.perf_counter() - started))
        answer = response.json()
        if response.status_code != 200 or answer[expect] != BATCH:
            raise SystemExit(f"unexpected answer {response.status_code}: {str(answer)[:300]}")
    return statistics.median(rates)


def run() -> None:
    from django.db import connection

    with throwaway_database():
        key = _setup()
        client = Client()
        now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
        first = _batches(now - datetime.timedelta(days=200))
        fresh = _batches(now - datetime.timedelta(days=100))
        json_bodies = [json.dumps({"readings": batch}).encode() for batch in first]
        url = "/api/signals/readings"
        rows = [
            ("JSON, first send (all added)", _rate(client, url, json_bodies, "application/json", key, "added")),
            ("JSON, identical resend (unchanged)",
             _rate(client, url, json_bodies, "application/json", key, "unchanged")),
            ("CSV, first send (all added)",
             _rate(client, url + ".csv", [_csv(b) for b in fresh], "text/csv", key, "added")),
            ("CSV, identical resend (unchanged)",
             _rate(client, url + ".csv", [_csv(b) for b in first], "text/csv", key, "unchanged")),
        ]
        print(f"\nSignals ingest through the API ({connection.vendor}; {SENSORS} sensors, {BATCHES} batches of "
              f"{BATCH:,} readings; median readings/s over batches; goal ≥ 20,000/s on SQLite)")
        for name, rate in rows:
            print(f"  {name:<40} {rate:12,.0f} readings/s")
