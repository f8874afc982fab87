"""The visits API's shapes (class names carry "Visit" or "Commissioner" so they stay unique across the schemas)."""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from commonground.core.api_types import Day, Id

ShortText = Annotated[str, StringConstraints(max_length=500)]
LongText = Annotated[str, StringConstraints(max_length=4000)]


class VisitOut(Schema):
    id: int
    enterprise: str = Field(alias="enterprise.credit_code")
    enterprise_name: str = Field(alias="enterprise.name")
    visited_on: datetime.date
    department: str
    status: str
    commissioner: int | None = Field(None, alias="commissioner_id")
    visitor_name: str
    topics: str


class VisitDemandOut(Schema):
    case: str = Field(alias="case.number")
    category: str = Field(alias="case.category.code")
    stage: str = Field(alias="case.stage")
    description: str = Field(alias="case.description")


class VisitDetailOut(VisitOut):
    feedback: str
    demands: list[VisitDemandOut] = Field(alias="demands_list")


class VisitQuery(Schema):
    community: Id | None = None
    building: Id | None = None
    commissioner: Id | None = None
    department: Annotated[str, StringConstraints(max_length=16)] = ""
    status: Annotated[str, StringConstraints(max_length=12)] = ""
    date_from: Day | None = None
    date_to: Day | None = None
    enterprise: Annotated[str, StringConstraints(max_length=18)] = ""


class VisitDemandIn(Schema):
    category_code: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    description: Annotated[str, StringConstraints(max_length=2000)]
    answers: dict[str, Annotated[str, StringConstraints(max_length=500)]] = {}


class VisitIn(Schema):
    enterprise: Annotated[str, StringConstraints(min_length=1, max_length=18)]
    visited_on: Day
    topics: ShortText
    feedback: LongText = ""
    demands: list[VisitDemandIn] = Field(default_factory=list, max_length=10)
    planned_visit: Id | None = None


class VisitOtherIn(Schema):
    enterprise: Annotated[str, StringConstraints(min_length=1, max_length=18)]
    department: Annotated[str, StringConstraints(max_length=16)]
    visited_on: Day
    visitor_name: Annotated[str, StringConstraints(max_length=100)]
    topics: ShortText = ""
    feedback: LongText = ""


class MyDayVisitOut(Schema):
    planned_visit: int
    enterprise: str
    enterprise_name: str
    floor: str
    room: str
    contact_name: str
    contact_phone: str
    reasons: list[str]
    recorded: bool
    visit: int | None


class MyDayBuildingOut(Schema):
    building: int | None
    building_name: str
    visits: list[MyDayVisitOut]


class MyDayOut(Schema):
    day: datetime.date
    commissioner: int
    buildings: list[MyDayBuildingOut]


class MyDayQuery(Schema):
    day: Day | None = None


class CommissionerOut(Schema):
    id: int
    display_name: str
    business_community: str = Field(alias="business_community.code")
    business_community_name: str = Field(alias="business_community.name")
    daily_capacity: int
    is_active: bool
    buildings: list[str]
    visits_done: int
