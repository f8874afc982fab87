"""Recording an estate's property service contract and its owners' committee's filing (coordination.manage at
the estate). Each call is a handful of queries (no full_clean: the checks are here and in the database), so the
demo's 1,200 calls take seconds."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import Organisation, OrganisationKind, Place, PlaceKind, User
from commonground.core.models.places import scope_columns
from commonground.core.permissions import require
from commonground.deliberation.models import Vote

from ..models import CommitteeFiling, PropertyContract, ServiceLevel
from ..models.profile import FILING_DAYS, TERM_MAX_YEARS, TERM_MIN_YEARS

MANAGE = "coordination.manage"
MAX_FEE = Decimal("100")  # yuan per m² per month: far above any residential fee, a typo's guard


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _estate(estate: Place) -> None:
    if estate.kind != PlaceKind.ESTATE:
        raise ValidationError({"estate": _("Choose an estate.")})


def validate_contract(contract: PropertyContract) -> None:
    """The contract's rules: a company that is a property company, a period that ends after it starts, a fee that
    is not negative, a known service level, a vote of the same estate."""
    errors: dict[str, str] = {}
    if contract.company.kind != OrganisationKind.PROPERTY_COMPANY:
        errors["company"] = _("The contract is with a property company.")
    if contract.starts_on and contract.ends_on and contract.ends_on <= contract.starts_on:
        errors["ends_on"] = _("The contract must end after it starts.")
    try:
        fee = Decimal(contract.fee_per_m2)
    except (InvalidOperation, TypeError, ValueError):
        errors["fee_per_m2"] = _("Enter the fee as a number of yuan.")
    else:
        if fee < 0:
            errors["fee_per_m2"] = _("The property fee cannot be negative.")
        elif fee > MAX_FEE or fee != fee.quantize(Decimal("0.01")):
            errors["fee_per_m2"] = _("Enter the fee in yuan per m² per month, at most 100, to the fen.")
    if contract.service_level not in ServiceLevel.values:
        errors["service_level"] = _("Choose a service standard level.")
    if contract.decided_by is not None and contract.decided_by.estate_id != contract.estate_id:
        errors["decided_by"] = _("The owners' vote must be one of this estate.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def property_contract_record(*, actor: User, estate: Place, company: Organisation, starts_on: datetime.date,
                             ends_on: datetime.date, fee_per_m2: Decimal, service_level: str,
                             decided_by: Vote | None = None, note: str = "") -> PropertyContract:
    """Record a property service contract of `estate`. `actor` may "coordination.manage" at the estate."""
    _estate(estate)
    require(actor, MANAGE, estate)
    contract = PropertyContract(estate=estate, company=company, starts_on=starts_on, ends_on=ends_on,
                                fee_per_m2=fee_per_m2, service_level=service_level, decided_by=decided_by,
                                note=(note or "").strip()[:200], recorded_by=actor,
                                **scope_columns(PropertyContract, estate.path))
    validate_contract(contract)
    contract.save()
    return contract


def _locked_with(actor: User, record: Any, fields: dict[str, Any], *, allowed: tuple[str, ...], related: str) -> Any:
    """`record` locked for an update by `actor` (coordination.manage at its estate), with `fields` set on it."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"not updatable: {sorted(unknown)}")
    require(actor, MANAGE, record)
    locked = type(record).objects.select_for_update().select_related(related).get(pk=record.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    return locked


CONTRACT_FIELDS = ("company", "starts_on", "ends_on", "fee_per_m2", "service_level", "decided_by", "note")


@transaction.atomic
def property_contract_update(*, actor: User, contract: PropertyContract, **fields: Any) -> PropertyContract:
    """Correct a recorded contract (any of CONTRACT_FIELDS). `actor` may "coordination.manage" at its estate."""
    locked = _locked_with(actor, contract, fields, allowed=CONTRACT_FIELDS, related="company")
    validate_contract(locked)
    locked.save(update_fields=[*fields, "updated_at"])
    return locked


def validate_filing(filing: CommitteeFiling) -> None:
    """RULES.md §2: a term of 3 to 5 years (it ends at the latest the day before the fifth anniversary), filed
    within 30 days of the election (the term's first day), 3 to 11 members, an owners' committee of the estate."""
    errors: dict[str, str] = {}
    committee = filing.committee
    if committee.kind != OrganisationKind.OWNERS_COMMITTEE or committee.place_id != filing.estate_id:
        errors["committee"] = _("Choose an owners' committee of this estate.")
    if filing.term_to <= filing.term_from:
        errors["term_to"] = _("The term must end after it starts.")
    elif filing.term_to >= add_years(filing.term_from, TERM_MAX_YEARS):
        errors["term_to"] = _("An owners' committee's term is at most 5 years.")
    elif filing.term_to < add_years(filing.term_from, TERM_MIN_YEARS) - datetime.timedelta(days=1):
        errors["term_to"] = _("An owners' committee's term is at least 3 years.")
    if filing.filed_on < filing.term_from:
        errors["filed_on"] = _("A committee is filed after its election.")
    elif filing.filed_on > filing.term_from + datetime.timedelta(days=FILING_DAYS):
        errors["filed_on"] = _("A committee is filed within 30 days of its election.")
    elif filing.filed_on > clock.today():
        errors["filed_on"] = _("The filing day cannot be in the future.")
    if not (3 <= filing.members <= 11):
        errors["members"] = _("An owners' committee has 3 to 11 members.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def committee_filing_record(*, actor: User, committee: Organisation, term_from: datetime.date,
                            term_to: datetime.date, filed_on: datetime.date, members: int) -> CommitteeFiling:
    """Record the filing of `committee` (an owners' committee at its estate) for a term. `actor` may
    "coordination.manage" at the estate. One filing per committee and term start."""
    estate = committee.place
    _estate(estate)
    require(actor, MANAGE, estate)
    filing = CommitteeFiling(committee=committee, estate=estate, term_from=term_from, term_to=term_to,
                             filed_on=filed_on, members=members, recorded_by=actor,
                             **scope_columns(CommitteeFiling, estate.path))
    validate_filing(filing)
    if CommitteeFiling.objects.filter(committee=committee, term_from=term_from).exists():
        raise ValidationError({"term_from": _("This term of the committee is already on file.")})
    filing.save()
    return filing


FILING_FIELDS = ("term_from", "term_to", "filed_on", "members")


@transaction.atomic
def committee_filing_update(*, actor: User, filing: CommitteeFiling, **fields: Any) -> CommitteeFiling:
    """Correct a filing (any of FILING_FIELDS). `actor` may "coordination.manage" at its estate."""
    locked = _locked_with(actor, filing, fields, allowed=FILING_FIELDS, related="committee")
    validate_filing(locked)
    if "term_from" in fields and CommitteeFiling.objects.filter(
            committee_id=locked.committee_id, term_from=locked.term_from).exclude(pk=locked.pk).exists():
        raise ValidationError({"term_from": _("This term of the committee is already on file.")})
    locked.save(update_fields=[*fields, "updated_at"])
    return locked
