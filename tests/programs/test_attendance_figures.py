"""The participation figures by month against a hand count, and the report's programme keys (courses, course
attendances, summer-camp days) and business communities' activities, from records in scope and period."""

from __future__ import annotations

import datetime

import pytest

from commonground.core.models import OrganisationKind, PlaceKind, RoleKind
from commonground.core.reporting import build_report, merge_contribution
from commonground.core.services.organisations import organisation_create
from commonground.core.services.places import place_create
from commonground.programs.attendance_selectors import FigureFilters, participation_figures
from commonground.programs.services.attendance import attendance_walk_in

from .attendance_fixtures import in_session, make_course
from .test_attendance_certificates import attend

pytestmark = pytest.mark.django_db

MAY_JUNE = FigureFilters(start=datetime.date(2024, 5, 1), end=datetime.date(2024, 6, 30))


def test_participation_figures__by_month__match_a_hand_count(course):
    # May: sessions 0, 1 (18 and 25 May); June: sessions 2, 3, 4 (1, 8, 15 June).
    first, second = course.confirmed
    attend(course, first, course.sessions)        # 2 in May, 3 in June
    attend(course, second, course.sessions[1:3])  # 1 in May, 1 in June
    camp = make_course(course.programme, kind="camp", sessions=1, allow_walk_ins=True, title="六一游园")
    with in_session(camp.sessions.get()):
        attendance_walk_in(actor=course.programme.worker, session=camp.sessions.get(), person=course.stranger)
    figures = participation_figures(course.programme.worker, MAY_JUNE)
    months = [(row["month"], row["activities"], row["attendances"], row["participants"])
              for row in figures["by_month"]]
    assert months == [(datetime.date(2024, 5, 1), 2, 4, 3), (datetime.date(2024, 6, 1), 1, 4, 2)]
    assert figures["total"] == {"activities": 2, "attendances": 8, "participants": 3}
    assert [(row["place"].name, row["attendances"]) for row in figures["scopes"]] == [("竹竿巷社区", 8)]
    assert [(row["activity__organiser__name"], row["participants"]) for row in figures["organisers"]] == [
        ("竹竿巷社区居民委员会", 3)]


def test_participation_figures__narrowed_to_a_place_outside__nothing(course):
    attend(course, course.confirmed[0], course.sessions)
    filters = FigureFilters(start=MAY_JUNE.start, end=MAY_JUNE.end, place=course.programme.tree.neighbour)
    assert participation_figures(course.programme.worker, filters)["total"]["attendances"] == 0


def test_report_programs__courses_attendances_and_camp_days__in_scope_and_period(course):
    attend(course, course.confirmed[0], course.sessions)      # 5 course attendances
    attend(course, course.confirmed[1], course.sessions[:2])  # 2 more
    camp = make_course(course.programme, kind="camp", sessions=3, allow_walk_ins=True, title="暑期夏令营")
    for session in camp.sessions.all():
        with in_session(session):
            attendance_walk_in(actor=course.programme.worker, session=session, person=course.stranger)
    tree = course.programme.tree
    june = build_report(scope=tree.district, start=datetime.date(2024, 6, 1), end=datetime.date(2024, 6, 30))
    whole = build_report(scope=tree.community, start=datetime.date(2024, 5, 1), end=datetime.date(2024, 6, 30))
    elsewhere = build_report(scope=tree.far_community, start=datetime.date(2024, 5, 1),
                             end=datetime.date(2024, 6, 30))
    assert (june["programs"]["courses"], june["programs"]["course_attendances"],
            june["programs"]["summer_camp_days"]) == (1, 3, 1)   # the camp met on 18 and 25 May and 1 June
    assert (whole["programs"]["courses"], whole["programs"]["course_attendances"],
            whole["programs"]["summer_camp_days"]) == (1, 7, 3)
    assert (elsewhere["programs"]["courses"], elsewhere["programs"]["course_attendances"]) == (0, 0)


def test_report_business__activities_per_business_community_held_in_the_period(programme, make_user):
    tree = programme.tree
    community = place_create(code="330105001-BC01", name="新天地商务社区", kind=PlaceKind.BUSINESS_COMMUNITY,
                             parent=tree.street)
    other = place_create(code="330105001-BC02", name="运河商务社区", kind=PlaceKind.BUSINESS_COMMUNITY,
                         parent=tree.street)
    building = place_create(code="330105001-BC01-OB01", name="新天地1号楼", kind=PlaceKind.OFFICE_BUILDING,
                            parent=community)
    street_staff = make_user(RoleKind.STREET_STAFF, tree.street)
    organiser = organisation_create(name="新天地商务社区党委", kind=OrganisationKind.PARTY_ORGANISATION,
                                    place=community)
    from .activity_fixtures import Programme

    run = Programme(tree, street_staff, organiser, programme.activity)
    make_course(run, kind="activity", sessions=1, title="楼宇午间沙龙")  # at the business community, 18 May
    in_building = organisation_create(name="新天地1号楼联合党支部", kind=OrganisationKind.PARTY_ORGANISATION,
                                      place=building)
    make_course(Programme(tree, street_staff, in_building, programme.activity), kind="activity", sessions=3,
                title="楼宇读书会")  # 18 and 25 May, 1 June
    report = build_report(scope=tree.street, start=datetime.date(2024, 5, 1), end=datetime.date(2024, 5, 31))
    # the business app adds its own keys to the same rows (merged by name)
    assert [(row["name"], row["activities"]) for row in report["business"]["communities"]] == [
        ("新天地商务社区", 2), ("运河商务社区", 0)]
    june = build_report(scope=tree.street, start=datetime.date(2024, 6, 1), end=datetime.date(2024, 6, 30))
    assert june["business"]["communities"][0]["activities"] == 1  # 楼宇读书会's sessions run into June
    assert other.name in [row["name"] for row in june["business"]["communities"]]


def test_merge_contribution__named_rows_of_two_apps__merged_by_name():
    section = {"business_communities": 17, "communities": [{"name": "新天地商务社区", "office_buildings": 27}]}
    merge_contribution(section, {"communities": [{"name": "新天地商务社区", "activities": 376},
                                                 {"name": "运河商务社区", "activities": 3}]})
    assert section == {"business_communities": 17, "communities": [
        {"name": "新天地商务社区", "office_buildings": 27, "activities": 376},
        {"name": "运河商务社区", "activities": 3}]}


def test_report_summary__programs__states_the_figures(course):
    from commonground.core.reporting import report_summary

    sentences = report_summary("programs", {"courses": 12, "course_attendances": 4222, "summer_camp_days": 40})
    assert "12 courses were held in the period, with 4,222 attendances recorded." in sentences
    assert "The summer camp ran on 40 days." in sentences
