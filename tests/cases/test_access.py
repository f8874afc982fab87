"""access_case: one rule for the case pages, the API and the queue (a stranger learns nothing from a number)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from commonground.cases.selectors import access_case, visible_cases
from commonground.cases.services.intake import case_report


@pytest.fixture
def reported(located, categories, people):
    return case_report(actor=people["resident"], category=categories["rubbish"], place=located.building,
                       description="楼道口垃圾三天没人清理")


def test_access_case__stranger__404(reported, people):
    with pytest.raises(Http404):
        access_case(people["neighbour_worker"], reported.number)
    with pytest.raises(Http404):
        access_case(people["neighbour_worker"], reported.number, "case.accept")


def test_access_case__unknown_number__404(reported, people):
    with pytest.raises(Http404):
        access_case(people["worker"], "NO-SUCH-CASE")


def test_access_case__reporter_sees_own_but_may_not_accept__403(reported, people):
    assert access_case(people["resident"], reported.number) == reported
    with pytest.raises(PermissionDenied):
        access_case(people["resident"], reported.number, "case.accept")


def test_access_case__worker_in_scope__case_with_what_the_page_shows(reported, located, people,
                                                                   django_assert_num_queries):
    access_case(people["worker"], reported.number)  # the worker's roles are loaded once per request
    with django_assert_num_queries(1):
        case = access_case(people["worker"], reported.number, "case.accept")
    with django_assert_num_queries(0):
        assert (case.category.code, case.place.parent.code, case.reporter.person.name) == (
            "exposed-rubbish", located.estate.code, "张三")


def test_access_case__with_events__log_loaded(reported, people, django_assert_num_queries):
    case = access_case(people["worker"], reported.number, with_events=True)
    with django_assert_num_queries(0):
        assert [event.action for event in case.events.all()] == ["reported"]


@pytest.mark.parametrize("who", ["resident", "neighbour_resident", "grid", "worker", "neighbour_worker", "street"])
def test_access_case__agrees_with_visible_cases(reported, people, who):
    listed = visible_cases(people[who]).filter(pk=reported.pk).exists()
    try:
        access_case(people[who], reported.number)
    except Http404:
        opened = False
    else:
        opened = True
    assert opened == listed
