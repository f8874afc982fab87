"""The commercial vitality index: the formula on a hand-made example, its computation from the roll-ups and
ledgers (idempotent), the nightly task, and the page (formula shown, scoped, a fixed number of queries)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.cockpit import vitality
from commonground.cockpit.models import VitalityDay
from commonground.cockpit.services.vitality import vitality_compute

TODAY = datetime.date(2024, 5, 6)
D = Decimal


def test_index__hand_made_example__weighted_mean_of_the_scores():
    """Foot traffic 1.2× its usual → 60; spending 0.5× → 25; occupancy 80% → 80; 2 new firms per 100 → 40;
    4 activities → 40; 10 cases per 1,000 firms → 80. With the default weights (sum 1.00):
    60×.25 + 25×.20 + 80×.20 + 40×.10 + 40×.10 + 80×.15 = 15 + 5 + 16 + 4 + 4 + 12 = 56.00."""
    raw = vitality.Raw(foot_traffic=D("1.2"), spending=D("0.5"), occupancy=D("80"), new_enterprises=D("2"),
                       activities=D("4"), open_issues=D("10"))
    value, parts = vitality.index(raw, vitality.DEFAULT_WEIGHTS)
    assert value == D("56.00")
    assert {part: (row["score"], row["weight"], row["contribution"]) for part, row in parts.items()} == {
        "foot_traffic": ("60.00", "0.25", "15.00"), "spending": ("25.00", "0.20", "5.00"),
        "occupancy": ("80.00", "0.20", "16.00"), "new_enterprises": ("40.00", "0.10", "4.00"),
        "activities": ("40.00", "0.10", "4.00"), "open_issues": ("80.00", "0.15", "12.00")}


def test_index__missing_parts__weights_shared_out_over_the_others():
    """Only occupancy 50% (→ 50) and 60 cases per 1,000 firms (→ 0, not below): (50×.20 + 0×.15) ÷ .35 = 28.57."""
    value, parts = vitality.index(vitality.Raw(occupancy=D("50"), open_issues=D("60")), vitality.DEFAULT_WEIGHTS)
    assert value == D("28.57")
    assert set(parts) == {"occupancy", "open_issues"}
    assert parts["open_issues"]["score"] == "0.00"


def test_index__scores_capped_at_100_and_nothing_measured__none():
    assert vitality.score("foot_traffic", D("3")) == D("100.00")
    assert vitality.score("activities", D("25")) == D("100.00")
    assert vitality.index(vitality.Raw(), vitality.DEFAULT_WEIGHTS) == (None, {})


def test_weights__from_settings(settings):
    settings.CG_COCKPIT_VITALITY_WEIGHTS = {"foot_traffic": 1, "spending": 0}
    weights = vitality.weights()
    assert weights["foot_traffic"] == D("1") and weights["spending"] == D("0")
    assert weights["occupancy"] == vitality.DEFAULT_WEIGHTS["occupancy"]


def test_baseline__median_of_the_weeks_that_reported():
    assert vitality.baseline([D(100), D(300), D(200)]) == D(200)
    assert vitality.baseline([D(100), D(200)]) == D(150)
    assert vitality.baseline([]) is None


def test_vitality_compute__business_community__parts_from_rollups_and_ledgers(dash):
    """武林商务社区 on 2024-05-06: foot traffic 300 against the median of 100/200/300 = 1.50 → 75; occupancy
    (20,000 − 5,000) ÷ 20,000 = 75% → 75; no new firm of 3 → 0; no activity → 0; no case → 100; no spending.
    Weights .25/.20/.10/.10/.15 of .80: 75×.3125 + 75×.25 + 0 + 0 + 100×.1875 = 23.44 + 18.75 + 18.75 = 60.94."""
    vitality_compute(first=TODAY)
    row = VitalityDay.objects.get(unit_path=dash.business.community.path, day=TODAY)
    assert row.index == D("60.94")
    assert {part: (values["raw"], values["score"], values["contribution"]) for part, values in row.parts.items()} == {
        "foot_traffic": ("1.50", "75.00", "23.44"), "occupancy": ("75.00", "75.00", "18.75"),
        "new_enterprises": ("0.00", "0.00", "0.00"), "activities": ("0", "0.00", "0.00"),
        "open_issues": ("0.00", "100.00", "18.75")}


def test_vitality_compute__street__counts_its_communities_and_cases(dash):
    """武林街道: foot traffic today 420 (gate 120, B-1 300) against the Mondays' 110/220/330 → 1.91 → 95.5;
    2 cases in 30 days of 3 firms → 666.67 per 1,000 → 0."""
    vitality_compute(first=TODAY)
    parts = VitalityDay.objects.get(unit_path=dash.signals.tree.street.path, day=TODAY).parts
    assert (parts["foot_traffic"]["raw"], parts["foot_traffic"]["score"]) == ("1.91", "95.50")
    assert (parts["open_issues"]["raw"], parts["open_issues"]["score"]) == ("666.67", "0.00")


def test_vitality_compute__run_twice__same_rows(dash):
    first = vitality_compute(first=TODAY - datetime.timedelta(days=2), last=TODAY)
    rows = list(VitalityDay.objects.order_by("unit_path", "day").values_list("unit_path", "day", "index", "parts"))
    assert vitality_compute(first=TODAY - datetime.timedelta(days=2), last=TODAY) == first
    assert list(VitalityDay.objects.order_by("unit_path", "day").values_list(
        "unit_path", "day", "index", "parts")) == rows
    assert first == 4 * 3  # two streets and two business communities, three days


def test_vitality_compute__range__fixed_number_of_queries(dash):
    with CaptureQueriesContext(connection) as one:
        vitality_compute(first=TODAY)
    with CaptureQueriesContext(connection) as many:
        vitality_compute(first=TODAY - datetime.timedelta(days=30), last=TODAY)
    assert len(many.captured_queries) == len(one.captured_queries)


def test_compute_vitality_task__nightly__yesterday_and_today(dash):
    from commonground.cockpit.tasks import compute_vitality_task

    assert compute_vitality_task() == 8
    assert set(VitalityDay.objects.values_list("day", flat=True)) == {TODAY - datetime.timedelta(days=1), TODAY}


def test_vitality_page__street_staff__formula_and_ranking(dash, client):
    vitality_compute(first=TODAY - datetime.timedelta(days=6), last=TODAY)
    client.force_login(dash.signals.staff)
    response = client.get(f"/cockpit/vitality/?unit={dash.business.community.code}")
    assert response.status_code == 200
    assert response.context["chosen"] == dash.business.community
    assert response.context["index"] == D("60.94")
    assert [row["part"] for row in response.context["formula"]] == [
        "foot_traffic", "occupancy", "new_enterprises", "activities", "open_issues"]
    # the street: foot traffic 95.5 × .3125 + occupancy 75 × .25 + 0 + 0 + cases 0 = 29.84 + 18.75 = 48.59
    assert [(row["unit"], row["index"]) for row in response.context["ranking"]] == [
        (dash.business.community, D("60.94")), (dash.signals.tree.street, D("48.59"))]
    assert len(response.context["chart"]["trend"]) == 7
    assert "天水" not in response.content.decode()


def test_vitality_page__other_streets_unit__not_offered(dash, client):
    vitality_compute(first=TODAY)
    client.force_login(dash.signals.far_staff)
    response = client.get(f"/cockpit/vitality/?unit={dash.business.community.code}")
    assert response.context["chosen"] == dash.business.far_community
    assert dash.business.community not in response.context["units"]
    assert client.get(f"/cockpit/vitality/?place={dash.signals.tree.street.code}").status_code == 404


def test_vitality_page__one_and_many_days__same_number_of_queries(dash, client):
    client.force_login(dash.signals.staff)
    vitality_compute(first=TODAY)
    client.get("/cockpit/vitality/")
    with CaptureQueriesContext(connection) as one:
        client.get("/cockpit/vitality/")
    vitality_compute(first=TODAY - datetime.timedelta(days=40), last=TODAY)
    with CaptureQueriesContext(connection) as many:
        client.get("/cockpit/vitality/")
    assert len(many.captured_queries) == len(one.captured_queries)


def test_demo_vitality__builds_the_last_90_days(dash):
    from commonground.cockpit.demo import vitality as demo_vitality

    class Ctx:
        counts: dict = {}

        def add_count(self, name, n):
            self.counts[name] = n

    ctx = Ctx()
    demo_vitality.build(ctx)
    assert ctx.counts == {"vitality days": 4 * 90}
    assert VitalityDay.objects.filter(day=TODAY - datetime.timedelta(days=89)).count() == 4
