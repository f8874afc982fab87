"""The activities API's shapes (class names carry "Activity" or "Enrolment" so they stay unique across the apps)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from commonground.core.api_types import Code, Id, LocalDateTime, Moment

from .models import ActivityKind, ActivityStatus, Audience, EnrolmentStatus

Title = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(max_length=5000)]
Age = Annotated[int, Field(ge=0, le=120)]
Places = Annotated[int, Field(ge=1, le=100_000)]
Fee = Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=2)]


class ActivityQuery(Schema):
    kind: ActivityKind | None = None
    audience: Audience | None = None
    place: Code | None = None
    open_now: bool = False
    q: Annotated[str, StringConstraints(max_length=100)] = ""


class ActivityStaffQuery(ActivityQuery):
    status: ActivityStatus | None = None


class ActivitySessionOut(Schema):
    id: int
    starts_at: LocalDateTime
    ends_at: LocalDateTime
    venue: str


class ActivityOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    place: str = Field(alias="place.code")
    place_name: str = Field(alias="place.name")
    organiser: str = Field(alias="organiser.name")
    audience: str
    min_age: int | None
    max_age: int | None
    capacity: int
    confirmed_count: int
    places_left: int
    fee: Decimal
    signup_opens_at: LocalDateTime
    signup_closes_at: LocalDateTime
    first_starts_at: LocalDateTime | None
    last_ends_at: LocalDateTime | None


class ActivityDetailOut(ActivityOut):
    description: str
    allow_walk_ins: bool
    waiting: int
    sessions: list[ActivitySessionOut] = Field(alias="sessions_list")


class ActivityIn(Schema):
    place: Id
    organiser: Id
    title: Title
    kind: ActivityKind = ActivityKind.ACTIVITY
    description: Text = ""
    audience: Audience = Audience.EVERYONE
    min_age: Age | None = None
    max_age: Age | None = None
    capacity: Places
    signup_opens_at: Moment
    signup_closes_at: Moment
    fee: Fee = Decimal("0")
    allow_walk_ins: bool = False


class ActivityUpdateIn(Schema):
    """Only the fields given change."""

    organiser: Id | None = None
    title: Title | None = None
    kind: ActivityKind | None = None
    description: Text | None = None
    audience: Audience | None = None
    min_age: Age | None = None
    max_age: Age | None = None
    capacity: Places | None = None
    signup_opens_at: Moment | None = None
    signup_closes_at: Moment | None = None
    fee: Fee | None = None
    allow_walk_ins: bool | None = None


class ActivitySessionIn(Schema):
    starts_at: Moment
    ends_at: Moment
    venue: Annotated[str, StringConstraints(max_length=200)] = ""


class EnrolmentIn(Schema):
    """Whom to sign up: oneself (none), a child of one's household, or (staff at the desk) a person they see."""

    participant: Id | None = None


class EnrolmentOut(Schema):
    id: int
    activity: int = Field(alias="activity_id")
    activity_title: str = Field(alias="activity.title")
    participant: int = Field(alias="participant_id")
    participant_name: str = Field(alias="participant.name")
    status: EnrolmentStatus
    waiting_position: int | None = Field(None, alias="position")
    code: str
    confirmed_at: LocalDateTime | None
    cancelled_at: LocalDateTime | None


class EnrolmentStaffOut(Schema):
    """A row of an activity's sign-up list: name and phone as the caller may see them."""

    id: int
    name: str
    phone: str
    status: EnrolmentStatus
    waiting_position: int | None
    signed_up_at: LocalDateTime
