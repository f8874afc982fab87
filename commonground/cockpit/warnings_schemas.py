"""Schemas of the warnings API."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema

from commonground.core.api_types import Id


class AlertOut(Schema):
    id: int
    rule: str
    severity: int
    title: str
    place: int = Field(alias="place_id")
    place_name: str = Field(alias="place.name")
    sensor: int | None = Field(None, alias="sensor_id")
    began_at: datetime.datetime
    last_seen_at: datetime.datetime
    state: str
    assignee: int | None = Field(None, alias="assignee_id")
    case_number: str | None = None
    closed_at: datetime.datetime | None = None

    @staticmethod
    def resolve_case_number(obj: Any) -> str | None:
        return obj.case.number if obj.case_id else None


class AlertDetailOut(AlertOut):
    evidence: dict


class AlertQuery(Schema):
    rule: str = Field("", pattern="^(|crowding|anomaly|case_surge|overdue_pileup|enterprise_risk|expiry)$")
    severity: int | None = Field(None, ge=1, le=3)
    state: str = Field("open", pattern="^(open|all|acknowledged|assigned|case|closed)$")
    place: str = Field("", max_length=64, pattern=r"^[0-9A-Za-z_-]*$")


class AlertAssignIn(Schema):
    assignee: Id


class AlertCaseIn(Schema):
    category: Id
    description: str = Field("", max_length=2000)


class AlertCaseOut(Schema):
    warning: int
    case_number: str
