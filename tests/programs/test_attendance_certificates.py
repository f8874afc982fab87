"""Certificates: a course's confirmed participant who attended at least 80% of its sessions, once the course is
over; numbered per year."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from commonground.core import clock
from commonground.programs.models import Certificate
from commonground.programs.services.attendance import (
    attendance_record,
    certificate_issue,
    certificates_issue_all,
    meets_threshold,
)

from .attendance_fixtures import in_session, make_course


def attend(course, enrolment, sessions):
    for session in sessions:
        with in_session(session):
            attendance_record(actor=course.programme.worker, session=session, enrolment_ids=[enrolment.pk])


def after(course):
    return clock.frozen_at(course.sessions[-1].ends_at + datetime.timedelta(days=1))


@pytest.mark.parametrize(("attended", "total", "meets"), [(4, 5, True), (3, 5, False), (8, 10, True),
                                                          (7, 10, False), (0, 0, False), (1, 1, True)])
def test_meets_threshold__share_of_sessions__80_percent(attended, total, meets):
    assert meets_threshold(attended, total) is meets


def test_certificate_issue__four_of_five__numbered(course):
    enrolment = course.confirmed[0]
    attend(course, enrolment, course.sessions[:4])
    with after(course):
        certificate = certificate_issue(actor=course.programme.worker, enrolment=enrolment)
    assert (certificate.number, certificate.sessions_attended, certificate.sessions_total,
            certificate.person_id) == ("2024-0001", 4, 5, enrolment.participant_id)


def test_certificate_issue__three_of_five__refused(course, nothing_written):
    enrolment = course.confirmed[0]
    attend(course, enrolment, course.sessions[:3])
    with after(course), nothing_written(), pytest.raises(ValidationError, match="attended 3 of 5"):
        certificate_issue(actor=course.programme.worker, enrolment=enrolment)


def test_certificate_issue__course_not_over__refused(course, nothing_written):
    enrolment = course.confirmed[0]
    attend(course, enrolment, course.sessions[:4])
    with in_session(course.sessions[4]), nothing_written(), pytest.raises(ValidationError, match="ended"):
        certificate_issue(actor=course.programme.worker, enrolment=enrolment)


def test_certificate_issue__twice__refused(course):
    enrolment = course.confirmed[0]
    attend(course, enrolment, course.sessions)
    with after(course):
        certificate_issue(actor=course.programme.worker, enrolment=enrolment)
        with pytest.raises(ValidationError, match="already has"):
            certificate_issue(actor=course.programme.worker, enrolment=enrolment)
    assert Certificate.objects.count() == 1


def test_certificate_issue__not_a_course__refused(course, nothing_written):
    activity = make_course(course.programme, kind="activity", sessions=1, title="邻里节")
    from commonground.programs.services.activities import enrolment_create

    enrolment = enrolment_create(actor=course.users[0], activity=activity)
    with clock.frozen_at(activity.last_ends_at + datetime.timedelta(days=1)), nothing_written(), \
            pytest.raises(ValidationError, match="courses and trainings"):
        certificate_issue(actor=course.programme.worker, enrolment=enrolment)


def test_certificates_issue_all__finished_course__only_those_over_the_threshold(course):
    first, second = course.confirmed
    attend(course, first, course.sessions)
    attend(course, second, course.sessions[:3])
    with after(course):
        issued = certificates_issue_all(actor=course.programme.worker, activity=course.activity)
        again = certificates_issue_all(actor=course.programme.worker, activity=course.activity)
    assert [(c.person_id, c.number) for c in issued] == [(first.participant_id, "2024-0001")]
    assert again == []
