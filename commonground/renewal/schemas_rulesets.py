"""The shapes of the one ruler's API: rule-set versions, a household's options and the check of a request."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from commonground.core.api_types import LocalDateTime


class RuleSetOut(Schema):
    id: int
    project: int = Field(alias="project_id")
    version: int
    status: str
    status_label: str = Field(alias="get_status_display")
    note: str
    drafted_by: str = Field(alias="drafted_by.username")
    approved_by: str | None = Field(None, alias="approved_by.username")
    published_at: LocalDateTime | None
    created_at: LocalDateTime


class RuleSetDetailOut(RuleSetOut):
    rules: dict[str, Any]


class RuleSetIn(Schema):
    rules: dict[str, Any] = Field(description="The version's rules; renewal/calculator.py documents the keys.")
    note: str = Field("", max_length=300)


class OfferLineOut(Schema):
    label: str
    amount: Decimal
    clause: str
    basis: str


class OfferOut(Schema):
    option: str
    option_label: str = Field(alias="get_option_display")
    rule_set: int = Field(alias="rule_set_id")
    version: int = Field(alias="rule_set.version")
    total: Decimal
    entitled_area_m2: Decimal | None
    lines: list[OfferLineOut]
    computed_at: LocalDateTime


class CheckIn(Schema):
    option: Literal["cash", "exchange", "self_renewal"]
    requested_area_m2: Decimal = Field(gt=0, max_digits=8, decimal_places=2)


class CheckOut(Schema):
    allowed: bool
    clause: str | None = None
    reasons: list[str] = []
    total: Decimal | None = None
    entitled_area_m2: Decimal | None = None
    lines: list[OfferLineOut] = []
