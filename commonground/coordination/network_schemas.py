"""The shapes of the offices and network API (names prefixed so they stay unique across apps)."""

from __future__ import annotations

from ninja import Field, Schema

from commonground.core.api_types import Code


class NetworkStaffOut(Schema):
    position: str
    name: str  # masked unless the caller may see personal data at the office's place


class NetworkOfficeOut(Schema):
    id: int
    name: str
    level: str
    place: str
    place_name: str
    staff: list[NetworkStaffOut]
    open_disputes: int
    joint_meetings: int


class NetworkCountsOut(Schema):
    community_party: int
    estate_branches: int
    corridor_branches: int
    party_members: int
    mass_associations: int


class NetworkRowOut(Schema):
    place: str
    place_name: str
    counts: NetworkCountsOut


class NetworkOut(Schema):
    place: str
    place_name: str
    place_kind: str
    total: NetworkCountsOut
    rows: list[NetworkRowOut]


class NetworkQuery(Schema):
    place: Code | None = None


class NetworkBranchQuery(Schema):
    estate: Code | None = None


class NetworkBuildingOut(Schema):
    code: str
    name: str


class NetworkBranchOut(Schema):
    id: int
    name: str
    corridor: str  # the code of the corridor it stands at
    buildings: list[NetworkBuildingOut]


class NetworkBranchBuildingsIn(Schema):
    buildings: list[Code] = Field(default_factory=list, max_length=200)
