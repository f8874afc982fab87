"""Schemas of the profile part's API: an enterprise's profile and the retention warnings."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema


class RiskReasonOut(Schema):
    code: str
    points: int
    text: str


class RiskOut(Schema):
    score: int
    threshold: int
    reasons: list[RiskReasonOut]
    status: str | None = None  # open / handled / cleared; None when computed now (no warning)
    assessed_on: datetime.date | None = None
    task_case: str | None = None
    task_stage: str | None = None


class ContactOut(Schema):
    name: str
    phone: str
    title: str
    is_primary: bool


class TaxMonthOut(Schema):
    month: int
    this_year: Decimal | None
    last_year: Decimal | None


class VisitOut(Schema):
    id: int
    visited_on: datetime.date
    department: str
    status: str
    visitor: str
    topics: str | None = None  # internal readers only


class DemandOut(Schema):
    case: str
    category: str
    stage: str
    deadline: datetime.datetime | None
    is_overdue: bool
    source: str  # visit or contact


class ActivityOut(Schema):
    activity_id: int
    title: str
    last_day: datetime.date
    people: int


class EnterpriseProfileOut(Schema):
    credit_code: str
    name: str
    building: str | None
    registered_building: str | None
    registered_on: datetime.date
    registered_capital: Decimal
    industry_code: str
    headcount: int
    tier: str
    status: str
    lease_ends_on: datetime.date | None
    contacts: list[ContactOut]
    tax: list[TaxMonthOut]
    visits: list[VisitOut]
    demands: list[DemandOut]
    activities: list[ActivityOut]
    risk: RiskOut | None = Field(None, description="Staff and commissioners only; a firm does not see its own.")


class RiskRowOut(Schema):
    credit_code: str
    name: str
    building: str | None
    score: int
    status: str
    assessed_on: datetime.date
    reasons: list[RiskReasonOut]
    task_case: str | None
    task_stage: str | None


class RiskListQuery(Schema):
    community: str = Field("", max_length=40, description="A business community's place code.")
    reason: str = Field("", max_length=40)
