"""The signals API: sources push readings with their key (JSON and CSV), idempotent, corrections, bad rows by row
and field, the REJECT policy, batch limits; staff read sensors and series, scoped."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import Client

from commonground.cockpit import rules
from commonground.cockpit.models import BadRows, Reading, SensorDay, SignalKind, UnitHour
from commonground.cockpit.services.signals import (
    readings_ingest,
    sensor_create,
    source_create,
    source_rotate_key,
    source_update,
)

from .signals_fixtures import hour

URL = "/api/signals/readings"
AGREE = {"sensorday": 0, "unithour": 0, "unitday": 0}


def push(key, readings, client=None):
    client = client or Client()
    return client.post(URL, json.dumps({"readings": readings}), content_type="application/json",
                       HTTP_X_API_KEY=key)


def push_csv(key, text):
    return Client().post(URL + ".csv", text.encode(), content_type="text/csv", HTTP_X_API_KEY=key)


def r(code, at, value):
    return {"sensor": code, "at": at.isoformat(), "value": value}


def test_push__no_key_or_wrong_key__401_and_nothing_stored(signals):
    assert push("", [r("G-1", hour(5, 8), 1)]).status_code == 401
    response = push("wrong", [r("G-1", hour(5, 8), 1)])
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}
    assert not Reading.objects.exists()


def test_push__inactive_source__401(signals):
    source_update(actor=signals.admin, source=signals.source, is_active=False)
    assert push(signals.key, [r("G-1", hour(5, 8), 1)]).status_code == 401
    assert not Reading.objects.exists()


def test_push__rotated_key__old_key_401_new_key_works(signals):
    new = source_rotate_key(actor=signals.admin, source=signals.source)
    assert push(signals.key, [r("G-1", hour(5, 8), 1)]).status_code == 401
    assert push(new, [r("G-1", hour(5, 8), 1)]).status_code == 200


def test_push__many_wrong_keys__throttled_429(signals, settings):
    statuses = [push(f"wrong-{n}", []).status_code for n in range(settings.AXES_FAILURE_LIMIT + 1)]
    assert statuses[-1] == 429
    assert push(signals.key, [r("G-1", hour(5, 8), 1)]).status_code == 429


def test_push__json_batch__stored_and_answered(signals):
    response = push(signals.key, [r("G-1", hour(5, 8), 120), r("S-1", hour(5, 8), "40.5"), r("F-1", hour(5, 9), 7)])
    assert response.status_code == 200
    assert response.json() == {"received": 3, "added": 3, "unchanged": 0, "corrected": 0, "skipped": 0,
                               "errors": []}
    assert Reading.objects.get(sensor=signals.square).value == Decimal("40.50")


def test_push__same_batch_again__unchanged_and_nothing_written(signals, nothing_written):
    batch = [r("G-1", hour(5, 8), 120), r("S-1", hour(5, 8), 30)]
    push(signals.key, batch)
    with nothing_written():
        response = push(signals.key, batch)
    assert response.json()["unchanged"] == 2
    assert (response.json()["added"], response.json()["corrected"]) == (0, 0)


def test_push__other_value_for_an_hour__corrected_and_rollups_moved(signals):
    push(signals.key, [r("G-1", hour(5, 8), 120), r("G-1", hour(5, 9), 10)])
    response = push(signals.key, [r("G-1", hour(5, 8), 100)])
    assert response.json()["corrected"] == 1
    day = SensorDay.objects.get(sensor=signals.gate, day=datetime.date(2024, 5, 5))
    assert (day.total, day.readings) == (Decimal("110.00"), 2)


def test_push__bad_rows__skipped_and_reported_by_row_and_field(signals):
    response = push(signals.key, [r("G-1", hour(5, 8), 1), r("X-9", hour(5, 8), 1),
                                  {"sensor": "G-1", "at": "yesterday", "value": 1}, r("G-1", hour(5, 9), "many"),
                                  r("G-1", hour(5, 10), -3)])
    body = response.json()
    assert response.status_code == 200
    assert (body["added"], body["skipped"]) == (1, 4)
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(2, "sensor"), (3, "at"), (4, "value"), (5, "value")]


def test_push__reject_policy_and_a_bad_row__400_with_rows_and_nothing_written(signals, nothing_written):
    source_update(actor=signals.admin, source=signals.source, bad_rows=BadRows.REJECT)
    with nothing_written():
        response = push(signals.key, [r("G-1", hour(5, 8), 1), r("G-1", hour(5, 9), "x")])
    assert response.status_code == 400
    assert response.json()["errors"] == [{"row": 2, "field": "value", "message": "The value is not a number."}]


def test_push__batch_too_large__422_and_nothing_written(signals, nothing_written):
    with nothing_written():
        response = push(signals.key, [r("G-1", hour(5, 8), 1)] * (rules.MAX_BATCH + 1))
    assert response.status_code == 422


def test_push__not_json__400(signals):
    response = Client().post(URL, b"{", content_type="application/json", HTTP_X_API_KEY=signals.key)
    assert response.status_code == 400


def test_push_csv__english_and_chinese_headers__stored(signals):
    response = push_csv(signals.key, f"sensor,at,value\nG-1,{hour(5, 8).isoformat()},12\n"
                                     f"S-1,{hour(5, 8).isoformat()},3.5\n")
    assert response.json()["added"] == 2
    response = push_csv(signals.key, "时间,传感器,读数\n2024-05-05 09:00,G-1,8\n2024-05-05 09:00,G-1,9\n")
    body = response.json()
    assert (body["added"], body["errors"]) == (1, [{"row": 3, "field": "at",
                                                    "message": "Row 2 gives this sensor's hour another value."}])
    assert Reading.objects.get(sensor=signals.gate, hour=hour(5, 9)).value == Decimal("8.00")


def test_push_csv__missing_column__422(signals, nothing_written):
    with nothing_written():
        response = push_csv(signals.key, "sensor,value\nG-1,3\n")
    assert response.status_code == 422
    assert "at" in response.json()["detail"]


def test_push_csv__wrong_key__401(signals):
    assert push_csv("nope", "sensor,at,value\n").status_code == 401


@pytest.fixture
def filled(signals):
    rows, n = [], 0
    for day in (3, 4, 5):
        for h in range(0, 24, 3):
            for code, value in (("G-1", 10 + h), ("S-1", h), ("F-1", 5)):
                n += 1
                rows.append((n, code, hour(day, h), value))
    readings_ingest(source=signals.source, rows=rows)
    return signals


def test_sensor_list__street_staff__own_street_only(filled, client):
    client.force_login(filled.staff)
    body = client.get("/api/signals/sensors").json()
    assert (body["count"], [item["code"] for item in body["items"]]) == (2, ["S-1", "G-1"])
    client.force_login(filled.far_staff)
    assert [item["code"] for item in client.get("/api/signals/sensors").json()["items"]] == ["F-1"]


def test_sensor_list__query_count__same_for_1_and_n(filled, client, django_assert_max_num_queries):
    client.force_login(filled.admin)
    with django_assert_max_num_queries(8) as one:
        client.get("/api/signals/sensors?page_size=1")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/api/signals/sensors?page_size=50")


def test_sensor_hours__equal_raw_readings(filled, client):
    client.force_login(filled.staff)
    body = client.get(f"/api/signals/sensors/{filled.gate.pk}/hours?start=2024-05-04&end=2024-05-04").json()
    raw = Reading.objects.filter(sensor=filled.gate, hour__gte=hour(4, 0), hour__lt=hour(5, 0))
    assert [Decimal(p["value"]) for p in body["points"]] == [reading.value for reading in raw.order_by("hour")]
    assert len(body["points"]) == 8


def test_sensor_days__equal_sums_of_readings(filled, client):
    client.force_login(filled.worker)
    body = client.get(f"/api/signals/sensors/{filled.gate.pk}/days?start=2024-05-01&end=2024-05-06").json()
    sums = [Reading.objects.filter(sensor=filled.gate, hour__gte=hour(d, 0), hour__lt=hour(d + 1, 0))
            .aggregate(s=Sum("value"))["s"] for d in (3, 4, 5)]
    assert [Decimal(p["value"]) for p in body["points"]] == sums


def test_sensor_series__other_street__404(filled, client):
    client.force_login(filled.far_staff)
    assert client.get(f"/api/signals/sensors/{filled.gate.pk}/hours").status_code == 404
    assert client.get(f"/api/signals/sensors/{filled.gate.pk}/days").status_code == 404


def test_sensor_hours__range_over_31_days__400(filled, client):
    client.force_login(filled.staff)
    response = client.get(f"/api/signals/sensors/{filled.gate.pk}/hours?start=2024-03-01&end=2024-05-01")
    assert response.status_code == 400


def test_place_series__street__sums_of_its_sensors(filled, client):
    client.force_login(filled.staff)
    url = f"/api/signals/series/days?place={filled.tree.street.code}&kind=foot_traffic&start=2024-05-01"
    body = client.get(url + "&end=2024-05-06").json()
    expected = [Reading.objects.filter(sensor__in=[filled.gate, filled.square], hour__gte=hour(d, 0),
                                       hour__lt=hour(d + 1, 0)).aggregate(s=Sum("value"))["s"] for d in (3, 4, 5)]
    assert [Decimal(p["value"]) for p in body["points"]] == expected
    client.force_login(filled.admin)
    hours = client.get(f"/api/signals/series/hours?place={filled.tree.district.code}&kind=foot_traffic"
                       "&start=2024-05-05&end=2024-05-05").json()
    assert Decimal(hours["points"][0]["value"]) == Decimal(10 + 0 + 5)
    assert len(hours["points"]) == 8


def test_place_series__averaged_kind__mean(signals, client):
    source, key = source_create(actor=signals.admin, name="交通", kind=SignalKind.TRAFFIC)
    for code in ("T-1", "T-2"):
        sensor_create(actor=signals.staff, source=source, code=code, name=code, place=signals.tree.community)
    readings_ingest(source=source, rows=[(1, "T-1", hour(5, 8), 2), (2, "T-2", hour(5, 8), 3)])
    client.force_login(signals.staff)
    body = client.get(f"/api/signals/series/hours?place={signals.tree.community.code}&kind=traffic"
                      "&start=2024-05-05&end=2024-05-05").json()
    assert (body["averaged"], body["points"][0]["value"]) == (True, "2.50")
    assert UnitHour.objects.get(kind="traffic").total == Decimal("5.00")


def test_place_series__other_street__404(filled, client):
    client.force_login(filled.far_staff)
    response = client.get(f"/api/signals/series/days?place={filled.tree.street.code}&kind=foot_traffic")
    assert response.status_code == 404


def test_staff_endpoints__anonymous__401(filled):
    assert Client().get("/api/signals/sensors").status_code == 401


@pytest.mark.parametrize("url", [
    "/api/signals/sensors/99999999999999999999/hours", "/api/signals/sensors/0/days",
    "/api/signals/sensors/1/hours?start=1800-01-01", "/api/signals/series/days?place=x&kind=nope",
    "/api/signals/series/hours?place=%00&kind=traffic", "/api/signals/sensors?page=0",
])
def test_staff_endpoints__out_of_range_parameters__422(signals, client, url):
    client.force_login(signals.admin)
    assert client.get(url).status_code == 422


def test_push__odd_values__bad_rows_not_500(signals):
    body = '{"readings": [{"sensor": "G-1", "at": "2024-05-05T08:00:00+08:00", "value": 1e999},' \
           '{"sensor": "G-1", "at": "9999-99-99", "value": "NaN"}, {"sensor": "", "at": "", "value": ""}]}'
    response = Client().post(URL, body, content_type="application/json", HTTP_X_API_KEY=signals.key)
    assert response.status_code == 200
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [(1, "value"), (2, "at"), (3, "sensor")]
    assert push_csv(signals.key, "").status_code == 422
    assert push_csv(signals.key, "sensor,at,value\n" + "G-1,x,1\n" * (rules.MAX_BATCH + 1)).status_code == 422
