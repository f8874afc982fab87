"""The ledgers API's shapes (class names carry "Ledger"/"Enterprise"/"Tax" so they stay unique across schemas)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from commonground.core.api_types import Code, Day

from .models import EnterpriseStatus, EnterpriseTier

Text200 = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")]
Text255 = Annotated[str, StringConstraints(max_length=255, pattern=r"^[^\x00-\x1f\x7f]*$")]
Short = Annotated[str, StringConstraints(max_length=20, pattern=r"^[^\x00-\x1f\x7f]*$")]
CreditCode = Annotated[str, StringConstraints(min_length=1, max_length=18, pattern=r"^[0-9A-Za-z]+$")]
Money = Annotated[Decimal, Field(ge=0, le=Decimal("99999999999999.99"), decimal_places=2)]
TaxMoney = Annotated[Decimal, Field(ge=0, le=Decimal("999999999999.99"), decimal_places=2)]
Area = Annotated[Decimal, Field(ge=0, le=Decimal("9999999999.99"), decimal_places=2)]
Year = Annotated[int, Field(ge=1990, le=2100)]


class EnterpriseQuery(Schema):
    community: Short = ""
    building: Annotated[str, StringConstraints(max_length=64, pattern=r"^[^\x00-\x1f\x7f]*$")] = ""
    status: EnterpriseStatus | None = None
    tier: EnterpriseTier | None = None
    industry: Annotated[str, StringConstraints(max_length=5, pattern=r"^[0-9A-Za-z]*$")] = ""
    q: Annotated[str, StringConstraints(max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$")] = ""


class EnterpriseContactOut(Schema):
    name: str
    phone: str
    title: str
    is_primary: bool


class EnterpriseOut(Schema):
    credit_code: str
    name: str
    industry_code: str
    registered_capital: Decimal
    registered_on: datetime.date
    registered_address: str
    building: str | None
    building_name: str | None
    registered_building: str | None
    floor: str
    room: str
    headcount: int
    status: EnterpriseStatus
    tier: EnterpriseTier
    moved_in_on: datetime.date | None
    moved_out_on: datetime.date | None

    @staticmethod
    def resolve_building(obj) -> str | None:
        return obj.building.code if obj.building_id else None

    @staticmethod
    def resolve_building_name(obj) -> str | None:
        return obj.building.name if obj.building_id else None

    @staticmethod
    def resolve_registered_building(obj) -> str | None:
        return obj.registered_building.code if obj.registered_building_id else None


class EnterpriseDetailOut(EnterpriseOut):
    tags: list[str]
    contacts: list[EnterpriseContactOut] = Field(alias="contacts_shown")


class EnterpriseChangeIn(Schema):
    """The ledger facts of an enterprise; on update only the fields given change. Buildings by their code."""

    name: Text200 | None = None
    industry_code: Annotated[str, StringConstraints(max_length=5, pattern=r"^[0-9A-Za-z]*$")] | None = None
    registered_capital: Money | None = None
    registered_on: Day | None = None
    registered_address: Text255 | None = None
    building: Code | None = None
    registered_building: Code | None = None
    floor: Annotated[str, StringConstraints(max_length=10, pattern=r"^[^\x00-\x1f\x7f]*$")] | None = None
    room: Short | None = None
    headcount: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    status: EnterpriseStatus | None = None
    tier: EnterpriseTier | None = None
    moved_in_on: Day | None = None
    moved_out_on: Day | None = None


class EnterpriseCreateIn(EnterpriseChangeIn):
    credit_code: CreditCode
    name: Text200
    registered_on: Day


class LedgerBuildingOut(Schema):
    code: str
    name: str
    community: str
    community_name: str
    floor_area_m2: Decimal
    vacant_area_m2: Decimal
    occupancy: Decimal | None
    grade: str
    grade_score: Decimal | None
    here_registered: int
    here_registered_elsewhere: int
    registered_not_present: int
    with_tax: int
    without_tax: int


class LedgerBuildingQuery(Schema):
    year: Year | None = None
    community: Short = ""


class LedgerBuildingIn(Schema):
    vacant_area_m2: Area | None = None
    indicators: dict[Annotated[str, StringConstraints(max_length=10)], Annotated[Decimal, Field(ge=0, le=1000)]] \
        | None = None


class TaxRecordOut(Schema):
    year: int
    month: int
    amount: Decimal


class TaxRecordIn(Schema):
    year: Year
    month: Annotated[int, Field(ge=0, le=12)]
    amount: TaxMoney
