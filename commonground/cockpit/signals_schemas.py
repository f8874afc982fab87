"""Schemas of the signals API: a batch of readings a source pushes, the ingest's answer, sensors and series."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import BaseModel, Field, StringConstraints

from commonground.core.api_types import Code, Day, Id, RowError

from . import rules
from .models import SignalKind

Text = Annotated[str, StringConstraints(max_length=64)]


class ReadingIn(BaseModel):
    """One reading: the sensor's code, the hour it counts (ISO 8601; without an offset, Shanghai time), the value.
    A value or time the service cannot read is reported as a bad row, not refused here."""

    sensor: Text
    at: Text
    value: float | Text


class ReadingsIn(Schema):
    readings: list[ReadingIn] = Field(max_length=rules.MAX_BATCH)


RowErrorOut = RowError


class IngestOut(Schema):
    received: int
    added: int
    unchanged: int
    corrected: int
    skipped: int
    errors: list[RowErrorOut]


class SensorQuery(Schema):
    kind: SignalKind | None = None
    place: Code | None = None


class SensorOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    source: str
    place: str
    place_name: str
    capacity: int | None
    is_active: bool


class RangeQuery(Schema):
    start: Day | None = None
    end: Day | None = None


class SeriesQuery(RangeQuery):
    place: Code
    kind: SignalKind


class PointOut(Schema):
    at: datetime.datetime | datetime.date
    value: Decimal
    readings: int


class SeriesOut(Schema):
    kind: str
    averaged: bool
    start: datetime.date
    end: datetime.date
    points: list[PointOut]


__all__ = ["Id", "IngestOut", "PointOut", "RangeQuery", "ReadingsIn", "SensorOut", "SensorQuery",
           "SeriesOut", "SeriesQuery"]
