"""The building grade: the pure rule (weighted indicators → score → A/B/C) and the ledger service using it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.business import rules
from commonground.business.grading import Indicator, clean_values, grade
from commonground.business.models import BuildingLedger
from commonground.business.services.ledgers import building_ledger_set, grading_indicators

from .business_fixtures import TODAY

THRESHOLDS = {"A": Decimal(85), "B": Decimal(70)}
TWO = [Indicator("X1", "甲", "location", 3, 5), Indicator("X2", "乙", "economy", 1, 10)]


def test_default_indicators__forty_in_six_dimensions_weighing_100():
    indicators = grading_indicators()
    assert len(indicators) == 40
    assert {i.dimension for i in indicators} == set(rules.GRADE_DIMENSIONS)
    assert sum(i.weight for i in indicators) == 100
    assert len({i.code for i in indicators}) == 40


@pytest.mark.parametrize(("values", "score", "letter"), [
    ({"X1": Decimal(5), "X2": Decimal(10)}, Decimal("100.00"), "A"),
    ({"X1": Decimal(5), "X2": Decimal(4)}, Decimal("85.00"), "A"),      # 100 × (3 + 0.4) / 4
    ({"X1": Decimal(4), "X2": Decimal(10)}, Decimal("85.00"), "A"),     # 100 × (2.4 + 1) / 4
    ({"X1": Decimal(4), "X2": Decimal(9)}, Decimal("82.50"), "B"),
    ({"X1": Decimal(4), "X2": Decimal(0)}, Decimal("60.00"), "C"),
    ({"X1": Decimal("3.5"), "X2": Decimal(10)}, Decimal("77.50"), "B"),
    ({"X1": Decimal(4)}, Decimal("60.00"), "C"),                          # not entered counts 0
    ({}, Decimal("0.00"), "C"),
])
def test_grade__weighted_values__score_and_grade(values, score, letter):
    result = grade(TWO, values, THRESHOLDS)
    assert (result.score, result.grade) == (score, letter)


def test_grade__thresholds_inclusive_at_70():
    result = grade([Indicator("X", "x", "d", 1, 10)], {"X": Decimal(7)}, THRESHOLDS)
    assert (result.score, result.grade) == (Decimal("70.00"), "B")


def test_clean_values__out_of_range_unknown_and_text__reported():
    values, errors = clean_values(TWO, {"X1": "6", "X2": "abc", "Q9": "1", "X2b": "", "X1b": None})
    assert values == {}
    assert errors == {"X1": "5", "X2": "10", "Q9": ""}


@pytest.mark.django_db
def test_building_ledger_set__indicators__score_grade_and_day(business):
    values = {indicator.code: indicator.max for indicator in grading_indicators()}
    values["E1"] = 0  # weight 4: 96 points
    ledger = building_ledger_set(actor=business.staff, building=business.office, vacant_area_m2=Decimal("1500.50"),
                                 indicators=values)
    ledger.refresh_from_db()
    assert (ledger.grade, ledger.grade_score, ledger.graded_on) == ("A", Decimal("96.00"), TODAY)
    assert ledger.vacant_area_m2 == Decimal("1500.50")
    assert ledger.indicators["E1"] == "0"
    values.update({"E1": 5, "B1": 0, "B2": 0, "B3": 0, "B4": 0, "B5": 0, "B6": 0})  # 16 points off: 84
    ledger = building_ledger_set(actor=business.staff, building=business.office, indicators=values)
    assert (ledger.grade, ledger.grade_score, ledger.vacant_area_m2) == ("B", Decimal("84.00"), Decimal("1500.50"))
    ledger = building_ledger_set(actor=business.staff, building=business.office, indicators={})
    assert (ledger.grade, ledger.grade_score, ledger.graded_on) == ("", None, None)


@pytest.mark.django_db
def test_building_ledger_set__custom_thresholds__grade_follows(business, settings):
    settings.CG_BUSINESS_GRADE_THRESHOLDS = {"A": 95, "B": 90}
    values = {indicator.code: indicator.max for indicator in grading_indicators()} | {"E1": 0}
    ledger = building_ledger_set(actor=business.staff, building=business.office, indicators=values)
    assert (ledger.grade, ledger.grade_score) == ("A", Decimal("96.00"))
    ledger = building_ledger_set(actor=business.staff, building=business.office, indicators=values | {"E3": 0})
    assert (ledger.grade, ledger.grade_score) == ("B", Decimal("92.00"))


@pytest.mark.django_db
@pytest.mark.parametrize(("facts", "field", "message"), [
    ({"indicators": {"L1": 6}}, "indicators", "Indicator L1: enter a number from 0 to 5."),
    ({"indicators": {"ZZ": 1}}, "indicators", "Indicator ZZ is not one of the grading indicators."),
    ({"vacant_area_m2": Decimal("-1")}, "vacant_area_m2", "The vacant area cannot be negative."),
    ({"vacant_area_m2": Decimal("20000.01")}, "vacant_area_m2",
     "The vacant area cannot exceed the building's floor area."),
])
def test_building_ledger_set__bad_facts__refused_nothing_written(business, nothing_written, facts, field, message):
    with nothing_written(), pytest.raises(ValidationError) as error:
        building_ledger_set(actor=business.staff, building=business.office, **facts)
    assert error.value.message_dict[field] == [message]


@pytest.mark.django_db
def test_building_ledger_set__other_street_or_commissioner__refused(business, nothing_written):
    with nothing_written():
        for actor in (business.far_staff, business.commissioner_user):
            with pytest.raises(PermissionDenied):
                building_ledger_set(actor=actor, building=business.office, vacant_area_m2=Decimal(1))
    assert not BuildingLedger.objects.exists()
