"""The job postings API's shapes (class names carry "Job" so they stay unique across the apps' schemas)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from commonground.core.api_types import Day, Id, LocalDateTime

AUDIENCE_PATTERN = "^(everyone|courier_families|new_employment|residents)$"


class JobPostingOut(Schema):
    id: int
    title: str
    employer_name: str
    employer_credit_code: str
    positions: int
    pay_min: Decimal | None
    pay_max: Decimal | None
    requirements: str
    work_location: str
    audience: str
    audience_label: str = Field(alias="get_audience_display")
    status: str
    status_label: str = Field(alias="get_status_display")
    published_at: LocalDateTime | None
    closes_on: datetime.date | None
    fair: int | None = Field(None, alias="fair_id")
    place: str = Field(alias="place.code")
    place_name: str = Field(alias="place.name")


class JobPostingCountOut(JobPostingOut):
    interests: int = Field(alias="interest_count")


class JobPostingQuery(Schema):
    fair: Id | None = None
    audience: str = Field("", pattern=f"^(|{AUDIENCE_PATTERN[2:-2]})$")
    place: Id | None = None
    q: str = Field("", max_length=100)


class JobCountsQuery(Schema):
    fair: Id | None = None
    status: str = Field("", pattern="^(|draft|published|closed)$")


class JobPostingIn(Schema):
    place: Id
    title: str = Field(max_length=200)
    employer_name: str = Field(max_length=200)
    employer_credit_code: str = Field("", max_length=18)
    positions: int = Field(ge=1, le=100_000)
    pay_min: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    pay_max: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    requirements: str = Field("", max_length=5000)
    work_location: str = Field("", max_length=200)
    audience: str = Field("everyone", pattern=AUDIENCE_PATTERN)
    closes_on: Day | None = None
    fair: Id | None = None


class JobPostingPatch(Schema):
    title: str | None = Field(None, max_length=200)
    employer_name: str | None = Field(None, max_length=200)
    employer_credit_code: str | None = Field(None, max_length=18)
    positions: int | None = Field(None, ge=1, le=100_000)
    pay_min: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    pay_max: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    requirements: str | None = Field(None, max_length=5000)
    work_location: str | None = Field(None, max_length=200)
    audience: str | None = Field(None, pattern=AUDIENCE_PATTERN)
    closes_on: Day | None = None


class JobFairIn(Schema):
    fair: Id | None = None


class JobInterestIn(Schema):
    note: str = Field("", max_length=500)
    phone_consent: bool = False


class JobInterestOut(Schema):
    id: int
    posting: int = Field(alias="posting_id")
    note: str
    phone_consent: bool
    expressed_at: LocalDateTime
    withdrawn_at: LocalDateTime | None


class JobFairOut(Schema):
    id: int
    title: str
    place: str = Field(alias="place.code")
    place_name: str = Field(alias="place.name")
    organiser: str = Field(alias="organiser.name")
    status: str
    starts_at: LocalDateTime | None = Field(None, alias="first_starts_at")
    positions: int = Field(alias="positions_total")
    postings: int = Field(alias="postings_total")


class JobFairDetailOut(JobFairOut):
    employers: int
    interests: int
    posting_list: list[JobPostingCountOut]
