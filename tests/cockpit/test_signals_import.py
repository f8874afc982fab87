"""Importing a file of readings on a source's behalf: CSV and XLSX, errors by row and the file's column, the
source's policy."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from commonground.cockpit.models import BadRows, Reading
from commonground.cockpit.services.signals import source_update

URL = "/cockpit/readings/import/"


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_import__csv_with_chinese_headers__stored(signals, client):
    client.force_login(signals.staff)
    data = "传感器,时间,读数\nG-1,2024-05-05 08:00,12\nS-1,2024-05-05 08:00,3\n".encode()
    response = client.post(URL, {"source": signals.source.pk, "file": upload("r.csv", data)})
    result = response.context["result"]
    assert (result.added, result.errors) == (2, [])
    assert Reading.objects.get(sensor=signals.gate).value == Decimal("12.00")


def test_import__xlsx_bad_rows__listed_by_row_and_the_files_column(signals, client):
    book = Workbook()
    sheet = book.active
    sheet.append(["时间", "传感器", "读数"])
    sheet.append(["2024-05-05 08:00", "G-1", 5])
    sheet.append(["2024-05-05 09:00", "NOPE", 5])
    sheet.append(["2024-05-05 10:00", "G-1", "很多"])
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(signals.staff)
    response = client.post(URL, {"source": signals.source.pk, "file": upload("r.xlsx", buffer.getvalue())})
    assert response.context["result"].added == 1
    assert [(row, column) for row, column, _message in response.context["errors"]] == [(3, "传感器"), (4, "读数")]


def test_import__reject_policy__nothing_written(signals, client, nothing_written):
    source_update(actor=signals.admin, source=signals.source, bad_rows=BadRows.REJECT)
    client.force_login(signals.staff)
    data = b"sensor,at,value\nG-1,2024-05-05T08:00:00+08:00,1\nG-1,2024-05-05T09:00:00+08:00,-1\n"
    with nothing_written():
        response = client.post(URL, {"source": signals.source.pk, "file": upload("r.csv", data)})
    assert response.context["errors"] == [(3, "value", "A reading is a number from 0 up.")]
    assert response.context["refused"]


def test_import__missing_column__error_on_the_file(signals, client, nothing_written):
    client.force_login(signals.staff)
    with nothing_written():
        response = client.post(URL, {"source": signals.source.pk, "file": upload("r.csv", b"sensor,value\nG-1,1\n")})
    assert "missing: at" in response.context["form"].errors["file"][0]


def test_import__not_a_table__refused(signals, client, nothing_written):
    client.force_login(signals.staff)
    with nothing_written():
        response = client.post(URL, {"source": signals.source.pk, "file": upload("r.pdf", b"%PDF-1.4")})
    assert response.context["form"].errors["file"]


def test_import__community_worker__403(signals, client):
    client.force_login(signals.worker)
    assert client.get(URL).status_code == 403


def test_import__another_streets_sensor__a_bad_row_and_not_stored(signals, client):
    client.force_login(signals.staff)
    data = b"sensor,at,value\nF-1,2024-05-05 08:00,12\nG-1,2024-05-05 08:00,1\n"
    response = client.post(URL, {"source": signals.source.pk, "file": upload("r.csv", data)})
    assert [(row, column) for row, column, _message in response.context["errors"]] == [(2, "sensor")]
    assert list(Reading.objects.values_list("sensor__code", flat=True)) == ["G-1"]
