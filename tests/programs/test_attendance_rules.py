"""The attendance rules through the services: only confirmed sign-ups (walk-ins where welcome), never while
waiting, never before the session's day, once per person and session; the list is all or nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.core import clock
from commonground.core.models import RoleKind
from commonground.programs.models import Attendance, AttendanceMethod
from commonground.programs.services.activities import enrolment_cancel
from commonground.programs.services.attendance import (
    attendance_by_code,
    attendance_record,
    attendance_remove,
    attendance_walk_in,
)

from .attendance_fixtures import in_session, make_course


def test_attendance_record__confirmed_ticked__recorded_once_with_scope(course):
    session, worker = course.sessions[0], course.programme.worker
    with in_session(session):
        rows = attendance_record(actor=worker, session=session, enrolment_ids=[e.pk for e in course.confirmed])
        again = attendance_record(actor=worker, session=session, enrolment_ids=[course.confirmed[0].pk])
    assert [(r.person_id, r.method) for r in rows] == [(e.participant_id, AttendanceMethod.LIST)
                                                      for e in course.confirmed]
    assert again == []
    row = Attendance.objects.get(person=course.confirmed[0].participant)
    assert (row.day, row.place_path, row.community_path, row.recorded_by) == (
        datetime.date(2024, 5, 18),
        course.activity.place_path, course.programme.tree.community.path, worker)


def test_attendance_record__a_waiting_sign_up_ticked__nothing_recorded(course, nothing_written):
    session = course.sessions[0]
    with in_session(session), nothing_written(), pytest.raises(ValidationError, match="waiting list"):
        attendance_record(actor=course.programme.worker, session=session,
                          enrolment_ids=[course.confirmed[0].pk, course.waiting.pk])


def test_attendance_record__a_cancelled_sign_up__refused(course, nothing_written):
    with clock.frozen_at(course.sessions[0].starts_at - datetime.timedelta(days=3)):
        enrolment_cancel(actor=course.users[0], enrolment=course.confirmed[0])
    session = course.sessions[0]
    with in_session(session), nothing_written(), pytest.raises(ValidationError, match="not signed up"):
        attendance_record(actor=course.programme.worker, session=session, enrolment_ids=[course.confirmed[0].pk])


def test_attendance_record__before_the_session_day__refused(course, nothing_written):
    session = course.sessions[1]
    with in_session(course.sessions[0]), nothing_written(), pytest.raises(ValidationError, match="from the day"):
        attendance_record(actor=course.programme.worker, session=session, enrolment_ids=[course.confirmed[0].pk])


def test_attendance_record__same_day_before_start__allowed(course):
    session = course.sessions[0]
    with clock.frozen_at(session.starts_at - datetime.timedelta(hours=5)):
        rows = attendance_record(actor=course.programme.worker, session=session,
                                 enrolment_ids=[course.confirmed[0].pk])
    assert len(rows) == 1


def test_attendance_record__worker_of_another_community__forbidden(course, make_user, nothing_written):
    other = make_user(RoleKind.COMMUNITY_WORKER, course.programme.tree.far_community)
    session = course.sessions[0]
    with in_session(session), nothing_written(), pytest.raises(PermissionDenied):
        attendance_record(actor=other, session=session, enrolment_ids=[course.confirmed[0].pk])


def test_attendance_by_code__running_session__participant_present(course):
    enrolment = course.confirmed[1]
    with in_session(course.sessions[2]):
        row = attendance_by_code(actor=course.programme.worker, code=f"  {enrolment.code} ")
    assert (row.session_id, row.person_id, row.enrolment_id, row.method) == (
        course.sessions[2].pk, enrolment.participant_id, enrolment.pk, AttendanceMethod.CODE)


def test_attendance_by_code__twice__refused(course):
    enrolment = course.confirmed[1]
    with in_session(course.sessions[0]):
        attendance_by_code(actor=course.programme.worker, code=enrolment.code)
        with pytest.raises(ValidationError, match="already marked present"):
            attendance_by_code(actor=course.programme.worker, code=enrolment.code)
    assert Attendance.objects.count() == 1


def test_attendance_by_code__waiting_sign_up__refused(course, nothing_written):
    with in_session(course.sessions[0]), nothing_written(), pytest.raises(ValidationError, match="waiting list"):
        attendance_by_code(actor=course.programme.worker, code=course.waiting.code)


def test_attendance_by_code__unknown_code__refused(course, nothing_written):
    with in_session(course.sessions[0]), nothing_written(), pytest.raises(ValidationError, match="No sign-up"):
        attendance_by_code(actor=course.programme.worker, code="not-a-code")


def test_attendance_by_code__no_session_today__asks_for_the_session(course, nothing_written):
    with clock.frozen_at(course.sessions[0].starts_at + datetime.timedelta(days=2)), nothing_written(), \
            pytest.raises(ValidationError, match="no session today"):
        attendance_by_code(actor=course.programme.worker, code=course.confirmed[0].code)


def test_attendance_by_code__code_of_another_activity__refused(course, nothing_written):
    other = make_course(course.programme, title="另一门课")
    with in_session(other.sessions.first()), nothing_written(), pytest.raises(ValidationError, match="another"):
        attendance_by_code(actor=course.programme.worker, code=course.confirmed[0].code,
                           session=other.sessions.first())


def test_attendance_walk_in__not_signed_up_walk_ins_not_allowed__refused(course, nothing_written):
    with in_session(course.sessions[0]), nothing_written(), pytest.raises(ValidationError, match="walk-ins"):
        attendance_walk_in(actor=course.programme.worker, session=course.sessions[0], person=course.stranger)


def test_attendance_walk_in__walk_ins_allowed__recorded_without_sign_up(course):
    activity = make_course(course.programme, kind="activity", allow_walk_ins=True, sessions=1, title="邻里节")
    session = activity.sessions.get()
    with in_session(session):
        row = attendance_walk_in(actor=course.programme.worker, session=session, person=course.stranger)
    assert (row.enrolment_id, row.method, row.person_id) == (None, AttendanceMethod.WALK_IN, course.stranger.pk)


def test_attendance_walk_in__waiting_even_where_walk_ins_allowed__refused(course, nothing_written):
    with in_session(course.sessions[0]), nothing_written(), pytest.raises(ValidationError, match="waiting list"):
        attendance_walk_in(actor=course.programme.worker, session=course.sessions[0],
                           person=course.waiting.participant)


def test_attendance_walk_in__confirmed_person__ticked_with_the_sign_up(course):
    enrolment = course.confirmed[0]
    with in_session(course.sessions[0]):
        row = attendance_walk_in(actor=course.programme.worker, session=course.sessions[0],
                                 person=enrolment.participant)
    assert (row.enrolment_id, row.method) == (enrolment.pk, AttendanceMethod.LIST)


def test_attendance_remove__same_day__removed_next_day__refused(course):
    session = course.sessions[0]
    with in_session(session):
        first, second = attendance_record(actor=course.programme.worker, session=session,
                                          enrolment_ids=[e.pk for e in course.confirmed])
        attendance_remove(actor=course.programme.worker, attendance=first)
    with clock.frozen_at(session.starts_at + datetime.timedelta(days=1)), \
            pytest.raises(ValidationError, match="on the day"):
        attendance_remove(actor=course.programme.worker, attendance=second)
    assert list(Attendance.objects.values_list("pk", flat=True)) == [second.pk]
    # The removed mark stays in the audit history.
    assert list(Attendance.history.filter(id=first.pk, history_type="-").values_list("person_id", flat=True)) == [
        first.person_id]


def test_attendance_record__database__one_row_per_person_and_session(course):
    from django.db import IntegrityError, transaction

    session = course.sessions[0]
    with in_session(session):
        (row,) = attendance_record(actor=course.programme.worker, session=session,
                                   enrolment_ids=[course.confirmed[0].pk])
    row.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()
