"""Results computed from the answers and the case engine: exact figures on the small fixture, ranking, trend,
latest scores, and who sees which rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from commonground.cases.models import Case, Category, Channel, Stage
from commonground.cases.services.intake import case_report
from commonground.coordination.evaluation_selectors import (
    estate_evaluation,
    latest_scores,
    round_results,
    rounds_for,
    trend,
)
from commonground.coordination.services.evaluation import (
    response_submit,
    round_close,
    round_create,
    round_open,
)
from commonground.core.clock import frozen_at

from .evaluation_fixtures import OPEN_DAY, answers

pytestmark = pytest.mark.django_db


def submit(ev, i, cleaning, repairs, round=None):
    with frozen_at(OPEN_DAY):
        return response_submit(actor=ev.residents[i], round=round or ev.round, household=ev.households[i],
                               answers=answers(cleaning, repairs))


def report(ev, place, code, day):
    with frozen_at(timezone.make_aware(day)):
        return case_report(actor=ev.clerk, category=Category.objects.get(code=code), place=place,
                           description="楼上渗水到我家天花板，请物业尽快处理。", channel=Channel.STAFF)


@pytest.fixture
def answered(evaluation, tree):
    ev = evaluation
    submit(ev, 0, 5, 4)
    submit(ev, 1, 3, 3)
    submit(ev, 2, 2, 1)
    submit(ev, 4, 2, 2)
    closed = report(ev, tree.flat, "water-leak", datetime.datetime(2023, 4, 10, 9))
    report(ev, tree.building, "property-service", datetime.datetime(2023, 5, 10, 9))  # still open
    report(ev, tree.flat, "water-leak", datetime.datetime(2023, 3, 31, 9))  # before the period
    report(ev, tree.flat, "exposed-rubbish", datetime.datetime(2023, 4, 11, 9))  # not property service
    # Closed on time and rated 4 (the workflow's own tests cover getting there).
    Case.objects.filter(pk=closed.pk).update(stage=Stage.EVALUATED, closed_at=closed.created_at, rating=4)
    return ev


def test_round_results__small_fixture__exact_figures(answered):
    results = round_results(answered.clerk, answered.round)

    first, second = results.estates
    assert (first.name, first.rank, second.name, second.rank) == ("竹竿巷小区", 1, "龙游小区", 2)
    s = first.sums
    assert (s.households, s.responses, s.response_rate) == (4, 3, Decimal("75.0"))
    assert s.aspects == {"cleaning": Decimal("3.33"), "repairs": Decimal("2.67")}
    assert s.score == Decimal("62.2")  # (14 + 9 + 5) / 9 × 20
    assert (s.cases, s.closed, s.on_time, s.on_time_rate, s.rating) == (2, 1, 1, Decimal("100.0"), Decimal("4.00"))
    assert s.case_score == Decimal("90.0")  # 50 × 1 + 50 × 4 / 5
    assert s.combined == Decimal("70.5")  # 0.7 × 62.2 + 0.3 × 90
    t = second.sums
    assert (t.households, t.responses, t.response_rate, t.score, t.cases, t.combined) == (
        2, 1, Decimal("50.0"), Decimal("40.0"), 0, Decimal("40.0"))
    assert [(c.name, c.rank, c.sums.score) for c in results.companies] == [
        ("甲物业", 1, Decimal("62.2")), ("乙物业", 2, Decimal("40.0"))]
    assert (results.estates_ranked, results.companies_ranked) == (2, 2)


def test_round_results__committee_member__own_estate_only(answered):
    results = round_results(answered.committee, answered.round)

    assert [(r.name, r.rank) for r in results.estates] == [("竹竿巷小区", 1)]
    assert [c.name for c in results.companies] == ["甲物业"]


def test_round_results__community_worker__their_community_only(answered):
    results = round_results(answered.community, answered.round)

    assert [r.name for r in results.estates] == ["龙游小区"]


def test_rounds_for__other_street__nothing(answered):
    assert list(rounds_for(answered.outsider)) == []
    assert list(rounds_for(answered.committee)) == [answered.round]


def test_trend__previous_rounds__scores_oldest_first(answered, tree):
    ev = answered
    with frozen_at(OPEN_DAY + datetime.timedelta(days=20)):
        round_close(actor=ev.clerk, round=ev.round)
        later = round_create(actor=ev.clerk, questionnaire=ev.questionnaire, place=tree.street, year=2023, quarter=3,
                             opens_on=datetime.date(2023, 9, 1), closes_on=datetime.date(2023, 9, 30))
        later = round_open(actor=ev.clerk, round=later)
    submit(ev, 0, 5, 5, round=later)

    assert [(row["label"], row["score"]) for row in trend(ev.clerk, later)] == [
        ("2023 Q2 property-service evaluation", Decimal("56.7")),  # (28 + 6) / 12 × 20, both estates
        ("2023 Q3 property-service evaluation", Decimal("100.0"))]
    assert [row["score"] for row in trend(ev.clerk, later, estate=ev.estate)] == [Decimal("62.2"), Decimal("100.0")]
    assert latest_scores([ev.estate.pk, ev.neighbour_estate.pk]) == {
        ev.estate.pk: Decimal("62.2"), ev.neighbour_estate.pk: Decimal("40.0")}
    profile = estate_evaluation(ev.estate)
    assert (profile["round"], profile["open_round"], profile["sums"].score, profile["is_low"]) == (
        ev.round, later, Decimal("62.2"), False)


def test_latest_scores__one_query(answered, django_assert_num_queries):
    with django_assert_num_queries(1):
        latest_scores([answered.estate.pk])
