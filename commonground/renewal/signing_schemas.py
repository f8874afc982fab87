"""The API's shapes for agreements, the agreements' state, new flats and the flat board."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from commonground.core.api_types import Id, LocalDateTime


class AgreementLineOut(Schema):
    label: str = ""
    amount: str = ""
    clause: str = ""
    basis: str = ""


class SignatureOut(Schema):
    person: int = Field(alias="person_id")
    person_name: str = Field(alias="person.name")
    signed_at: LocalDateTime
    witness: str


class AgreementOut(Schema):
    id: int
    household: int = Field(alias="household_id")
    flat: str = Field(alias="household.flat.name")
    owner_names: str = Field(alias="household.owner_names")
    rule_set_version: int = Field(alias="rule_set.version")
    option: str
    option_label: str = Field(alias="get_option_display")
    total: Decimal
    lines: list[AgreementLineOut]
    entitled_area_m2: Decimal | None
    status: str
    status_label: str = Field(alias="get_status_display")
    sequence: int | None
    signed_at: LocalDateTime | None
    witness: str
    has_scan: bool
    cancelled_at: LocalDateTime | None
    cancel_reason: str
    turn_passed_at: LocalDateTime | None
    signatures: list[SignatureOut]

    @staticmethod
    def resolve_has_scan(obj: Any) -> bool:
        return bool(obj.scan)

    @staticmethod
    def resolve_signatures(obj: Any) -> list[Any]:
        return list(obj.signatures.all())


class AgreementSummaryOut(Schema):
    id: int
    household: int = Field(alias="household_id")
    flat: str = Field(alias="household.flat.name")
    option: str
    total: Decimal
    status: str
    sequence: int | None
    signed_at: LocalDateTime | None


class AgreementQuery(Schema):
    status: str = Field("", pattern="^(|signing|signed|effective|lapsed|cancelled)$")
    group: Id | None = None
    building: Id | None = None
    q: str = Field("", max_length=50)


class DrawIn(Schema):
    option: str = Field(pattern="^(cash|exchange|self_renewal)$")


class SignIn(Schema):
    person: Id
    witness: str = Field("", max_length=100)


class CancelIn(Schema):
    reason: str = Field(max_length=300)


class AgreementsStateOut(Schema):
    state: str
    state_label: str
    households: int
    signed: int
    needed: int
    signing_from: datetime.date | None
    deadline: datetime.date | None
    decided_at: LocalDateTime | None
    days_left: int | None


class NewFlatOut(Schema):
    id: int
    building: str
    floor: int
    number: str
    area_m2: Decimal
    orientation: str
    chosen: bool
    chosen_at: LocalDateTime | None

    @staticmethod
    def resolve_chosen(obj: Any) -> bool:
        return obj.chosen_by_id is not None


class NewFlatQuery(Schema):
    left: bool = False


class NewFlatIn(Schema):
    building: str = Field(max_length=20)
    floor: Annotated[int, Field(ge=-5, le=200)]
    number: str = Field(max_length=20)
    area_m2: Decimal
    orientation: str = Field("", max_length=20)


class ChooseIn(Schema):
    household: Id


class BoardFloorOut(Schema):
    floor: int
    flats: list[NewFlatOut]


class BoardBuildingOut(Schema):
    building: str
    left: int
    chosen: int
    floors: list[BoardFloorOut]


class TurnOut(Schema):
    household: int | None
    sequence: int | None


class BoardOut(Schema):
    left: int
    chosen: int
    buildings: list[BoardBuildingOut]
    turn: TurnOut
