"""Schemas of the estate profile API (names unique across apps: Estate…/PropertyContract…/CommitteeFiling…)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from commonground.core.api_types import Code, Day, Id


class EstateWarningOut(Schema):
    kind: str
    severity: str
    label: str


class EstateWarningsOut(Schema):
    id: int
    code: str
    name: str
    street: str
    community: str
    open_cases: int
    overdue_cases: int
    committee_term_to: datetime.date | None
    contract_ends_on: datetime.date | None
    warnings: list[EstateWarningOut]


class EstateListQuery(Schema):
    street: Code | None = None
    community: Code | None = None
    warning: Code | None = None


class CommitteeMemberOut(Schema):
    name: str
    position: str


class PropertyContractOut(Schema):
    id: int
    estate_id: int
    company: str
    starts_on: datetime.date
    ends_on: datetime.date
    fee_per_m2: Decimal
    service_level: str


class CommitteeFilingOut(Schema):
    id: int
    committee_id: int
    estate_id: int
    term_from: datetime.date
    term_to: datetime.date
    filed_on: datetime.date
    members: int


class EstateProfileOut(Schema):
    estate: EstateWarningsOut
    owners_committee: str | None
    committee_members: list[CommitteeMemberOut]
    filing: CommitteeFilingOut | None
    contract: PropertyContractOut | None
    open_disputes: int
    grids: list[str]


class PropertyContractIn(Schema):
    company_id: Id
    starts_on: Day
    ends_on: Day
    fee_per_m2: Decimal = Field(max_digits=14, decimal_places=2)
    service_level: str = Field(max_length=2)
    note: str = Field("", max_length=200)


class CommitteeFilingIn(Schema):
    term_from: Day
    term_to: Day
    filed_on: Day
    members: int = Field(ge=1, le=99)
