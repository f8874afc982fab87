"""The shapes of the setup API: a new project, a change of its phases and thresholds, work groups, buildings."""

from __future__ import annotations

from decimal import Decimal

from ninja import Field, Schema

from commonground.core.api_types import Code, Day, Id

from .models import WorkGroupKind


class PhasesIn(Schema):
    mobilised_on: Day | None = None
    survey_from: Day | None = None
    survey_until: Day | None = None
    plan_published_on: Day | None = None
    comment_until: Day | None = None
    assessment_from: Day | None = None
    signing_from: Day | None = None
    signing_until: Day | None = None
    selection_from: Day | None = None
    done_on: Day | None = None


class ProjectIn(PhasesIn):
    estate: Code = Field(description="The estate's place code; the caller may manage renewal there.")
    name: str = Field(min_length=1, max_length=100)
    effect_threshold: Decimal = Field(Decimal("0.8"), gt=0, le=1, max_digits=5, decimal_places=4,
                                      description="A fraction: 0.9 for 90%; at least 0.8.")
    consent_threshold: Decimal = Field(Decimal("0.9"), gt=0, le=1, max_digits=5, decimal_places=4,
                                       description="A fraction: 0.9 for 90%.")


class ProjectPatch(PhasesIn):
    """Only the fields sent change; a date sent as null is cleared."""

    name: str | None = Field(None, min_length=1, max_length=100)
    effect_threshold: Decimal | None = Field(None, gt=0, le=1, max_digits=5, decimal_places=4)
    consent_threshold: Decimal | None = Field(None, gt=0, le=1, max_digits=5, decimal_places=4)


class WorkGroupIn(Schema):
    name: str = Field(min_length=1, max_length=50)
    kind: WorkGroupKind = WorkGroupKind.FIELD
    leader: Id | None = Field(None, description="A user id among those the group may take.")
    buildings: list[Code] = Field([], max_length=500, description="Building codes (a field group only).")


class BuildingsIn(Schema):
    buildings: list[Code] = Field(max_length=500, description="The group's buildings by code; the others are freed.")


class MemberOut(Schema):
    id: int
    username: str


class WorkGroupOut(Schema):
    id: int
    project: int = Field(alias="project_id")
    name: str
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    leader: MemberOut | None = None
    members: list[MemberOut]
    buildings: list[str]

    @staticmethod
    def resolve_members(group) -> list:
        return sorted(group.members.all(), key=lambda user: user.pk)

    @staticmethod
    def resolve_buildings(group) -> list[str]:
        return sorted(building.code for building in group.buildings.all())
