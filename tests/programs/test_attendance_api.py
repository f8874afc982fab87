"""The attendance API: record the list, a code, a walk-in; list a session's attendance; certificates; the
participation figures — scoped like the pages (404 outside, 403 seen but not theirs), with fixed query counts."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commonground.core.models import RoleKind
from commonground.programs.models import Attendance, Certificate

from .attendance_fixtures import in_session, make_course
from .test_attendance_certificates import after, attend

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_api_attendance__list_then_code__recorded_and_listed(course):
    session, client = course.sessions[0], client_of(course.programme.worker)
    with in_session(session):
        listed = post(client, f"/api/programs/sessions/{session.pk}/attendance",
                      {"enrolments": [course.confirmed[0].pk]})
        coded = post(client, "/api/programs/attendance/code", {"code": course.confirmed[1].code})
        twice = post(client, "/api/programs/attendance/code", {"code": course.confirmed[1].code})
        rows = client.get(f"/api/programs/sessions/{session.pk}/attendance").json()
    assert listed.status_code == 200 and listed.json()[0]["method"] == "list"
    assert coded.status_code == 200 and coded.json()["person"] == course.confirmed[1].participant_id
    assert twice.status_code == 400
    assert rows["count"] == 2 and [r["method"] for r in rows["items"]] == ["list", "code"]


def test_api_attendance__waiting_sign_up__400_nothing_written(course, nothing_written):
    session, client = course.sessions[0], client_of(course.programme.worker)
    with in_session(session), nothing_written():
        answer = post(client, f"/api/programs/sessions/{session.pk}/attendance", {"enrolments": [course.waiting.pk]})
    assert answer.status_code == 400


def test_api_attendance__resident__403_and_code_unknown(course, nothing_written):
    session, client = course.sessions[0], client_of(course.users[0])
    with in_session(session), nothing_written():
        assert post(client, f"/api/programs/sessions/{session.pk}/attendance",
                    {"enrolments": [course.confirmed[0].pk]}).status_code == 403
        assert client.get(f"/api/programs/sessions/{session.pk}/attendance").status_code == 403
        assert post(client, "/api/programs/attendance/code", {"code": course.confirmed[0].code}).status_code == 400


def test_api_walk_in__allowed_activity__recorded(course):
    activity = make_course(course.programme, kind="activity", allow_walk_ins=True, sessions=1, title="邻里节")
    session = activity.sessions.get()
    with in_session(session):
        answer = post(client_of(course.programme.worker), f"/api/programs/sessions/{session.pk}/walk-ins",
                      {"person": course.programme.tree.owner.pk})
    assert answer.status_code == 200 and answer.json()["method"] == "walk_in"


def test_api_certificates__issue_all__listed_for_the_holder_only(course):
    attend(course, course.confirmed[0], course.sessions)
    with after(course):
        issued = post(client_of(course.programme.worker),
                      f"/api/programs/activities/{course.activity.pk}/certificates", {})
    assert [c["number"] for c in issued.json()] == ["2024-0001"]
    assert client_of(course.users[0]).get("/api/programs/certificates").json()["count"] == 1
    assert client_of(course.users[1]).get("/api/programs/certificates").json()["count"] == 0


def test_api_certificates__resident_issuing__403_nothing_written(course, nothing_written):
    attend(course, course.confirmed[0], course.sessions)
    with after(course), nothing_written():
        answer = post(client_of(course.users[0]), f"/api/programs/activities/{course.activity.pk}/certificates", {})
    assert answer.status_code == 403
    assert Certificate.objects.count() == 0


def test_api_participation__in_scope_figures__outside_empty__resident_404(course, make_user):
    attend(course, course.confirmed[0], course.sessions[:3])
    url = "/api/programs/participation?start=2024-05-01&end=2024-06-30"
    mine = client_of(course.programme.worker).get(url).json()
    assert mine["total"] == {"activities": 1, "attendances": 3, "participants": 1}
    assert [(m["month"], m["attendances"]) for m in mine["by_month"]] == [("2024-05", 2), ("2024-06", 1)]
    assert [s["name"] for s in mine["by_scope"]] == ["竹竿巷社区"]
    other = make_user(RoleKind.COMMUNITY_WORKER, course.programme.tree.far_community)
    theirs = client_of(other).get(url).json()
    assert theirs["total"] == {"activities": 0, "attendances": 0, "participants": 0} and theirs["by_scope"] == []
    assert client_of(other).get(url + f"&place={course.programme.tree.community.code}").status_code == 404
    assert client_of(course.users[0]).get(url).status_code == 404


def test_api_lists__query_counts__same_for_1_and_n_rows(course):
    session, worker = course.sessions[0], course.programme.worker
    client = client_of(worker)
    urls = [f"/api/programs/sessions/{session.pk}/attendance", "/api/programs/certificates",
            "/api/programs/participation?start=2024-05-01"]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            result.append(len(captured))
        return result

    with in_session(session):
        post(client, f"/api/programs/sessions/{session.pk}/attendance", {"enrolments": [course.confirmed[0].pk]})
        one = counts()
        post(client, f"/api/programs/sessions/{session.pk}/attendance", {"enrolments": [course.confirmed[1].pk]})
        many = counts()
    assert Attendance.objects.count() == 2
    assert one == many
