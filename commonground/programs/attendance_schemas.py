"""The attendance API's shapes (class names carry "Attendance"/"Certificate"/"Participation" so they stay unique
across the apps' schemas)."""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from commonground.core.api_types import Day, Id, LocalDateTime

CheckInCode = Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_\- ]+$")]


class ActivityAttendanceOut(Schema):
    id: int
    session: int = Field(alias="session_id")
    activity: int = Field(alias="activity_id")
    person: int = Field(alias="person_id")
    person_name: str = Field(alias="person.name")
    enrolment: int | None = Field(None, alias="enrolment_id")
    method: str
    recorded_at: LocalDateTime
    day: datetime.date


class ActivityAttendanceListIn(Schema):
    enrolments: list[Id] = Field(max_length=1000)


class ActivityAttendanceCodeIn(Schema):
    code: CheckInCode
    session: Id | None = None


class ActivityWalkInIn(Schema):
    person: Id


class CourseCertificateOut(Schema):
    id: int
    number: str
    activity: int = Field(alias="activity_id")
    activity_title: str = Field(alias="activity.title")
    person: int = Field(alias="person_id")
    person_name: str = Field(alias="person.name")
    sessions_attended: int
    sessions_total: int
    issued_at: LocalDateTime


class CourseCertificateIn(Schema):
    enrolment: Id | None = None  # one participant; without it, all who qualify


class ParticipationQuery(Schema):
    start: Day | None = None
    end: Day | None = None
    place: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None


class ParticipationRowOut(Schema):
    activities: int
    attendances: int
    participants: int


class ParticipationMonthOut(ParticipationRowOut):
    month: str


class ParticipationScopeOut(ParticipationRowOut):
    code: str
    name: str
    kind: str


class ParticipationOrganiserOut(ParticipationRowOut):
    organiser: int
    name: str


class ParticipationOut(Schema):
    start: datetime.date
    end: datetime.date
    total: ParticipationRowOut
    by_month: list[ParticipationMonthOut]
    by_scope: list[ParticipationScopeOut]
    by_street: list[ParticipationScopeOut]
    by_organiser: list[ParticipationOrganiserOut]
