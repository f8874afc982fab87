"""The progress API's shapes: the project's figures by building, group and day, the forecasts, the briefing."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from commonground.core.api_types import Day


class TallyOut(Schema):
    households: int
    signed: int
    rate: float  # signed / households, 4 places


class BuildingProgressOut(TallyOut):
    building_id: int
    name: str
    group: str


class GroupProgressOut(TallyOut):
    group_id: int
    name: str
    buildings: int


class DayOut(Schema):
    day: datetime.date
    signed: int
    cumulative: int
    rate: float


class ForecastOut(Schema):
    target: int
    remaining: int
    reached: bool
    possible: bool = Field(description="false when reached or when nobody signed in the pace window")
    window_days: int = Field(alias="window")
    signed_in_window: int = Field(alias="in_window")
    pace: float = Field(description="signings per day over the window")
    days: int | None
    date: datetime.date | None
    earliest: datetime.date | None
    latest: datetime.date | None


class ForecastsOut(Schema):
    effect: ForecastOut
    all: ForecastOut


class CampaignProgressOut(Schema):
    project_id: int
    on: datetime.date
    households: int
    signed: int
    signing_rate: float
    needed: int
    left: int
    needed_pace: float | None
    days_left: int | None
    behind: bool
    buildings: list[BuildingProgressOut]
    groups: list[GroupProgressOut]
    days: list[DayOut]
    forecast: ForecastsOut


class OutcomeCountOut(Schema):
    outcome: str
    label: str
    visits: int


class BriefingOut(Schema):
    project_id: int
    day: datetime.date
    households: int
    signed_today: int
    signed: int
    signing_rate: float
    needed: int
    left: int
    groups: list[GroupProgressOut]
    buildings: int
    buildings_completed: int
    buildings_completed_today: list[str]
    visits: int
    visited_households: int
    visits_by_outcome: list[OutcomeCountOut]
    holdouts: int = Field(description="unsigned at the end of the day, of the households the caller reaches")
    paragraphs: list[str]


class BriefingQuery(Schema):
    day: Day | None = None
