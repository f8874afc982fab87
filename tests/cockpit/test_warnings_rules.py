"""The rules of the early warnings: the synthetic generator, each rule's pure detector and its database part
(fires, does not fire), and the rule settings."""

from __future__ import annotations

import datetime

import pytest

from commonground.cases.models import Category, Channel, Stage, StandingTally
from commonground.cases.services.categories import category_seed
from commonground.cases.services.intake import case_report
from commonground.cockpit import rules, synthetic
from commonground.cockpit.warnings import anomaly, case_surge, crowding, overdue, scoring
from commonground.core import clock
from commonground.core.rollups import rollup_add

from .signals_fixtures import NOW, TZ
from .warnings_fixtures import feed

START = datetime.datetime(2023, 3, 6, 0)  # a Monday, local time
P = rules.AnomalyParams(weeks=4, z=4.0, ratio=0.3, persistence=2)


def test_foot_traffic__same_seed__same_series_and_events():
    assert synthetic.foot_traffic(7, START, 8 * 168) == synthetic.foot_traffic(7, START, 8 * 168)
    assert synthetic.foot_traffic(7, START, 8 * 168)[0] != synthetic.foot_traffic(8, START, 8 * 168)[0]


def test_foot_traffic__events__lie_after_the_quiet_weeks_and_do_not_overlap():
    for seed in range(20):
        values, events = synthetic.foot_traffic(seed, START, 12 * 168, events_per_week=1.0)
        assert all(event.start >= 28 * 24 for event in events)
        assert all(a.end <= b.start for a, b in zip(events, events[1:], strict=False))
        for event in events:
            if event.kind == synthetic.OUTAGE:
                assert values[event.start:event.end] == [0] * event.length
            if event.kind == synthetic.SHIFT:
                assert 3 <= event.length <= 12 and event.factor in (0.5, 1.5)


def test_foot_traffic__holiday__busier_than_the_working_day_before():
    expected = synthetic.baseline(3, datetime.datetime(2023, 9, 28, 0), 48)  # Thu 28th workday, Fri 29th 中秋
    assert sum(expected[24:]) > 1.2 * sum(expected[:24])


def test_foot_traffic__asian_games__busier_than_a_month_before():
    before = synthetic.baseline(3, datetime.datetime(2023, 8, 23, 0), 24)  # a Wednesday
    during = synthetic.baseline(3, datetime.datetime(2023, 9, 27, 0), 24)  # a Wednesday of the Games
    assert sum(during) == pytest.approx(1.25 * sum(before))


def flat(hours: int, value: float = 100.0) -> list[float | None]:
    return [value] * hours


def test_anomaly_detect__shift_of_two_hours__one_episode_from_its_first_hour():
    values = flat(5 * 168)
    values[4 * 168 + 10] = values[4 * 168 + 11] = values[4 * 168 + 12] = 200.0
    episodes = anomaly.detect(values, START, first=4 * 168, params=P)
    assert [(e.start, e.end, e.direction, e.alert_at) for e in episodes] == [
        (4 * 168 + 10, 4 * 168 + 13, 1, 4 * 168 + 11)]
    assert episodes[0].z == 10.0  # (200 - 100) / max(√100, 10% of 100)


def test_anomaly_detect__a_single_spike__no_episode():
    values = flat(5 * 168)
    values[4 * 168 + 10] = 500.0
    assert anomaly.detect(values, START, first=4 * 168, params=P) == []


def test_anomaly_detect__drop_below_the_ratio__no_episode():
    values = flat(5 * 168)
    for index in range(4 * 168 + 10, 4 * 168 + 16):
        values[index] = 75.0  # z 2.5: not unusual
    assert anomaly.detect(values, START, first=4 * 168, params=P) == []


def test_anomaly_detect__outage__a_downward_episode():
    values = flat(5 * 168)
    for index in range(4 * 168 + 10, 4 * 168 + 14):
        values[index] = 0.0
    assert [(e.start, e.end, e.direction) for e in anomaly.detect(values, START, first=4 * 168, params=P)] == [
        (4 * 168 + 10, 4 * 168 + 14, -1)]


def test_anomaly_detect__missing_history__no_episode():
    values: list[float | None] = [None] * (4 * 168) + flat(168, 500.0)
    assert anomaly.detect(values, START, first=4 * 168, params=P) == []


def test_anomaly_references__adjusted_working_saturday__compared_with_working_days():
    # 2023-10-07 (Saturday) was a working day after the National Day holiday: its baseline is not the Saturdays
    start = datetime.datetime(2023, 8, 1, 0)
    index = int((datetime.datetime(2023, 10, 7, 10) - start).total_seconds() // 3600)
    days = [(start + datetime.timedelta(hours=i)).date() for i in anomaly.references(index, start, 4)]
    assert days and all(not anomaly.is_rest_day(day) for day in days)


def test_anomaly_detect__synthetic_series__meets_the_goals_on_tuning_seeds():
    total, hours = scoring.Score(), 0
    for seed in range(12):
        values, events = synthetic.foot_traffic(seed, START, 12 * 168)
        episodes = anomaly.detect(values, START, first=4 * 168, params=P)
        total.add(scoring.score(events, [e.alert_at for e in episodes], scored_kinds={synthetic.SHIFT}))
        hours += 8 * 168
    assert total.recall >= 0.8
    assert total.false_alerts / (hours / (4 * 168)) <= 1.0


def test_scoring__alert_two_hours_after_start__found_three_after__false():
    event = synthetic.Event(synthetic.SHIFT, 100, 1, 1.5)
    assert scoring.score([event], [102]).found == 1
    result = scoring.score([event], [103])
    assert (result.found, result.false_alerts, result.precision) == (0, 1, 0.0)


def test_case_surge_detect__three_times_for_two_days__found_on_the_first_or_second_day():
    counts = [4, 5, 3, 4, 4, 5, 4] * 4 + [13, 12, 4]
    surges = case_surge.detect(counts, first=28)
    assert [(s.start, s.count) for s in surges] == [(28, 13)]


def test_case_surge_detect__usual_days__nothing():
    assert case_surge.detect([4, 5, 3, 4, 4, 5, 4] * 5, first=28) == []


def test_case_surge_detect__synthetic_surges__recall_at_least_0_8():
    total = scoring.Score()
    for seed in range(40):
        counts, events = synthetic.case_counts(seed, 150)
        total.add(scoring.score(events, [s.alert_at for s in case_surge.detect(counts, first=28)], grace=0))
    assert total.events > 20 and total.recall >= 0.8


def test_poisson_tail__exact_values():
    assert case_surge.poisson_tail(0, 3.0) == 1.0
    assert case_surge.poisson_tail(1, 2.0) == pytest.approx(1 - 0.1353352832, abs=1e-9)


def test_crowded__hours_above_capacity__their_indexes():
    assert crowding.crowded([400, 501, None, 500, 700], 500) == [1, 4]


def test_overdue_piled_up__thresholds():
    assert overdue.piled_up(10, 50, minimum=10, share=0.2)
    assert not overdue.piled_up(9, 20, minimum=10, share=0.2)
    assert not overdue.piled_up(10, 60, minimum=10, share=0.2)


def test_warning_setting__override_in_settings__used(settings):
    settings.CG_COCKPIT_WARNINGS = {"anomaly": {"z": 5.5}}
    assert rules.anomaly_params().z == 5.5
    assert rules.cooldown("crowding") == datetime.timedelta(hours=6)


# ---- the database part of each rule --------------------------------------------------------------------------

def test_crowding_findings__hour_above_capacity__a_finding_for_the_sensor(signals):
    feed(signals, signals.gate, [300, 520, 480])
    feed(signals, signals.far, [200, 250, 290])
    found = crowding.findings(clock.now())
    assert [(f.key, f.severity, f.began_at) for f in found] == [
        (f"crowding:{signals.gate.pk}", 2, NOW - datetime.timedelta(hours=2))]
    assert found[0].evidence["marked"] == ["05-06 10:00"]


def test_crowding_findings__far_above_capacity__serious(signals):
    feed(signals, signals.far, [200, 250, 400])
    assert [f.severity for f in crowding.findings(clock.now())] == [3]


def test_anomaly_findings__three_hours_doubled__fires_with_evidence(signals):
    values = [100.0] * (5 * 168)
    values[-3:] = [210.0, 220.0, 230.0]
    feed(signals, signals.square, values)
    found = anomaly.findings(clock.now())
    assert [(f.key, f.began_at) for f in found] == [
        (f"anomaly:{signals.square.pk}", NOW - datetime.timedelta(hours=3))]
    assert found[0].evidence["marked"] == ["05-06 09:00", "05-06 10:00", "05-06 11:00"]
    assert found[0].evidence["baseline"][-1] == 100.0


def test_anomaly_findings__usual_hours__nothing(signals):
    feed(signals, signals.square, [100.0] * (5 * 168 - 2) + [104.0, 97.0])
    assert anomaly.findings(clock.now()) == []


def test_case_surge_findings__a_category_tripled_in_a_street__fires(signals):
    category_seed()
    category = Category.objects.get(code="early-warning")
    staff = signals.staff
    for days_ago in range(1, 30):
        for n in range(1 if days_ago > 1 else 6):
            moment = datetime.datetime.combine(NOW.date() - datetime.timedelta(days=days_ago),
                                               datetime.time(9, n), tzinfo=TZ)
            with clock.frozen_at(moment):
                case_report(actor=staff, category=category, description="人流异常，请核查现场情况。",
                            place=signals.tree.community, channel=Channel.STAFF)
    with clock.frozen_at(NOW.replace(hour=10)):
        for _n in range(6):
            case_report(actor=staff, category=category, description="人流异常，请核查现场情况。",
                        place=signals.tree.community, channel=Channel.STAFF)
    found = case_surge.findings(NOW)
    assert [(f.key, f.place) for f in found] == [
        (f"case_surge:{category.pk}:{signals.tree.street.path}", signals.tree.street)]


def test_case_surge_findings__usual_counts__nothing(signals):
    category_seed()
    category = Category.objects.get(code="early-warning")
    for days_ago in range(0, 10):
        with clock.frozen_at(datetime.datetime.combine(NOW.date() - datetime.timedelta(days=days_ago),
                                                       datetime.time(9), tzinfo=TZ)):
            case_report(actor=signals.staff, category=category, description="人流异常，请核查现场情况。",
                        place=signals.tree.community, channel=Channel.STAFF)
    assert case_surge.findings(NOW) == []


def test_overdue_findings__standing_tally_overdue_share__fires_for_the_community(signals):
    unit = signals.tree.community.path
    rollup_add(StandingTally, {(unit, Stage.HANDLE, True, ""): [12, 0, 0, 0, 0],
                               (unit, Stage.HANDLE, False, ""): [20, 0, 0, 0, 0],
                               (signals.tree.far_community.path, Stage.HANDLE, True, ""): [3, 0, 0, 0, 0]})
    found = overdue.findings(NOW)
    assert [(f.key, f.evidence) for f in found] == [
        (f"overdue_pileup:{unit}", {"kind": "figures", "overdue": 12, "open": 32})]
