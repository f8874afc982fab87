"""`commonground demo --cases N`: clones of the demo's cases, moved in time, with their event logs."""

from __future__ import annotations

import datetime
import io
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max, Min

from commonground.cases.demo.synthetic import FIRST_DAY, add_cases, originals, plan
from commonground.cases.models import OPEN_STAGES, Case, CaseEvent
from commonground.cases.services.intake import case_number
from commonground.cases.services.tallies import tallies_compare
from commonground.core import clock
from commonground.core.models import Place

pytestmark = pytest.mark.slow


def test_demo_as_built__roll_ups_equal_a_recount(demo_built, db):
    assert tallies_compare() == {"standingtally": 0, "reportedtally": 0, "reportedcategorytally": 0, "closedtally": 0}
    call_command("tallies", stdout=io.StringIO())  # the command agrees (it raises when they differ)


def test_add_cases__clones_with_their_events__in_time_and_numbered_as_intake_numbers(demo_built, db):
    before = set(Case.objects.values_list("pk", flat=True))
    events_before = CaseEvent.objects.count()

    events = add_cases(600, seed=7)

    clones = Case.objects.exclude(pk__in=before)
    assert clones.count() == 600
    assert CaseEvent.objects.count() - events_before == events
    assert not clones.annotate(n=Count("events")).filter(n=0).exists()  # every clone has its log
    bounds = clones.aggregate(Min("created_at"), Max("created_at"), Max("closed_at"), Max("updated_at"))
    assert bounds["created_at__min"] >= FIRST_DAY - datetime.timedelta(days=21)
    assert max(bounds["created_at__max"], bounds["closed_at__max"], bounds["updated_at__max"]) <= clock.now()
    assert CaseEvent.objects.filter(case__in=clones).aggregate(Max("at"))["at__max"] <= clock.now()
    open_share = clones.filter(stage__in=OPEN_STAGES).count() / 600
    assert 0 < open_share < 0.05
    for clone in clones.order_by("?")[:20]:
        assert clone.number == case_number(clone.created_at, clone.pk)
        first = clone.events.order_by("at", "pk").first()
        assert (first.action, first.at) == ("reported", clone.created_at)
    assert not clones.filter(merged_into__isnull=False).exists()
    assert tallies_compare() == {"standingtally": 0, "reportedtally": 0, "reportedcategorytally": 0, "closedtally": 0}  # counted as copied
    assert set(clones.values_list("place_path", flat=True)) <= set(Place.objects.values_list("path", flat=True))


def test_plan__same_seed__same_originals_and_shifts(demo_built, db):
    closed, still_open = originals()
    now = clock.now()  # (the demo's clock runs on)

    first = plan(200, random.Random(3), now, closed, still_open)
    again = plan(200, random.Random(3), now, closed, still_open)
    other = plan(200, random.Random(4), now, closed, still_open)

    assert first == again != other
    assert {original for original, _shift in first} <= {o.pk for o in closed + still_open}


def test_demo_command__cases_into_the_built_demo__adds_them(demo_built, db):
    count = Case.objects.count()
    out = io.StringIO()

    call_command("demo", "--cases", "120", "--no-progress", stdout=out)

    assert Case.objects.count() == count + 120
    assert "120" in out.getvalue()


def test_demo_command__negative_cases__refused(demo_built, db):
    with pytest.raises(CommandError):
        call_command("demo", "--cases", "-5", "--no-progress", stdout=io.StringIO())
