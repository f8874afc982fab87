"""The roll-ups the figures and the report read: every service step keeps them equal to a recount of the cases,
a moved place takes its counts along, the command finds and mends a difference, and the counts read from them
equal counts made on the case table."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command

from commonground.cases.models import Case, ReportedTally, Stage, StandingTally
from commonground.cases.services.deadlines import tick
from commonground.cases.services.intake import case_report
from commonground.cases.services.tallies import tallies_compare, tallies_deferred
from commonground.cases.services.workflow import (
    case_accept,
    case_dispatch,
    case_escalate,
    case_feedback,
    case_merge,
    case_note,
    case_rate,
    case_reject,
    case_verify,
)
from commonground.cases.tally_selectors import Scope, closed_counts, reported_counts, whole_months
from commonground.core.services.places import place_move
from tests.conftest import start_clock_on

from .conftest import at, frozen

EQUAL = {"standingtally": 0, "reportedtally": 0, "reportedcategorytally": 0, "closedtally": 0}


def agree() -> bool:
    return tallies_compare() == EQUAL


def report(people, categories, place, moment, reporter="resident") -> Case:
    with frozen(moment):
        return case_report(actor=people[reporter], category=categories["rubbish"], place=place,
                           description="楼道堆满杂物")


def test_every_step_of_a_case__roll_ups_equal_a_recount(located, categories, people):
    p = people
    case = report(p, categories, located.building, at(2024, 3, 31, 23, 50))  # closed in April: another month
    assert agree() and StandingTally.objects.get(stage=Stage.COLLECT).n == 1
    steps = [
        lambda c: case_accept(case=c, actor=p["worker"]),
        lambda c: case_dispatch(case=c, actor=p["worker"]),
        lambda c: case_note(case=c, actor=p["grid"], note="已到现场"),
        lambda c: case_feedback(case=c, actor=p["grid"], note="已清理"),
        lambda c: case_verify(case=c, actor=p["checker"], approved=True),
        lambda c: case_rate(case=c, actor=p["resident"], rating=1),  # reopened once
        lambda c: case_feedback(case=c, actor=p["grid"], note="再次清理"),
        lambda c: case_verify(case=c, actor=p["checker"], approved=True),
        lambda c: case_rate(case=c, actor=p["resident"], rating=2),  # dissatisfied again: one level up
        lambda c: case_escalate(case=c, actor=p["street"], reason="社区无法解决"),
    ]
    for hour, step in enumerate(steps, 1):
        with frozen(at(2024, 4, 1, hour)):
            case = step(Case.objects.get(pk=case.pk))
        assert agree(), step
    assert StandingTally.objects.filter(n__gt=0).count() == 1


def test_reject_merge_and_overdue__roll_ups_equal_a_recount(located, categories, people):
    p = people
    first = report(p, categories, located.building, at(2024, 5, 1, 9))
    second = report(p, categories, located.building, at(2024, 5, 1, 10))
    third = report(p, categories, located.estate, at(2024, 5, 1, 11))
    with frozen(at(2024, 5, 1, 12)):
        case_reject(case=third, actor=p["worker"], reason="不属实")
        case_accept(case=first, actor=p["worker"])
        case_merge(duplicate=second, into=first, actor=p["worker"])
        case_dispatch(case=first, actor=p["worker"])
    assert agree()
    with frozen(at(2024, 6, 1, 12)):  # long past the deadline: the tick escalates it or marks it overdue
        tick()
    assert agree()


def test_deferred__nothing_written_inside__the_sum_written_at_the_end_equals_a_recount(located, categories,
                                                                                       people):
    p = people
    with tallies_deferred():
        first = report(p, categories, located.building, at(2024, 5, 1, 9))
        report(p, categories, located.estate, at(2024, 5, 2, 9))
        with frozen(at(2024, 5, 3, 9)):
            case_accept(case=first, actor=p["worker"])
            case_dispatch(case=first, actor=p["worker"])
        assert not StandingTally.objects.filter(n__gt=0).exists()
    assert agree() and StandingTally.objects.filter(n__gt=0).count() == 2


def test_moving_an_estate_to_another_community__counts_move_with_it(located, categories, people):
    report(people, categories, located.building, at(2024, 5, 1, 9))
    report(people, categories, located.neighbour_estate, at(2024, 5, 1, 9), reporter="neighbour_resident")
    place_move(place=located.estate, new_parent=located.neighbour)
    assert agree()
    assert set(ReportedTally.objects.filter(n__gt=0).values_list("unit_path", flat=True)) == {
        located.neighbour.path}


def test_moving_a_community_to_another_street__counts_move_with_it(located, categories, people):
    report(people, categories, located.building, at(2024, 5, 1, 9))
    place_move(place=located.community, new_parent=located.other_street)
    located.community.refresh_from_db()
    assert agree()
    assert ReportedTally.objects.get(n__gt=0).unit_path == located.community.path


def test_command__a_difference__reported_then_mended_by_rebuild(located, categories, people, capsys):
    case = report(people, categories, located.building, at(2024, 5, 1, 9))
    call_command("tallies")
    Case.objects.filter(pk=case.pk).update(stage=Stage.REJECTED)  # past the services
    with pytest.raises(CommandError):
        call_command("tallies")
    call_command("tallies", "--rebuild")
    assert agree()
    assert "standingtally 1" in capsys.readouterr().out


def test_counts__from_roll_ups_and_partial_months__equal_the_case_table(located, categories, people):
    moments = [at(2024, 1, 31, 23, 30), at(2024, 2, 1, 0, 30), at(2024, 2, 15, 12), at(2024, 3, 1, 9),
               at(2024, 3, 20, 9), at(2024, 4, 2, 9)]
    for moment in moments:
        case = report(people, categories, located.building, moment)
        with frozen(moment + datetime.timedelta(hours=1)):
            case_accept(case=case, actor=people["worker"])
            case = case_dispatch(case=case, actor=people["worker"])
            case_feedback(case=case, actor=people["grid"], note="已处理")
            case_verify(case=case, actor=people["checker"], approved=True)
    start_clock_on(datetime.date(2024, 4, 30))
    everywhere = Scope.of(people["district"], None)
    for first, last in [(datetime.date(2024, 1, 1), datetime.date(2024, 4, 30)),
                        (datetime.date(2024, 2, 1), datetime.date(2024, 3, 19)),
                        (datetime.date(2024, 1, 31), datetime.date(2024, 2, 1))]:
        start, end = at(first.year, first.month, first.day), at(last.year, last.month, last.day) + \
            datetime.timedelta(days=1)
        created = Case.objects.filter(created_at__gte=start, created_at__lt=end).count()
        closed = Case.objects.filter(closed_at__gte=start, closed_at__lt=end).count()
        assert reported_counts(everywhere, first, last)[0]["n"] == created
        assert closed_counts(everywhere, first, last)[0]["n"] == closed


def test_whole_months__parts_at_the_ends__a_month_running_past_today_is_whole(db):
    start_clock_on(datetime.date(2024, 4, 10))
    months, parts = whole_months(datetime.date(2024, 1, 15), datetime.date(2024, 4, 10))
    assert months == [datetime.date(2024, 2, 1), datetime.date(2024, 3, 1), datetime.date(2024, 4, 1)]
    assert parts == [(datetime.date(2024, 1, 15), datetime.date(2024, 1, 31))]
    months, parts = whole_months(datetime.date(2024, 1, 1), datetime.date(2024, 1, 30))
    assert months == [] and parts == [(datetime.date(2024, 1, 1), datetime.date(2024, 1, 30))]


def test_scope__finer_than_a_community__counted_from_the_case_table(located, people, make_user):
    from commonground.core.models import RoleKind

    commissioner = make_user(RoleKind.BUILDING_COMMISSIONER, located.building)
    assert not Scope.of(commissioner, None).rolled_up()
    assert Scope.of(people["worker"], None).rolled_up()
    assert Scope.of(people["district"], None).paths is None  # the whole district: no place filter
    assert Scope.of(people["worker"], located.neighbour).paths == ()  # not theirs: nothing
