"""The attendance pages: the sheet (tick, scan a code, walk-in) through the services, 403 for a seen activity not
theirs, the certificates page, the participation record (own and staff's within scope, 404 outside), the figures
and their export scoped like the page, and query counts that stay the same for 1 and N rows."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from commonground.core.models import RoleKind
from commonground.core.services.people import person_create
from commonground.programs.models import Attendance, Certificate
from commonground.programs.services.activities import enrolment_create
from commonground.programs.services.attendance import attendance_record, certificates_issue_all
from tests.conftest import make_id_number

from .attendance_fixtures import in_session
from .test_attendance_certificates import after, attend

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sheet_url(session) -> str:
    return f"/programs/sessions/{session.pk}/attendance/"


def test_attendance_sheet__worker_ticks__recorded(course):
    session, client = course.sessions[0], client_of(course.programme.worker)
    with in_session(session):
        page = client.get(sheet_url(session))
        answer = client.post(sheet_url(session), {"present": [course.confirmed[0].pk]})
        after_page = client.get(sheet_url(session))
    assert page.status_code == 200 and course.confirmed[0].participant.name in page.content.decode()
    assert answer.status_code == 302
    assert list(Attendance.objects.values_list("person_id", "method")) == [
        (course.confirmed[0].participant_id, "list")]
    assert 'data-figure="present">1<' in after_page.content.decode()


def test_attendance_sheet__code_typed__present(course):
    session = course.sessions[0]
    with in_session(session):
        answer = client_of(course.programme.worker).post(sheet_url(session) + "code/",
                                                         {"code": course.confirmed[1].code})
    assert answer.status_code == 302
    assert Attendance.objects.get().method == "code"


def test_attendance_sheet__waiting_code__message_and_nothing_written(course, nothing_written):
    session = course.sessions[0]
    client = client_of(course.programme.worker)
    with in_session(session), nothing_written():
        answer = client.post(sheet_url(session) + "code/", {"code": course.waiting.code}, follow=True)
    assert "waiting list" in answer.content.decode()


def test_attendance_sheet__resident__403(course, nothing_written):
    session = course.sessions[0]
    with in_session(session), nothing_written():
        assert client_of(course.users[0]).get(sheet_url(session)).status_code == 403
        assert client_of(course.users[0]).post(sheet_url(session),
                                               {"present": [course.confirmed[0].pk]}).status_code == 403


def test_attendance_sheet__draft_of_another_community__404(course, make_user):
    from .attendance_fixtures import make_course

    draft = make_course(course.programme, title="草稿课程")
    from commonground.programs.models import Activity

    Activity.objects.filter(pk=draft.pk).update(status="draft")
    other = make_user(RoleKind.COMMUNITY_WORKER, course.programme.tree.far_community)
    assert client_of(other).get(sheet_url(draft.sessions.first())).status_code == 404


def test_attendance_sessions__worker__lists_sessions_of_the_week(course):
    with in_session(course.sessions[1]):
        page = client_of(course.programme.worker).get("/programs/attendance/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f'data-session="{course.sessions[1].pk}"' in text and f'data-session="{course.sessions[0].pk}"' in text
    assert f'data-session="{course.sessions[2].pk}"' not in text


def test_certificates_page__after_the_course__issues_to_those_who_qualify(course):
    attend(course, course.confirmed[0], course.sessions)
    client = client_of(course.programme.worker)
    with after(course):
        page = client.get(f"/programs/activities/{course.activity.pk}/certificates/")
        client.post(f"/programs/activities/{course.activity.pk}/certificates/")
    assert page.status_code == 200 and "5 / 5" in page.content.decode()
    certificate = Certificate.objects.get()
    assert certificate.person_id == course.confirmed[0].participant_id
    own = client_of(course.users[0])
    assert own.get(f"/programs/certificates/{certificate.pk}/").status_code == 200
    pdf = own.get(f"/programs/certificates/{certificate.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client_of(course.users[1]).get(f"/programs/certificates/{certificate.pk}/").status_code == 404


def test_my_record__participant__activities_and_certificates(course):
    attend(course, course.confirmed[0], course.sessions)
    with after(course):
        certificates_issue_all(actor=course.programme.worker, activity=course.activity)
        page = client_of(course.users[0]).get("/programs/my-record/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-figure="attendances">5<' in text and 'data-figure="courses">1<' in text
    assert course.activity.title in text


def test_person_record__worker_in_scope_200__outside_404(course, make_user):
    attend(course, course.confirmed[0], course.sessions[:1])
    person = course.confirmed[0].participant
    assert client_of(course.programme.worker).get(f"/programs/people/{person.pk}/record/").status_code == 200
    other = make_user(RoleKind.COMMUNITY_WORKER, course.programme.tree.far_community)
    assert client_of(other).get(f"/programs/people/{person.pk}/record/").status_code == 404
    assert client_of(course.users[1]).get(f"/programs/people/{person.pk}/record/").status_code == 404


def test_participation__worker__figures_and_chart(course):
    attend(course, course.confirmed[0], course.sessions[:2])
    attend(course, course.confirmed[1], course.sessions[:1])
    page = client_of(course.programme.worker).get("/programs/participation/?start=2024-05-01&end=2024-06-30")
    text = page.content.decode()
    assert page.status_code == 200
    for figure in ('data-figure="activities">1<', 'data-figure="attendances">3<', 'data-figure="participants">2<'):
        assert figure in text
    assert 'id="participation-chart"' in text and "participation-chart-data" in text


def test_participation__outside_scope__nothing_in_figures_or_exports(course, make_user):
    attend(course, course.confirmed[0], course.sessions[:2])
    other = make_user(RoleKind.COMMUNITY_WORKER, course.programme.tree.far_community)
    client = client_of(other)
    page = client.get("/programs/participation/?start=2024-05-01&end=2024-06-30")
    assert 'data-figure="attendances">0<' in page.content.decode()
    rows = list(csv.reader(io.StringIO(client.get(
        "/programs/participation/export.csv?start=2024-05-01&end=2024-06-30").getvalue().decode("utf-8-sig"))))
    assert len(rows) == 1
    assert client_of(course.users[0]).get("/programs/participation/").status_code == 404
    assert client_of(course.users[0]).get("/programs/participation/export.csv").status_code == 404


def test_participation_export__xlsx__rows_per_community_and_month(course):
    attend(course, course.confirmed[0], course.sessions)
    answer = client_of(course.programme.worker).get(
        "/programs/participation/export.xlsx?start=2024-05-01&end=2024-06-30")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2)]
    assert rows == [("武林街道", "竹竿巷社区", "2024-05", 1, 2, 1), ("武林街道", "竹竿巷社区", "2024-06", 1, 3, 1)]


def _more_people(course, n):
    users = []
    for k in range(n):
        person = person_create(name=f"居民{k}", id_number=make_id_number(seq=100 + k), phone=f"139000000{k:02d}",
                               registered_place=course.programme.tree.community)  # desk sign-ups: people in scope
        users.append(person)
    return users


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_pages__query_counts__same_for_1_and_n_rows(course):
    from commonground.programs.models import Activity
    from commonground.programs.services.activities import promote_waiting

    session, worker = course.sessions[0], course.programme.worker
    client = client_of(worker)
    urls = [sheet_url(session), "/programs/attendance/", "/programs/participation/?start=2024-05-01",
            f"/programs/people/{course.confirmed[0].participant_id}/record/", "/programs/my-record/",
            f"/programs/activities/{course.activity.pk}/certificates/"]
    with in_session(session):
        attendance_record(actor=worker, session=session, enrolment_ids=[course.confirmed[0].pk])
        one = [queries(client, url) for url in urls]
    Activity.objects.filter(pk=course.activity.pk).update(capacity=20)
    promote_waiting(Activity.objects.get(pk=course.activity.pk))
    for person in _more_people(course, 4):
        enrolment_create(actor=worker, activity=course.activity, participant=person)
    for other in course.sessions[:3]:
        with in_session(other):
            attendance_record(actor=worker, session=other, enrolment_ids=list(
                course.activity.enrolments.filter(status="confirmed").values_list("pk", flat=True)))
    with in_session(session):
        many = [queries(client, url) for url in urls]
    assert one == many
