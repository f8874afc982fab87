"""Case selectors: the queue, one case, the lead's counts, idempotency keys and open categories."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from commonground.cases.figure_selectors import case_counts
from commonground.cases.models import Case, ReporterKind
from commonground.cases.selectors import (
    QueueFilters,
    case_for,
    case_queue,
    categories_open_to,
)
from commonground.cases.services.intake import case_report
from commonground.cases.services.tallies import tallies_rebuild
from commonground.cases.services.workflow import (
    case_accept,
    case_dispatch,
    case_feedback,
    case_rate,
    case_reject,
    case_verify,
)

from .conftest import at, frozen

LIFT_ANSWERS = {"lift_number": "1号梯", "people_trapped": "否"}


def report(tree, people, category, *, reporter="resident", place=None, **kwargs) -> Case:
    if category.code == "lift-broken":
        kwargs.setdefault("answers", LIFT_ANSWERS)
    return case_report(actor=people[reporter], category=category, place=place or tree.building,
                       description="楼道口垃圾三天没人清理", **kwargs)


def dispatched(tree, people, category, moment, **kwargs) -> Case:
    with frozen(moment):
        case = report(tree, people, category, **kwargs)
        case_accept(case=case, actor=people["worker"])
        return case_dispatch(case=case, actor=people["worker"])


def closed(tree, people, category, dispatched_at, closed_at, rating: int | None = None) -> Case:
    case = dispatched(tree, people, category, dispatched_at)
    with frozen(closed_at):
        case_feedback(case=case, actor=people["grid"], note="已处理")
        case = case_verify(case=case, actor=people["worker"], approved=True)
        if rating:
            case = case_rate(case=case, actor=people["resident"], rating=rating)
    return case


@pytest.fixture
def spread(located, categories, people):
    """First community: one new, one rejected, one overdue, two closed (2 h and 4 h, rated 4 and 5);
    the neighbouring community: one new."""
    new = report(located, people, categories["rubbish"], place=located.estate)
    rejected = report(located, people, categories["rubbish"])
    case_reject(case=rejected, actor=people["worker"], reason="不属实")
    overdue = dispatched(located, people, categories["rubbish"], at(2024, 9, 23, 9, 0))
    Case.objects.filter(pk=overdue.pk).update(is_overdue=True)
    tallies_rebuild()  # the update above went past the services that keep the counts
    community = closed(located, people, categories["rubbish"], at(2024, 9, 23, 9, 0), at(2024, 9, 23, 11, 0), 4)
    building = closed(located, people, categories["lift"], at(2024, 9, 24, 9, 0), at(2024, 9, 24, 13, 0), 5)
    neighbour = report(located, people, categories["rubbish"], reporter="neighbour_resident",
                       place=located.neighbour_estate)
    return {"new": new, "rejected": rejected, "overdue": overdue, "community": community, "building": building,
            "neighbour": neighbour}


def test_case_counts__worker__figures_for_their_community(spread, people, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # roles, by stage, by level, the aggregates
        counts = case_counts(people["worker"])
    assert counts == {
        "total": 5,
        "by_stage": {"collect": 1, "create": 0, "dispatch": 1, "handle": 0, "feedback": 0, "closed": 0,
                     "evaluated": 2, "rejected": 1, "merged": 0},
        "open": 2,
        "overdue": 1,
        "closed": 2,
        "closed_by_level": {"building": 1, "estate": 0, "community": 1, "street": 0, "district": 0},
        "average_handling_hours": 3.0,
        "mean_rating": 4.5,
        "rated": 2,
    }


def test_case_counts__scope__narrowed_to_that_place(spread, people, located):
    counts = case_counts(people["street"], located.estate)
    assert (counts["total"], counts["open"], counts["closed_by_level"]["building"]) == (5, 2, 1)
    counts = case_counts(people["street"], located.neighbour_estate)
    assert (counts["total"], counts["by_stage"]["collect"], counts["closed"]) == (1, 1, 0)


def test_case_counts__other_community__none_of_ours(spread, people):
    counts = case_counts(people["neighbour_worker"])
    assert (counts["total"], counts["open"], counts["overdue"], counts["closed"]) == (1, 1, 0, 0)
    assert (counts["average_handling_hours"], counts["mean_rating"], counts["rated"]) == (None, None, 0)


def test_case_counts__resident_without_stats_permission__zero(spread, people):
    counts = case_counts(people["resident"])
    assert (counts["total"], counts["closed"], counts["mean_rating"]) == (0, 0, None)


def test_case_queue__default_open__new_first_then_soonest_deadline(spread, people, located, categories):
    sooner = dispatched(located, people, categories["lift"], at(2024, 9, 20, 9, 0))
    assert list(case_queue(people["worker"])) == [spread["new"], sooner, spread["overdue"]]


QUEUE_CASES = [
    (QueueFilters(stage="all"), ["rejected", "new", "overdue", "community", "building"]),
    (QueueFilters(stage="all", sort="newest"), ["rejected", "new", "building", "community", "overdue"]),
    (QueueFilters(stage="closed"), ["community", "building"]),
    (QueueFilters(stage="rejected"), ["rejected"]),
    (QueueFilters(stage="bogus"), []),
    (QueueFilters(stage="all", category="lift-broken"), ["building"]),
    (QueueFilters(stage="all", category="environment"), ["rejected", "new", "overdue", "community"]),
    (QueueFilters(stage="all", place="330105001001-E1-B1"), ["rejected", "overdue", "community", "building"]),
    (QueueFilters(overdue=True), ["overdue"]),
    ({"stage": "all", "overdue": "1"}, ["overdue"]),
    (QueryDict("stage=closed&category=exposed-rubbish"), ["community"]),
]


def test_case_queue__filters(spread, people):
    """One fixture, many filters (read-only, so they share it)."""
    for filters, expected in QUEUE_CASES:
        assert list(case_queue(people["worker"], filters)) == [spread[name] for name in expected], filters


def test_case_queue__joins_related_rows(spread, people, django_assert_num_queries):
    cases = list(case_queue(people["worker"], QueueFilters(stage="all")))
    with django_assert_num_queries(0):
        assert [(c.category.code, c.place.code, c.handling_place_id and c.handling_place.code) for c in cases][2] == (
            "exposed-rubbish", "330105001001-E1-B1", "330105001001")


def test_queue_filters__from_query_string():
    assert QueueFilters.from_mapping(QueryDict("stage=dispatch&place=X&overdue=true&page=2")) == QueueFilters(
        stage="dispatch", place="X", overdue=True)
    assert QueueFilters.from_mapping({"overdue": "no"}) == QueueFilters()


def test_case_for__visible_with_events_invisible_none(spread, people, django_assert_num_queries):
    case = case_for(people["worker"], spread["community"].number, with_events=True)
    with django_assert_num_queries(0):
        assert [e.action for e in case.events.all()][-1] == "rated"
    assert case_for(people["neighbour_worker"], spread["community"].number) is None
    assert case_for(people["resident"], spread["community"].number) == spread["community"]  # their own report
    assert case_for(people["resident"], spread["neighbour"].number) is None


def test_categories_open_to__empty_list_means_everyone(categories):
    categories["lift"].is_active = False
    categories["lift"].save()
    assert [c.code for c in categories_open_to(ReporterKind.PUBLIC)] == ["environment", "exposed-rubbish"]
    assert [c.code for c in categories_open_to(ReporterKind.ENTERPRISE)] == ["enterprise-parking", "environment"]

