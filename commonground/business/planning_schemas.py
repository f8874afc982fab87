"""The visit planner's API shapes."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema

from commonground.core.api_types import Day


class PlanOut(Schema):
    id: int
    business_community: str = Field(alias="business_community.code")
    business_community_name: str = Field(alias="business_community.name")
    starts_on: datetime.date
    ends_on: datetime.date
    status: str
    solver_report: dict[str, Any]


class PlannedVisitOut(Schema):
    id: int
    day: datetime.date
    order: int
    commissioner: str = Field(alias="commissioner.display_name")
    enterprise: str = Field(alias="enterprise.credit_code")
    enterprise_name: str = Field(alias="enterprise.name")
    locked: bool
    reasons: list[Any]
    visit_id: int | None


class PlanDetailOut(PlanOut):
    planned_visits: list[PlannedVisitOut] = Field(alias="planned_visits_list")


class PlanIn(Schema):
    business_community: str = Field(description="The business community's place code.")
    starts_on: Day
    ends_on: Day


class PlanQuery(Schema):
    business_community: str | None = Field(None, max_length=64)
