"""The renewal API's shapes."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from commonground.core.api_types import Id, LocalDateTime


class ProjectOut(Schema):
    id: int
    name: str
    estate: str = Field(alias="estate.code")
    estate_name: str = Field(alias="estate.name")
    consent_threshold: Decimal
    effect_threshold: Decimal
    mobilised_on: datetime.date | None
    survey_from: datetime.date | None
    survey_until: datetime.date | None
    plan_published_on: datetime.date | None
    comment_until: datetime.date | None
    assessment_from: datetime.date | None
    signing_from: datetime.date | None
    signing_until: datetime.date | None
    selection_from: datetime.date | None
    done_on: datetime.date | None
    agreements_state: str
    agreements_state_label: str = Field(alias="get_agreements_state_display")


class HouseholdOut(Schema):
    id: int
    flat: str = Field(alias="flat.code")
    flat_name: str = Field(alias="flat.name")
    building: str = Field(alias="building.name")
    group: str | None = Field(None, alias="group.name")
    owner_names: str
    area_m2: Decimal
    floor: int
    visits_count: int
    last_visit_at: LocalDateTime | None
    last_outcome: str
    consent: str
    signed_at: LocalDateTime | None
    sequence: int | None


class HouseholdQuery(Schema):
    building: Id | None = None
    group: Id | None = None
    state: str = Field("", pattern="^(|signed|unsigned|stale)$")
    q: str = Field("", max_length=50)
