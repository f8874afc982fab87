from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.cases.models import Case, CaseEvent, ExtensionStatus, Level, Notification, Stage
from commonground.cases.services.deadlines import tick
from commonground.cases.services.intake import case_report
from commonground.cases.services.tallies import tallies_rebuild
from commonground.cases.services.workflow import (
    case_accept,
    case_dispatch,
    extension_decide,
    extension_request,
)
from commonground.cases.views._common import is_late

from .conftest import at, frozen


def dispatch_at(moment, tree, people, category) -> Case:
    with frozen(moment):
        case = case_report(actor=people["resident"], category=category, place=tree.building,
                           description="楼道口垃圾三天没人清理")
        case_accept(case=case, actor=people["worker"])
        return case_dispatch(case=case, actor=people["worker"])


def test_deadline__sla_in_working_hours_across_national_day(located, categories, people):
    # 4 working hours from Monday 30 Sept 2024 15:00: 2.5 h that day, then 1–7 Oct are holidays.
    case = dispatch_at(at(2024, 9, 30, 15, 0), located, people, categories["rubbish"])
    assert case.deadline == at(2024, 10, 8, 10, 0)


def test_deadline__make_up_workday_counts(located, categories, people):
    # Friday 11 Oct 2024 16:00 + 4 h: 1.5 h Friday, then Saturday 12 Oct is a make-up workday.
    case = dispatch_at(at(2024, 10, 11, 16, 0), located, people, categories["rubbish"])
    assert case.deadline == at(2024, 10, 12, 11, 0)


def test_tick__overdue_case__escalated_once_and_second_run_changes_nothing(located, categories, people):
    case = dispatch_at(at(2024, 9, 23, 9, 0), located, people, categories["rubbish"])  # 4 working hours: due 14:30
    late = at(2024, 9, 24, 9, 0)
    with frozen(late):
        first = tick()
    case.refresh_from_db()
    assert (first.escalated, case.level, case.handling_place, case.is_overdue, case.stage) == (
        1, Level.STREET, located.street, False, Stage.DISPATCH)
    assert case.deadline > late
    assert CaseEvent.objects.filter(case=case, action="escalated").get().data == {
        "level": Level.STREET, "handling_place": located.street.code, "overdue": True}
    state = (list(Case.objects.values()), CaseEvent.objects.count(), Notification.objects.count())
    with frozen(late):
        second = tick()
    assert (second.escalated, second.warned) == (0, 0)
    assert (list(Case.objects.values()), CaseEvent.objects.count(), Notification.objects.count()) == state
    assert Notification.objects.filter(user=people["street"], case=case, kind="escalated").count() == 1


def test_tick__escalated_when_late__not_overdue_beside_the_new_deadline_until_it_passes(located, categories, people):
    """The bug: the job sent a late case up and marked it overdue beside the street's fresh deadline; at the top
    the mark then kept the job from ever noting that the district's deadline passed too."""
    case = dispatch_at(at(2024, 9, 23, 9, 0), located, people, categories["rubbish"])  # due 14:30
    with frozen(at(2024, 9, 24, 9, 0)):
        tick()  # to the street
    case.refresh_from_db()
    with frozen(case.deadline - datetime.timedelta(minutes=1)):
        assert not is_late(case) and not Case.objects.overdue().filter(pk=case.pk).exists()
    with frozen(case.deadline + datetime.timedelta(minutes=1)):
        tick()  # to the district
    case.refresh_from_db()
    assert (case.level, case.is_overdue) == (Level.DISTRICT, False)
    with frozen(case.deadline + datetime.timedelta(minutes=1)):
        tick()  # the top: marked overdue, and now it shows
        case.refresh_from_db()
        assert (case.is_overdue, is_late(case)) == (True, True)
    assert list(CaseEvent.objects.filter(case=case).values_list("action", flat=True).order_by("at", "pk"))[-3:] == [
        "escalated", "escalated", "overdue"]


def test_tick__at_75_percent__one_warning(located, categories, people):
    case = dispatch_at(at(2024, 9, 23, 9, 0), located, people, categories["rubbish"])  # 4 working hours: due 14:30
    early, warn = at(2024, 9, 23, 10, 0), at(2024, 9, 23, 13, 15)  # 3 h of 4 have passed at 12:00
    with frozen(early):
        assert tick().warned == 0
    with frozen(warn):
        assert tick().warned == 1
        assert tick().warned == 0
    assert Notification.objects.filter(case=case, kind="deadline", user=people["grid"]).count() == 1


def test_tick__top_of_ladder__marked_overdue_once(located, categories, people):
    case = dispatch_at(at(2024, 9, 23, 9, 0), located, people, categories["rubbish"])
    Case.objects.filter(pk=case.pk).update(level=Level.DISTRICT, handling_place=located.district, handling_path=located.district.path)
    tallies_rebuild()  # the update above went past the services that keep the counts
    with frozen(at(2024, 9, 30, 9, 0)):
        assert tick().escalated == 1
        events = CaseEvent.objects.filter(case=case).count()
        assert tick().escalated == 0
    assert CaseEvent.objects.filter(case=case).count() == events
    assert Case.objects.get(pk=case.pk).is_overdue is True


def test_extension__asked_before_deadline_approved_one_level_up(located, categories, people):
    case = dispatch_at(at(2024, 9, 23, 9, 0), located, people, categories["rubbish"])
    with frozen(at(2024, 9, 23, 10, 0)):
        request = extension_request(case=case, actor=people["grid"], hours=Decimal("8"), reason="需要调度清运车")
        with pytest.raises(ValidationError):
            extension_request(case=case, actor=people["grid"], hours=Decimal("2"), reason="再要两小时")
        with pytest.raises(PermissionDenied):
            extension_decide(request=request, actor=people["worker"], approve=True)  # same level
        extension_decide(request=request, actor=people["street"], approve=True)
    request.refresh_from_db()
    case.refresh_from_db()
    assert request.status == ExtensionStatus.APPROVED
    assert case.deadline == at(2024, 9, 24, 15, 0)  # due 14:30; + 8 working hours (3 + 3.5 + 1.5)


def test_extension__after_deadline__refused(located, categories, people):
    case = dispatch_at(at(2024, 9, 23, 9, 0), located, people, categories["rubbish"])
    with frozen(at(2024, 9, 23, 15, 0)), pytest.raises(ValidationError):
        extension_request(case=case, actor=people["grid"], hours=Decimal("8"), reason="来不及了")
    assert not case.extension_requests.exists()
