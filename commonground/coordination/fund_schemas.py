"""The fund API's shapes (class names carry "Fund" so they stay unique across the apps' schemas)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from commonground.core.api_types import Day, Id, LocalDateTime


class FundOut(Schema):
    id: int
    name: str
    year: int
    place: str = Field(alias="place.code")
    place_name: str = Field(alias="place.name")
    total: Decimal
    committed: Decimal
    disbursed: Decimal
    left: Decimal
    opens_on: datetime.date | None
    closes_on: datetime.date | None


class FundStageFiguresOut(Schema):
    stage: str
    label: str
    projects: int
    requested: Decimal
    approved: Decimal


class FundDetailOut(FundOut):
    by_stage: list[FundStageFiguresOut]


class FundBudgetLineOut(Schema):
    item: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal


class FundProjectOut(Schema):
    id: int
    fund: int = Field(alias="fund_id")
    estate: str = Field(alias="estate.code")
    estate_name: str = Field(alias="estate.name")
    title: str
    stage: str
    stage_label: str = Field(alias="get_stage_display")
    returned: bool
    requested_amount: Decimal
    approved_amount: Decimal
    disbursed_amount: Decimal
    resolution: int | None = Field(None, alias="resolution_id")
    vote: int | None = Field(None, alias="vote_id")
    submitted_at: LocalDateTime | None
    approved_at: LocalDateTime | None
    completed_at: LocalDateTime | None
    accepted_on: datetime.date | None
    acceptance_result: str


class FundProjectDetailOut(FundProjectOut):
    description: str
    budget_lines: list[FundBudgetLineOut] = Field(alias="budget_lines_list")


class FundProjectQuery(Schema):
    fund: Id | None = None
    stage: str = Field("", pattern="^(|draft|submitted|community_approved|street_approved|approved|completed|"
                                    "rejected|withdrawn)$")
    estate: Id | None = None


class FundBudgetLineIn(Schema):
    item: str = Field(max_length=200)
    quantity: Decimal = Field(gt=0, max_digits=10, decimal_places=2)
    unit: str = Field(max_length=20)
    unit_price: Decimal = Field(ge=0, max_digits=14, decimal_places=2)


class FundProjectIn(Schema):
    fund: Id
    estate: Id
    title: str = Field(max_length=200)
    description: str = Field("", max_length=5000)
    resolution: Id | None = None
    vote: Id | None = None
    lines: list[FundBudgetLineIn] = Field(default_factory=list, max_length=50)


class FundReviewIn(Schema):
    decision: str = Field(pattern="^(approve|return|reject)$")
    comment: str = Field("", max_length=2000)
    amount: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2)


class FundDisbursementOut(Schema):
    id: int
    project: int = Field(alias="project_id")
    amount: Decimal
    paid_on: datetime.date
    note: str


class FundDisbursementIn(Schema):
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    paid_on: Day
    note: str = Field("", max_length=200)
