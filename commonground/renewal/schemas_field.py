"""The fieldwork API's shapes: visits, the fieldwork lists, consent answers and the survey's standing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from commonground.core.api_types import Day, Id, LocalDateTime, Moment

from .schemas import HouseholdOut


class PersonOut(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)  # the display name, else the full name, else the username


class VisitOut(Schema):
    id: int
    household: int = Field(alias="household_id")
    visited_at: LocalDateTime
    outcome: str
    outcome_label: str = Field(alias="get_outcome_display")
    visitors: list[PersonOut]
    recorded_by: PersonOut
    met: str
    concerns: list[str]
    notes: str
    next_step: str
    next_on: datetime.date | None
    case: str | None = Field(None, alias="case.number")


class VisitIn(Schema):
    visited_at: Moment
    outcome: str = Field(max_length=12)
    visitors: list[Id] = Field(default_factory=list, max_length=20)
    met: str = Field("", max_length=100)
    concerns: list[str] = Field(default_factory=list, max_length=20)
    notes: str = Field("", max_length=4000)
    next_step: str = Field("", max_length=200)
    next_on: Day | None = None
    case_category: str | None = Field(None, max_length=64, description="a case category's code: opens a case")


class PlannedOut(Schema):
    visit: int = Field(alias="pk")
    household: int = Field(alias="household_id")
    flat: str = Field(alias="household.flat.name")
    owner_names: str = Field(alias="household.owner_names")
    group: str | None = Field(None, alias="household.group.name")
    last_visit_at: LocalDateTime = Field(alias="visited_at")
    last_outcome: str = Field(alias="outcome")
    next_step: str


class GroupOut(Schema):
    id: int
    name: str
    leader: str | None = None
    buildings: list[str]
    households: int
    visited: int
    signed: int
    stale: int
    last_activity: LocalDateTime | None


class FieldworkOut(Schema):
    day: datetime.date
    stale_days: int
    planned: list[PlannedOut]
    stale: list[HouseholdOut]
    stale_count: int
    groups: list[GroupOut]


class ConsentIn(Schema):
    answer: str = Field(pattern="^(agree|disagree)$")
    answered_on: Day
    by_all_owners: bool = True


class ConsentOut(Schema):
    id: int
    household: int = Field(alias="household_id")
    answer: str
    answered_on: datetime.date
    by_all_owners: bool
    has_authorisation: bool


class BuildingConsentOut(Schema):
    name: str
    households: int
    answered: int
    agree: int
    disagree: int


class ConsentStandingOut(Schema):
    households: int
    answered: int
    agree: int
    disagree: int
    needed: int
    threshold: Decimal
    rate: Decimal
    passed: bool
    survey: str
    survey_from: datetime.date | None
    survey_until: datetime.date | None
    buildings: list[BuildingConsentOut]
    published_on: datetime.date | None = None
    notice: int | None = None


class ConsentResultOut(Schema):
    notice: int
    title: str
    households: int
    answered: int
    agree: int
    needed: int
    passed: bool
    published_on: datetime.date
