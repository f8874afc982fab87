"""The signals pages: sensors (scoped list, filters, export, query counts), a sensor's page, the sensor form,
sources (district only; the key shown once)."""

from __future__ import annotations

import csv
import io

import pytest

from commonground.cockpit.models import BadRows, Sensor, SignalSource
from commonground.cockpit.services.signals import key_digest, readings_ingest, sensor_create

from .signals_fixtures import hour


def test_sensors__street_staff__own_street_only(signals, client):
    client.force_login(signals.staff)
    page = client.get("/cockpit/sensors/").content.decode()
    assert "小区大门" in page and "社区广场" in page
    assert "武林路口" not in page


def test_sensors__filter_by_kind_and_place(signals, client):
    client.force_login(signals.admin)
    page = client.get(f"/cockpit/sensors/?place={signals.tree.other_street.code}").content.decode()
    assert "武林路口" in page and "小区大门" not in page
    assert "武林路口" not in client.get("/cockpit/sensors/?kind=traffic").content.decode()


def test_sensors_export__csv__the_sensors_of_the_scope(signals, client):
    client.force_login(signals.far_staff)
    response = client.get("/cockpit/sensors/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["F-1"]
    assert client.get("/cockpit/sensors/export.xlsx").status_code == 200
    assert client.get("/cockpit/sensors/export.pdf").status_code == 404


def test_sensors__query_count__same_for_1_and_n(signals, client, django_assert_max_num_queries):
    client.force_login(signals.staff)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/cockpit/sensors/")
    for n in range(8):
        sensor_create(actor=signals.staff, source=signals.source, code=f"N-{n}", name=f"新{n}",
                      place=signals.tree.community)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/cockpit/sensors/")


def test_sensors__grid_worker__403(signals, client, make_user):
    from commonground.core.models import RoleKind

    client.force_login(make_user(RoleKind.GRID_WORKER, signals.tree.community))
    assert client.get("/cockpit/sensors/").status_code == 403


def test_sensor_page__with_readings__renders_charts_data(signals, client):
    readings_ingest(source=signals.source, rows=[(1, "G-1", hour(5, 8), 120), (2, "G-1", hour(6, 9), 3)])
    client.force_login(signals.worker)
    response = client.get(f"/cockpit/sensors/{signals.gate.pk}/")
    assert response.status_code == 200
    assert response.context["chart"]["days"] == [["2024-05-05", "120.00"], ["2024-05-06", "3.00"]]
    assert len(response.context["chart"]["hours"]) == 2
    assert f"/cockpit/sensors/{signals.gate.pk}/edit/" not in response.content.decode()


def test_sensor_page__other_street__404(signals, client):
    client.force_login(signals.far_staff)
    assert client.get(f"/cockpit/sensors/{signals.gate.pk}/").status_code == 404
    assert client.get(f"/cockpit/sensors/{signals.gate.pk}/edit/").status_code == 404


def test_sensor_edit__community_worker__403(signals, client):
    client.force_login(signals.worker)
    assert client.get(f"/cockpit/sensors/{signals.gate.pk}/edit/").status_code == 403


def test_sensor_new__posted__created_at_the_place(signals, client):
    client.force_login(signals.staff)
    assert client.get("/cockpit/sensors/new/").status_code == 200
    response = client.post("/cockpit/sensors/new/", {"source": signals.source.pk, "code": "G-2", "name": "后门",
                                                     "place": signals.tree.estate.pk, "capacity": "80"})
    made = Sensor.objects.get(code="G-2")
    assert response.status_code == 302
    assert (made.place_path, made.capacity, made.unit_path) == (signals.tree.estate.path, 80,
                                                                signals.tree.community.path)


def test_sensor_new__duplicate_code__error_on_the_field(signals, client, nothing_written):
    client.force_login(signals.staff)
    with nothing_written():
        response = client.post("/cockpit/sensors/new/", {"source": signals.source.pk, "code": "G-1", "name": "x",
                                                         "place": signals.tree.estate.pk})
    assert response.context["form"].errors["code"] == ["This source already has a sensor with this code."]


def test_sensor_new__place_outside_scope__not_a_choice(signals, client, nothing_written):
    client.force_login(signals.staff)
    with nothing_written():
        response = client.post("/cockpit/sensors/new/", {"source": signals.source.pk, "code": "Z", "name": "x",
                                                         "place": signals.tree.far_community.pk})
    assert "place" in response.context["form"].errors


def test_sensor_edit__move__saved(signals, client):
    client.force_login(signals.staff)
    response = client.post(f"/cockpit/sensors/{signals.gate.pk}/edit/", {
        "name": "大门", "place": signals.tree.community.pk, "capacity": "600", "is_active": "on"})
    assert response.status_code == 302
    signals.gate.refresh_from_db()
    assert (signals.gate.name, signals.gate.place_id, signals.gate.capacity) == ("大门", signals.tree.community.pk,
                                                                                 600)


def test_sources__district_admin__create_shows_the_key_once(signals, client):
    client.force_login(signals.admin)
    response = client.post("/cockpit/sources/", {"name": "警情", "kind": "police", "bad_rows": "reject"})
    key = response.context["key"]
    made = SignalSource.objects.get(name="警情")
    assert (made.key_digest, made.bad_rows) == (key_digest(key), BadRows.REJECT)
    assert key in response.content.decode()
    assert key not in client.get("/cockpit/sources/").content.decode()


def test_sources__rotate_policy_and_switch_off(signals, client):
    client.force_login(signals.admin)
    url = f"/cockpit/sources/{signals.source.pk}/"
    key = client.post(url, {"action": "rotate"}).context["key"]
    client.post(url, {"action": "policy", "bad_rows": "reject"})
    client.post(url, {"action": "deactivate"})
    signals.source.refresh_from_db()
    assert (signals.source.key_digest, signals.source.bad_rows, signals.source.is_active) == (
        key_digest(key), BadRows.REJECT, False)


@pytest.mark.parametrize("who", ["staff", "worker"])
def test_sources__not_district__403_and_nothing_changed(signals, client, nothing_written, who):
    client.force_login(getattr(signals, who))
    with nothing_written():
        assert client.get("/cockpit/sources/").status_code == 403
        assert client.post("/cockpit/sources/", {"name": "x", "kind": "police"}).status_code == 403
        assert client.post(f"/cockpit/sources/{signals.source.pk}/", {"action": "rotate"}).status_code in (403, 404)
