"""The policies API's shapes (class names carry "Policy" so they stay unique across the apps' schemas)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

CreditCode = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z]{18}$")]


class PolicyPackageOut(Schema):
    id: int
    name: str
    issued_by: str
    issued_on: datetime.date | None
    place: str = Field(alias="place.code")
    place_name: str = Field(alias="place.name")
    status: str


class PolicyRuleIO(Schema):
    field: str
    op: str
    value: Any


class PolicyOut(Schema):
    id: int
    package: int = Field(alias="package_id")
    number: int
    title: str
    dimension: str
    summary: str
    benefit: str
    amount: Decimal | None
    opens_on: datetime.date | None
    closes_on: datetime.date | None
    rules: list[PolicyRuleIO]


class PolicyDetailOut(PolicyOut):
    rules_text: list[str]
    eligible_count: int | None


class PolicyEligibleFirmOut(Schema):
    credit_code: str
    name: str
    industry_code: str
    registered_capital: Decimal
    last_year_tax: Decimal
    headcount: int


class PolicyIn(Schema):
    number: int = Field(ge=1, le=999)
    title: str = Field(max_length=200)
    dimension: Literal["party", "economy", "livelihood", "city", "governance"]
    summary: str = Field("", max_length=5000)
    benefit: str = Field("", max_length=500)
    amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    opens_on: datetime.date | None = None
    closes_on: datetime.date | None = None
    rules: list[PolicyRuleIO] = Field(default_factory=list, max_length=20)


class PolicyFirmPolicyOut(Schema):
    policy: PolicyOut
    open: bool
    applied: bool


class PolicyApplicationOut(Schema):
    id: int
    enterprise: str = Field(alias="enterprise.credit_code")
    enterprise_name: str = Field(alias="enterprise.name")
    policy: int = Field(alias="policy_id")
    applied_on: datetime.date
    status: str
    granted_amount: Decimal | None
    note: str
    decided_on: datetime.date | None


class PolicyFirmOut(Schema):
    eligible: list[PolicyFirmPolicyOut]
    applications: list[PolicyApplicationOut]


class PolicyApplicationIn(Schema):
    enterprise: CreditCode
    policy: int = Field(ge=1, le=2**63 - 1)
    note: str = Field("", max_length=500)


class PolicyDecisionIn(Schema):
    status: Literal["approved", "rejected"]
    granted_amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    note: str = Field("", max_length=500)


class PolicyApplicationQuery(Schema):
    policy: int | None = Field(None, ge=1, le=2**63 - 1)
    status: Literal["applied", "approved", "rejected", "withdrawn"] | None = None
