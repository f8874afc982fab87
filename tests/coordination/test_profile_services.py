"""Recording contracts and filings: the rules' errors, permissions, nothing written when refused."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.coordination.models import ServiceLevel
from commonground.coordination.services.profiles import (
    committee_filing_record,
    committee_filing_update,
    property_contract_record,
    property_contract_update,
)

D = datetime.date


def _contract(estates, actor=None, **changes):
    fields = {"estate": estates.tree.estate, "company": estates.company, "starts_on": D(2025, 1, 1),
              "ends_on": D(2027, 12, 31), "fee_per_m2": Decimal("2.10"), "service_level": ServiceLevel.LEVEL_2}
    return property_contract_record(actor=actor or estates.manager, **{**fields, **changes})


def test_contract_record__stores_scope_paths(estates):
    contract = _contract(estates)
    assert (contract.estate_path, contract.street_path) == (estates.tree.estate.path, estates.tree.street.path)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"fee_per_m2": Decimal("-0.01")}, "fee_per_m2", "The property fee cannot be negative."),
    ({"ends_on": D(2025, 1, 1)}, "ends_on", "The contract must end after it starts."),
    ({"ends_on": D(2024, 12, 31)}, "ends_on", "The contract must end after it starts."),
    ({"service_level": "9"}, "service_level", "Choose a service standard level."),
])
def test_contract_record__invalid__refused_nothing_written(estates, nothing_written, changes, field, message):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        _contract(estates, **changes)
    assert refused.value.message_dict == {field: [message]}


def test_contract_record__not_a_property_company__refused(estates, nothing_written):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        _contract(estates, company=estates.committee)
    assert list(refused.value.message_dict) == ["company"]


def test_contract_record__committee_member__403_nothing_written(estates, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied):
        _contract(estates, actor=estates.member)


def test_contract_record__other_community_worker__403(estates, make_user, nothing_written):
    from commonground.core.models import RoleKind

    stranger = make_user(RoleKind.COMMUNITY_WORKER, estates.tree.neighbour)
    with nothing_written(), pytest.raises(PermissionDenied):
        _contract(estates, actor=stranger)


def test_contract_update__fee__changed(estates):
    contract = property_contract_update(actor=estates.manager, contract=estates.contract, fee_per_m2=Decimal("2.00"))
    assert contract.fee_per_m2 == Decimal("2.00")


def test_contract_update__end_before_start__refused(estates):
    with pytest.raises(ValidationError):
        property_contract_update(actor=estates.manager, contract=estates.contract, ends_on=D(2021, 12, 31))
    estates.contract.refresh_from_db()
    assert estates.contract.ends_on == D(2024, 12, 31)


def _filing(estates, **changes):
    fields = {"committee": estates.committee, "term_from": D(2023, 8, 1), "term_to": D(2028, 7, 31),
              "filed_on": D(2023, 8, 20), "members": 7}
    return committee_filing_record(actor=estates.manager, **{**fields, **changes})


def test_filing_record__five_years_to_the_day_before__accepted(estates):
    assert _filing(estates).term_to == D(2028, 7, 31)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"term_to": D(2028, 8, 1)}, "term_to", "An owners' committee's term is at most 5 years."),
    ({"term_to": D(2026, 7, 30)}, "term_to", "An owners' committee's term is at least 3 years."),
    ({"term_to": D(2023, 7, 31)}, "term_to", "The term must end after it starts."),
    ({"filed_on": D(2023, 7, 31)}, "filed_on", "A committee is filed after its election."),
    ({"term_from": D(2023, 7, 1), "term_to": D(2028, 6, 30), "filed_on": D(2023, 8, 1)}, "filed_on",
     "A committee is filed within 30 days of its election."),
    ({"members": 2}, "members", "An owners' committee has 3 to 11 members."),
    ({"members": 12}, "members", "An owners' committee has 3 to 11 members."),
])
def test_filing_record__invalid__refused_nothing_written(estates, nothing_written, changes, field, message):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        _filing(estates, **changes)
    assert refused.value.message_dict == {field: [message]}


def test_filing_record__filed_30_days_after__accepted(estates):
    assert _filing(estates, term_from=D(2023, 7, 21), term_to=D(2028, 7, 20), filed_on=D(2023, 8, 20)).pk


def test_filing_record__same_term_twice__refused(estates):
    with pytest.raises(ValidationError) as refused:
        _filing(estates, term_from=D(2021, 3, 1), term_to=D(2026, 2, 28), filed_on=D(2021, 3, 2))
    assert list(refused.value.message_dict) == ["term_from"]


def test_filing_update__members__changed(estates):
    assert committee_filing_update(actor=estates.manager, filing=estates.filing, members=7).members == 7
