"""The new employment groups' API shapes (class names carry "Courier"/"Declaration" so they stay unique across the
apps' schemas)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import StringConstraints

from commonground.core.api_types import Id, LocalDateTime

Text100 = Annotated[str, StringConstraints(max_length=100)]
ItemText = Annotated[str, StringConstraints(max_length=2000)]
GroupText = Annotated[str, StringConstraints(max_length=12)]


class DeclarationOut(Schema):
    id: int
    person_name: str
    person_phone: str
    group: str
    group_label: str
    platform: str
    place: int
    place_name: str
    declared_at: LocalDateTime
    revoked_at: LocalDateTime | None
    active: bool


class DeclarationIn(Schema):
    group: GroupText
    platform: Text100
    place: Id
    person: Id | None = None  # staff at the desk: the resident declared for; omitted: oneself


class DeclarationQuery(Schema):
    group: GroupText = ""
    platform: Text100 = ""


class CourierZoneOut(Schema):
    id: int
    name: str
    purpose: str
    area_m2: Decimal | None


class CourierActivityOut(Schema):
    id: int
    title: str
    kind: str
    place_name: str
    first_starts_at: LocalDateTime | None
    last_ends_at: LocalDateTime | None
    places_left: int
    url: str


class CourierItemOut(Schema):
    number: str
    description: str
    stage: str
    stage_label: str
    reported_at: LocalDateTime
    closed_at: LocalDateTime | None


class CourierStageCountOut(Schema):
    stage_label: str
    count: int


class CourierHomeOut(Schema):
    id: int
    name: str
    address: str
    community: str
    floor_area_m2: Decimal | None
    council: str | None


class CourierHomeDetailOut(CourierHomeOut):
    zones: list[CourierZoneOut]
    zones_area_m2: Decimal
    upcoming_activities: list[CourierActivityOut]
    council_items_solved: int
    council_items_open: int
    council_items_open_by_stage: list[CourierStageCountOut]
    latest_council_items: list[CourierItemOut]


class CourierItemIn(Schema):
    description: ItemText
