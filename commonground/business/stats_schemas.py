"""API shapes of the building-economy statistics (the report's business keys and the months)."""

from __future__ import annotations

import datetime

from ninja import Schema
from pydantic import Field


class StatsPlaceOut(Schema):
    code: str
    name: str


class StatsPeriodOut(Schema):
    start: datetime.date = Field(alias="from")
    end: datetime.date = Field(alias="to")


class StatsGradesOut(Schema):
    grade_a: int
    grade_b: int
    grade_c: int
    ungraded: int


class StatsStatusesOut(Schema):
    active: int
    moved_out: int
    deregistered: int


class StatsCommunityOut(Schema):
    name: str
    office_buildings: int
    apartment_buildings: int
    floor_area_m2: float
    population: int
    enterprises: int
    disputes_resolved: int
    needs_met: int
    cases_from: datetime.date | None = None
    cases_to: datetime.date | None = None
    problems_collected: int
    matters_solved: int
    occupancy_rate: float | None
    registered_here_rate: float | None
    tax_per_m2: float | None


class StatsMonthOut(Schema):
    month: int
    new_1m: int
    new_1m_year_before: int
    tax: float
    tax_year_before: float


class BusinessStatsOut(Schema):
    scope: StatsPlaceOut
    period: StatsPeriodOut
    business_communities: int
    buildings: int
    enterprises: int
    new_enterprises_1m: int
    new_enterprises_1m_yoy: float | None
    new_enterprises_1m_registered_capital: float
    building_tax: float
    building_tax_yoy: float | None
    occupancy_rate: float | None
    registered_here_rate: float | None
    tax_per_m2: float | None
    grades: StatsGradesOut
    enterprises_by_status: StatsStatusesOut
    communities: list[StatsCommunityOut]
    tax_months: list[str]
    by_month: list[StatsMonthOut]
