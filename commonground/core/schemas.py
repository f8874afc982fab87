"""Schemas of the core API: what /api/places and /api/report answer."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict

from .api_types import Day


class PlaceOut(Schema):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    code: str
    name: str
    kind: str
    parent_code: str | None = Field(None, alias="parent.code")
    depth: int
    latitude: float | None
    longitude: float | None


class ReportScopeOut(Schema):
    code: str
    name: str


class ReportPeriodOut(Schema):
    start: Day = Field(alias="from")
    to: Day


class ReportOut(BaseModel):
    """The scope, the period, and one object per section the apps register (`organisation`, ...; see
    REPORT.md for their keys)."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, dict[str, Any]]

    scope: ReportScopeOut
    period: ReportPeriodOut
