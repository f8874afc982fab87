"""The programmes demo's activities and attendance (programs/demo/activities.py), on the demo the package builds
once: the report's programme figures reach the published ones for the district in the default period, 新天地 held
over 370 activities in its first year and in the period, the 40-day camp, certificates of the family academy, and
a few activities open for sign-up on the demo's today."""

from __future__ import annotations

import datetime

import pytest

from commonground.core import clock
from commonground.core.reporting import build_report
from commonground.programs.models import Activity, ActivityKind, ActivityStatus, Attendance, Certificate

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(demo_built):
    return demo_built[0]


def test_demo_attendance__district_report__courses_attendances_camp_days_over_the_published(demo, db):
    programs = build_report()["programs"]
    assert 10 < programs["courses"] <= 14
    assert 4000 < programs["course_attendances"] <= 4400
    assert programs["summer_camp_days"] == 40


def test_demo_attendance__xintiandi__over_370_in_its_first_year_and_in_the_period(demo, db):
    def xintiandi(report):
        return next(row for row in report["business"]["communities"] if row["name"] == "新天地商务社区")

    assert 370 < xintiandi(build_report())["activities"] <= 380
    first_year = build_report(start=datetime.date(2022, 6, 1), end=datetime.date(2023, 5, 31))
    assert 370 < xintiandi(first_year)["activities"] <= 380


def test_demo_attendance__attendance_rows__only_for_confirmed_sign_ups_or_walk_ins_and_never_ahead(demo, db):
    assert not Attendance.objects.filter(enrolment__isnull=False).exclude(enrolment__status="confirmed").exists()
    assert not Attendance.objects.filter(enrolment__isnull=True, activity__allow_walk_ins=False).exists()
    assert not Attendance.objects.filter(day__gt=clock.today()).exists()
    assert Certificate.objects.filter(activity__kind=ActivityKind.COURSE).count() > 300


def test_demo_attendance__upcoming__open_for_sign_up_on_the_demo_today(demo, db):
    now = clock.now()
    open_now = Activity.objects.filter(status=ActivityStatus.PUBLISHED, signup_opens_at__lte=now,
                                       signup_closes_at__gt=now, first_starts_at__gt=now)
    assert open_now.count() >= 5
    assert open_now.filter(place__name="河东社区").exists()
