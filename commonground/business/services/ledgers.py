"""Writes to the ledgers: enterprises, their tax records, a building's ledger facts."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import Place, PlaceKind, User
from commonground.core.models.places import scope_columns
from commonground.core.permissions import require
from commonground.core.validators import validate_credit_code

from .. import rules
from ..grading import Indicator, clean_values, grade, indicators_from
from ..models import BuildingLedger, Enterprise, EnterpriseStatus, TaxRecord

BUILDING_KINDS = (PlaceKind.OFFICE_BUILDING, PlaceKind.BUILDING)
ENTERPRISE_FIELDS = ("name", "industry_code", "registered_capital", "registered_on", "registered_address",
                     "registered_building", "building", "floor", "room", "headcount", "status", "tier",
                     "moved_in_on", "moved_out_on", "tags", "lease_ends_on",
                     "registration_move_announced_on")


def business_building_check(place: Place | None, field: str) -> None:
    """A ledger building is an office or serviced-apartment building inside a business community."""
    if place is None:
        return
    if place.kind not in BUILDING_KINDS or not place.parent_id or place.parent.kind != PlaceKind.BUSINESS_COMMUNITY:
        raise ValidationError({field: _("%(place)s is not a building of a business community.") % {"place": place}})


def enterprise_scope(enterprise: Enterprise) -> dict[str, str]:
    """The scope columns of an enterprise: its premises' building, else its registration building."""
    place = enterprise.building or enterprise.registered_building
    return scope_columns(Enterprise, place.path)


def _clean(enterprise: Enterprise) -> None:
    business_building_check(enterprise.building, "building")
    business_building_check(enterprise.registered_building, "registered_building")
    if enterprise.building is None and enterprise.registered_building is None:
        raise ValidationError({"building": _("Give the building where the enterprise is or where it is registered.")})
    if enterprise.registered_capital is not None and enterprise.registered_capital < 0:
        raise ValidationError({"registered_capital": _("The registered capital cannot be negative.")})
    if enterprise.registered_on and enterprise.registered_on > clock.today():
        raise ValidationError({"registered_on": _("The registration date cannot be in the future.")})
    if enterprise.moved_in_on and enterprise.moved_out_on and enterprise.moved_out_on < enterprise.moved_in_on:
        raise ValidationError({"moved_out_on": _("The firm cannot move out before it moved in.")})
    if enterprise.status == EnterpriseStatus.MOVED_OUT and not enterprise.moved_out_on:
        raise ValidationError({"moved_out_on": _("Give the day the firm moved out.")})


@transaction.atomic
def enterprise_create(*, actor: User, credit_code: str, name: str, registered_on: datetime.date,
                      **fields: Any) -> Enterprise:
    """Enter an enterprise in the ledger; its credit code must be valid and not in the ledger yet."""
    code = (credit_code or "").strip().upper()
    try:
        validate_credit_code(code)
    except ValidationError as error:
        raise ValidationError({"credit_code": error.messages}) from None
    if Enterprise.objects.filter(credit_code=code).exists():
        raise ValidationError({"credit_code": _("An enterprise with this credit code is already in the ledger.")})
    unknown = set(fields) - set(ENTERPRISE_FIELDS)
    if unknown:
        raise TypeError(f"unknown enterprise fields: {sorted(unknown)}")
    enterprise = Enterprise(credit_code=code, name=(name or "").strip(), registered_on=registered_on, **fields)
    if not enterprise.name:
        raise ValidationError({"name": _("Give the enterprise's name.")})
    _clean(enterprise)
    require(actor, "enterprise.manage", enterprise.building or enterprise.registered_building)
    for field, value in enterprise_scope(enterprise).items():
        setattr(enterprise, field, value)
    enterprise.save()
    return enterprise


@transaction.atomic
def enterprise_update(*, actor: User, enterprise: Enterprise, **changes: Any) -> Enterprise:
    """Change an enterprise's ledger facts (its credit code never changes: a new code is a new firm)."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    require(actor, "enterprise.manage", enterprise)
    unknown = set(changes) - set(ENTERPRISE_FIELDS)
    if unknown:
        raise TypeError(f"unknown enterprise fields: {sorted(unknown)}")
    for field, value in changes.items():
        setattr(enterprise, field, value)
    _clean(enterprise)
    require(actor, "enterprise.manage", enterprise.building or enterprise.registered_building)
    for field, value in enterprise_scope(enterprise).items():
        setattr(enterprise, field, value)
    enterprise.save()
    return enterprise


@transaction.atomic
def tax_record_set(*, actor: User, enterprise: Enterprise, year: int, month: int, amount: Decimal) -> TaxRecord:
    """Record (or correct) the tax an enterprise paid in a month (1–12) or a whole year (month 0); the record
    stays with the building where the firm is now."""
    require(actor, "taxrecord.manage", enterprise)
    if not 0 <= month <= 12:
        raise ValidationError({"month": _("The month is 1 to 12, or 0 for the whole year.")})
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("The tax paid cannot be negative.")})
    if datetime.date(year, max(month, 1), 1) > clock.today():
        raise ValidationError({"year": _("Tax cannot be recorded for a month that has not begun.")})
    record, _created = TaxRecord.objects.update_or_create(
        enterprise=enterprise, year=year, month=month,
        defaults={"amount": amount, **scope_columns(TaxRecord, enterprise.place_path)})
    return record


def grading_indicators() -> list[Indicator]:
    """The building grade's indicators in force (settings CG_BUSINESS_GRADE_INDICATORS)."""
    return indicators_from(rules.grade_indicators())


@transaction.atomic
def building_ledger_set(*, actor: User, building: Place, vacant_area_m2: Decimal | None = None,
                        indicators: dict[str, Any] | None = None) -> BuildingLedger:
    """Set a building's ledger facts: its vacant area (within the floor area) and, when `indicators` is given,
    the grading indicators' values as entered ({code: value}); the score and grade follow from them
    (`grading.grade`, graded today). An empty `indicators` clears the grade."""
    business_building_check(building, "building")
    require(actor, "buildingledger.manage", building)
    ledger, _created = BuildingLedger.objects.select_for_update().get_or_create(
        building=building, defaults=scope_columns(BuildingLedger, building.path))
    if vacant_area_m2 is not None:
        ledger.vacant_area_m2 = vacant_area_m2
    if ledger.vacant_area_m2 < 0:
        raise ValidationError({"vacant_area_m2": _("The vacant area cannot be negative.")})
    if building.floor_area_m2 is not None and ledger.vacant_area_m2 > building.floor_area_m2:
        raise ValidationError({"vacant_area_m2": _("The vacant area cannot exceed the building's floor area.")})
    if indicators is not None:
        known = grading_indicators()
        values, errors = clean_values(known, indicators)
        if errors:
            raise ValidationError({"indicators": [
                _("Indicator %(code)s: enter a number from 0 to %(max)s.") % {"code": code, "max": top} if top
                else _("Indicator %(code)s is not one of the grading indicators.") % {"code": code}
                for code, top in sorted(errors.items())]})
        if values:
            result = grade(known, values, rules.grade_thresholds())
            ledger.indicators = {code: str(value) for code, value in values.items()}
            ledger.grade_score, ledger.grade, ledger.graded_on = result.score, result.grade, clock.today()
        else:
            ledger.indicators, ledger.grade_score, ledger.grade, ledger.graded_on = {}, None, "", None
    ledger.save()
    return ledger
