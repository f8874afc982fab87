"""Roster pages: upload (good, bad rows, oversize, wrong type), permissions, downloads."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from commonground.core.masking import mask_id_number
from commonground.core.models import ImportJob, ImportStatus, Person, RoleKind
from tests.conftest import make_id_number
from tests.core.test_rosters_import import PEOPLE_HEADERS, counts, csv_bytes

UPLOAD = reverse("core:roster-upload")


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks, background_jobs):
    """Upload as `user`; a queued import is run (as the background worker would) and its page returned."""

    def post(client_, user, name: str, data: bytes, roster: str = "people", dry_run: bool = False):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(UPLOAD, {"roster": roster, "file": SimpleUploadedFile(name, data),
                                            **({"dry_run": "on"} if dry_run else {})},
                                   headers={"accept-language": "en"})
        if response.status_code != 302:
            return response
        assert background_jobs.started == [("core.run_import", (ImportJob.objects.latest("pk").pk,))]
        background_jobs.run_all()
        return client.get(response["Location"], headers={"accept-language": "en"})

    return post


def test_roster_upload__page__shows_form(client, upload, role_users):
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    response = client.get(UPLOAD)
    assert response.status_code == 200
    assert b'name="file"' in response.content
    assert b'name="roster"' in response.content


@pytest.mark.parametrize("role", [RoleKind.GRID_WORKER, RoleKind.RENEWAL_WORKER, RoleKind.RESIDENT])
def test_roster_upload__without_roster_import__403(client, upload, role_users, role, nothing_written):
    with nothing_written():
        data = csv_bytes(PEOPLE_HEADERS, [[make_id_number(seq=301), "许一", ""]])
        assert upload(client, role_users[role], "people.csv", data).status_code == 403
        client.force_login(role_users[role])
        assert client.get(UPLOAD).status_code == 403


def test_roster_upload__anonymous__sent_to_login(client, tree):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_roster_upload__good_file__summary_and_rows_written(client, upload, role_users):
    number = make_id_number(seq=302)
    response = upload(client, role_users[RoleKind.COMMUNITY_WORKER], "people.csv",
                      csv_bytes(PEOPLE_HEADERS, [[number, "何二", "13900000302"]]))
    assert response.status_code == 200
    assert "created 1, updated 0, unchanged 0" in response.content.decode()
    person = Person.objects.get(id_number=number)
    assert person.history.get().history_user == role_users[RoleKind.COMMUNITY_WORKER]


def test_roster_upload__bad_rows__error_table_and_nothing_imported(client, upload, role_users, nothing_written):
    with nothing_written(ImportJob):
        rows = [[make_id_number(seq=303), "吕三", ""], ["330105", "施四", ""], [make_id_number(seq=304), "张五", "12"]]
        response = upload(client, role_users[RoleKind.COMMUNITY_WORKER], "people.csv", csv_bytes(PEOPLE_HEADERS, rows))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Nothing was imported." in page
        assert "<td>3</td><td>身份证号</td><td>A resident ID number has 18 characters.</td>" in page
        assert "<td>4</td><td>联系电话</td>" in page


def test_roster_upload__oversize__refused(client, upload, role_users, settings, nothing_written):
    settings.CG_MAX_UPLOAD_BYTES = 100
    with nothing_written():
        data = csv_bytes(PEOPLE_HEADERS, [[make_id_number(seq=310 + n), "大文件", ""] for n in range(5)])
        response = upload(client, role_users[RoleKind.COMMUNITY_WORKER], "people.csv", data)
        page = response.content.decode()
        assert "files up to 100\xa0bytes can be imported" in page
        assert "Imported." not in page


@pytest.mark.parametrize("name", ["people.txt", "people.xls", "people"])
def test_roster_upload__wrong_type__refused(client, upload, role_users, name, nothing_written):
    with nothing_written():
        data = csv_bytes(PEOPLE_HEADERS, [[make_id_number(seq=320), "类型", ""]])
        response = upload(client, role_users[RoleKind.COMMUNITY_WORKER], name, data)
        assert "Only .csv and .xlsx files can be imported." in response.content.decode()


def test_roster_upload__broken_xlsx__refused(client, upload, role_users):
    response = upload(client, role_users[RoleKind.COMMUNITY_WORKER], "people.xlsx", b"not a workbook")
    assert "This is not a readable XLSX workbook." in response.content.decode()


def test_roster_index__export_only_role__links_without_upload(client, upload, role_users):
    client.force_login(role_users[RoleKind.RENEWAL_WORKER])
    page = client.get(reverse("core:roster-index")).content.decode()
    assert reverse("core:roster-download", args=["households"]) + "?format=xlsx" in page
    assert UPLOAD not in page


def test_roster_index__neither_permission__403(client, upload, role_users):
    client.force_login(role_users[RoleKind.RESIDENT])
    assert client.get(reverse("core:roster-index")).status_code == 403


def test_roster_download__csv__attachment_with_visible_rows(client, tree, role_users):
    client.force_login(role_users[RoleKind.RENEWAL_WORKER])
    response = client.get(reverse("core:roster-download", args=["households"]), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="households-')
    assert response.content.decode("utf-8-sig").splitlines() == [
        "房屋编码,身份证号,与户主关系", f"{tree.flat.code},{tree.owner.id_number},户主"]


def test_roster_download__xlsx__masked_for_owners_committee(client, tree, role_users, monkeypatch):
    from commonground.core.rules import ROLE_PERMISSIONS

    role = RoleKind.OWNERS_COMMITTEE_MEMBER
    monkeypatch.setitem(ROLE_PERMISSIONS, role, ROLE_PERMISSIONS[role] | {"roster.export"})
    client.force_login(role_users[role])
    response = client.get(reverse("core:roster-download", args=["ownership"]), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1][:2] == [tree.flat.code, mask_id_number(tree.owner.id_number)]
    assert len(rows) == 2


def test_roster_download__without_roster_export__403(client, upload, role_users):
    client.force_login(role_users[RoleKind.RESIDENT])
    assert client.get(reverse("core:roster-download", args=["people"])).status_code == 403


def test_roster_download__unknown_roster_or_format__404(client, upload, role_users):
    client.force_login(role_users[RoleKind.STREET_STAFF])
    assert client.get(reverse("core:roster-download", args=["cats"])).status_code == 404
    assert client.get(reverse("core:roster-download", args=["people"]), {"format": "pdf"}).status_code == 404


# --- the background job ---------------------------------------------------------------------------------------

def test_roster_upload__request_only_queues__nothing_imported_until_the_worker_runs(
        client, role_users, django_capture_on_commit_callbacks, background_jobs):
    worker = role_users[RoleKind.COMMUNITY_WORKER]
    client.force_login(worker)
    number = make_id_number(seq=330)
    before = counts()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"roster": "people", "file": SimpleUploadedFile(
            "people.csv", csv_bytes(PEOPLE_HEADERS, [[number, "排队", ""]]))})

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:roster-job", args=[job.pk])
    assert (job.status, job.user, job.file_name, counts()) == (ImportStatus.QUEUED, worker, "people.csv", before)
    waiting = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in waiting
    assert background_jobs.started == [("core.run_import", (job.pk,))]

    assert background_jobs.run_all() == [ImportStatus.DONE]
    job.refresh_from_db()
    assert (job.status, job.result["created"], job.file.name, job.finished_at is not None) == (
        ImportStatus.DONE, 1, "", True)
    assert Person.objects.filter(id_number=number).exists()
    assert 'hx-trigger' not in client.get(response["Location"]).content.decode()


def test_roster_job__run_twice__imports_once(client, upload, role_users):
    from commonground.core.rosters.jobs import import_job_run

    upload(client, role_users[RoleKind.COMMUNITY_WORKER], "people.csv",
           csv_bytes(PEOPLE_HEADERS, [[make_id_number(seq=331), "一次", ""]]))
    job = ImportJob.objects.get()
    assert import_job_run(job_id=job.pk) == "skipped"
    assert Person.objects.filter(name="一次").count() == 1


def test_roster_job__dry_run__report_and_nothing_written(client, upload, role_users, nothing_written):
    with nothing_written(ImportJob):
        response = upload(client, role_users[RoleKind.COMMUNITY_WORKER], "people.csv",
                          csv_bytes(PEOPLE_HEADERS, [[make_id_number(seq=332), "试一试", ""]]), dry_run=True)
        assert "The file is correct." in response.content.decode()


def test_roster_job__someone_elses__404(client, upload, role_users, make_user, tree):
    upload(client, role_users[RoleKind.COMMUNITY_WORKER], "people.csv",
           csv_bytes(PEOPLE_HEADERS, [[make_id_number(seq=333), "别人的", ""]]))
    job = ImportJob.objects.get()
    client.force_login(make_user(RoleKind.COMMUNITY_WORKER, tree.community))
    assert client.get(reverse("core:roster-job", args=[job.pk])).status_code == 404
    assert job.file_name not in client.get(UPLOAD).content.decode()


def test_roster_job__progress__rows_checked_written_to_the_job(role_users, tree):
    from commonground.core.rosters import jobs

    job = ImportJob.objects.create(user=role_users[RoleKind.COMMUNITY_WORKER], roster="people", file_name="x.csv")
    progress = jobs.JobProgress(job)
    bar = progress(desc="Checking", total=10)
    bar.update(4)
    bar.close()
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == (ImportStatus.CHECKING, 4, 10, 40)


# --- the page as a form, the job's steps ----------------------------------------------------------------------

def test_roster_upload__page__labelled_fields_with_help_accepted_types_and_busy_state(client, role_users):
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])

    html = client.get(UPLOAD, headers={"accept-language": "en"}).content.decode()

    assert '<label for="id_file">' in html and 'accept=".csv,.xlsx"' in html
    assert 'aria-describedby="file-help"' in html and "A CSV or Excel file of up to 10.0\xa0MB" in html
    assert 'aria-describedby="dry-run-help"' in html and "A trial run: every row is checked" in html
    assert 'data-busy="Uploading…"' in html
    assert "<script>" not in html


def test_roster_upload__errors__form_alert_and_field_marked(client, role_users, nothing_written):
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])

    with nothing_written():
        response = client.post(UPLOAD, {"roster": "people", "file": SimpleUploadedFile("people.txt", b"x")},
                               headers={"accept-language": "en"})

    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="form-alert" role="alert"' in html and 'aria-invalid="true"' in html
    assert "Only .csv and .xlsx files can be imported." in html


def steps_of(html: str) -> list[tuple[str, str]]:
    import re

    block = html[html.index('class="import-steps"'):html.index("</ol>")]
    return re.findall(r'<li class="([a-z]*)"[^>]*>([^<]+)</li>', block)


@pytest.mark.parametrize(("status", "done", "dry_run", "states", "progress"), [
    (ImportStatus.QUEUED, 0, False, ["done", "current", "", ""], None),
    (ImportStatus.CHECKING, 1234, False, ["done", "current", "", ""], "1,234 of 5,000 rows checked (24%)"),
    (ImportStatus.WRITING, 5000, False, ["done", "done", "current", ""], None),
    (ImportStatus.CHECKING, 10, True, ["done", "current", ""], "10 of 5,000 rows checked (0%)"),
])
def test_roster_job__running__steps_and_progress(client, role_users, status, done, dry_run, states, progress):
    worker = role_users[RoleKind.COMMUNITY_WORKER]
    job = ImportJob.objects.create(user=worker, roster="people", file_name="people.csv", status=status, done=done,
                                   total=5000, dry_run=dry_run)
    client.force_login(worker)

    html = client.get(reverse("core:roster-job", args=[job.pk]), headers={"accept-language": "en"}).content.decode()

    assert [state for state, _label in steps_of(html)] == states
    assert 'aria-current="step"' in html and 'hx-trigger="every 1s"' in html
    if progress:
        assert progress in html and f'<progress id="import-progress" value="{done}" max="5000">' in html
    else:
        assert '<progress id="import-progress"></progress>' in html


def test_roster_job__finished__all_steps_done_or_stopped_at_the_check(client, upload, role_users):
    worker = role_users[RoleKind.COMMUNITY_WORKER]
    good = upload(client, worker, "people.csv", csv_bytes(PEOPLE_HEADERS, [[make_id_number(seq=340), "步骤", ""]]))
    bad = upload(client, worker, "people.csv", csv_bytes(PEOPLE_HEADERS, [["123", "错号", ""]]))

    assert steps_of(good.content.decode()) == [("done", "Upload"), ("done", "Check every row"), ("done", "Write"),
                                               ("done", "Done")]
    assert [state for state, _label in steps_of(bad.content.decode())] == ["done", "failed", "", ""]
    assert "<progress" not in good.content.decode()
