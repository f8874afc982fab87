"""Schemas of the deliberation API: what goes in and out of /api/votes, /api/notices and /api/meetings.

Times are local (+08:00) ISO 8601; areas read as strings of m² with two places ("875.50"); tally shares are
[part, whole] integer pairs (areas in hundredths of a m², heads in owners), never floats.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import model_validator

from commonground.cases.models import Case
from commonground.core.api_types import Day, Id, LocalDateTime, Moment

from .meeting_selectors import AttendanceCount, Progress, attendance_count, case_is_done, case_progress
from .models import Meeting, Notice, Vote
from .presentation import outcome_label, threshold_text
from .rules import MAX_AGENDA_ITEMS

SmallCount = Annotated[int, Field(ge=0, le=99)]  # seats, years: the services say which values are lawful


def m2(area: Any) -> str:
    return f"{area:.2f}"


# Votes -------------------------------------------------------------------------------------------------------------

class VoteOut(Schema):
    id: int
    estate: str = Field(alias="estate.code")
    estate_name: str = Field(alias="estate.name")
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    matter: str
    matter_label: str = Field(alias="get_matter_display")
    title: str
    description: str
    record_date: datetime.date
    opens_at: LocalDateTime
    closes_at: LocalDateTime
    allow_change: bool
    seats: int | None
    term_years: int | None
    status: str
    status_label: str = Field(alias="get_status_display")
    threshold: str
    threshold_text: str
    announced_on: datetime.date | None
    electorate_heads: int
    electorate_area_m2: str
    outcome: str | None
    outcome_label: str
    record_hash: str | None
    closed_at: LocalDateTime | None
    committee: int | None = Field(alias="committee_id")
    appeal_note: str
    appeal_noted_at: LocalDateTime | None

    @staticmethod
    def resolve_threshold(obj: Vote) -> str:
        return "three_quarters" if obj.needs_supermajority else "more_than_half"

    @staticmethod
    def resolve_threshold_text(obj: Vote) -> str:
        return threshold_text(obj)

    @staticmethod
    def resolve_electorate_area_m2(obj: Vote) -> str:
        return m2(obj.electorate_area_m2)

    @staticmethod
    def resolve_outcome(obj: Vote) -> str | None:
        return obj.outcome or None

    @staticmethod
    def resolve_outcome_label(obj: Vote) -> str:
        return outcome_label(obj.outcome)

    @staticmethod
    def resolve_record_hash(obj: Vote) -> str | None:
        return obj.record_hash or None


class VoteQuery(Schema):
    estate: str = ""
    status: str = ""
    kind: str = ""


MatterCode = Literal["1", "2", "3", "4", "5", "6", "7", "8", "9"]


class VoteIn(Schema):
    """An election needs no matter (it decides matter 3); a decision names one of the nine. Times carry their
    offset ("2025-03-01T09:00:00+08:00")."""

    estate: str
    kind: Literal["decision", "election"] = "decision"
    matter: MatterCode | None = None
    title: str
    description: str = ""
    record_date: Day
    opens_at: Moment
    closes_at: Moment
    allow_change: bool = True
    seats: SmallCount | None = None
    term_years: SmallCount | None = None

    @model_validator(mode="after")
    def _decision_names_matter(self) -> VoteIn:
        if self.kind == "decision" and not self.matter:
            raise ValueError(_("A decision names its matter: one of items 1-9 of Civil Code Art. 278."))
        return self


class VotePatch(Schema):
    """Only the fields sent are changed (a null clears only seats and term_years)."""

    matter: MatterCode | None = None
    title: str | None = None
    description: str | None = None
    record_date: Day | None = None
    opens_at: Moment | None = None
    closes_at: Moment | None = None
    allow_change: bool | None = None
    seats: SmallCount | None = None
    term_years: SmallCount | None = None


class AppealIn(Schema):
    note: str


class TurnoutOut(Schema):
    area: list[int]
    heads: list[int]
    ballots: int
    quorum_met: bool
    quorum: str = "2/3"


# Ballots -----------------------------------------------------------------------------------------------------------

class BallotIn(Schema):
    choice: str = ""
    candidates: Annotated[list[Id], Field(max_length=99)] = []


class BallotVersionOut(Schema):
    version: int
    choice: str
    candidates: list[int]
    channel: str
    recorded_at: LocalDateTime


class BallotOut(Schema):
    vote: int = Field(alias="vote_id")
    receipt_code: str
    version: int
    choice: str
    candidates: list[int]
    channel: str
    channel_label: str = Field(alias="get_channel_display")
    flats: list[str] = Field(alias="elector.flats")
    cast_at: LocalDateTime = Field(alias="updated_at")
    versions: list[BallotVersionOut]


class InspectedBallotOut(Schema):
    """One ballot with its owner: only for those who may inspect ballots (the owners' committee)."""

    receipt_code: str
    owner: str = Field(alias="elector.label")
    flats: list[str] = Field(alias="elector.flats")
    channel: str
    channel_label: str = Field(alias="get_channel_display")
    proxy_name: str
    choice: str
    candidates: list[int]
    version: int


# Results -----------------------------------------------------------------------------------------------------------

class CountedOut(Schema):
    area: list[int]
    heads: list[int]


class CandidateTallyOut(Schema):
    candidate: int
    name: str
    area: list[int]
    heads: list[int]
    qualifies: bool
    rank: int | None
    elected: bool
    tied: bool


class ResultOut(Schema):
    vote: int
    outcome: str
    outcome_label: str
    closed_at: LocalDateTime | None
    quorum: CountedOut
    quorum_met: bool
    threshold: str
    agree: CountedOut | None = None
    against: CountedOut | None = None
    abstain: CountedOut | None = None
    seats: int | None = None
    elected: list[int] | None = None
    tied: list[int] | None = None
    unfilled: int | None = None
    candidates: list[CandidateTallyOut] = []
    record_hash: str
    hash_method: str
    record: dict[str, Any] | None = None


# Elections ---------------------------------------------------------------------------------------------------------

class CandidateOut(Schema):
    """The review (conditions checked, reason) is filled only for those who review candidates."""

    id: int
    vote: int
    name: str
    statement: str
    position: int
    status: str
    status_label: str
    conditions: dict[str, bool] | None = None
    rejection_reason: str | None = None


class CandidateIn(Schema):
    person: Id
    statement: str = ""


class ReviewIn(Schema):
    conditions: dict[str, bool] = {}
    reason: str = ""


class PreparatoryMemberOut(Schema):
    id: int
    name: str
    role: str
    role_label: str = Field(alias="get_role_display")


class PreparatoryGroupOut(Schema):
    members: list[PreparatoryMemberOut]
    problems: list[str]


class PreparatoryMemberIn(Schema):
    name: str = ""
    role: str
    person: Id | None = None


# Notices -----------------------------------------------------------------------------------------------------------

class NoticeOut(Schema):
    id: int
    place: str = Field(alias="place.code")
    place_name: str = Field(alias="place.name")
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    title: str
    body: str
    table: list[list[str]]
    posted_on: datetime.date
    ends_on: datetime.date | None
    vote: int | None = Field(alias="vote_id")
    meeting: int | None = Field(alias="meeting_id")

    @staticmethod
    def resolve_table(obj: Notice) -> list[list[str]]:
        return [[str(cell) for cell in row] for row in obj.table]


class NoticeQuery(Schema):
    place: str = ""
    kind: str = ""


# Meetings ----------------------------------------------------------------------------------------------------------

class MeetingOut(Schema):
    id: int
    place: str = Field(alias="place.code")
    place_name: str = Field(alias="place.name")
    convener: int = Field(alias="convener_id")
    convener_name: str = Field(alias="convener.name")
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    title: str
    starts_at: LocalDateTime
    ends_at: LocalDateTime
    venue: str
    status: str
    status_label: str = Field(alias="get_status_display")


class MeetingQuery(Schema):
    place: str = ""
    kind: str = ""
    status: str = ""
    when: Literal["", "upcoming", "past"] = ""


class AgendaItemOut(Schema):
    position: int
    title: str
    presenter: str


class ResolutionCaseOut(Schema):
    number: str
    stage: str
    stage_label: str = Field(alias="get_stage_display")
    done: bool

    @staticmethod
    def resolve_done(obj: Case) -> bool:
        return case_is_done(obj)


class ResolutionOut(Schema):
    id: int
    position: int
    text: str
    cases: list[ResolutionCaseOut]


class AttendanceOut(Schema):
    invited: int
    present: int
    invited_present: int
    walk_ins: int


class ProgressOut(Schema):
    done: int
    total: int


class MeetingDetailOut(MeetingOut):
    """Attendance only as counts (no names); each resolution's cases by number and stage."""

    minutes: str
    agenda: list[AgendaItemOut]
    attendance: AttendanceOut
    resolutions: list[ResolutionOut]
    case_progress: ProgressOut

    @staticmethod
    def resolve_attendance(obj: Meeting) -> AttendanceCount:
        return attendance_count(obj)

    @staticmethod
    def resolve_case_progress(obj: Meeting) -> Progress:
        return case_progress(obj)


class AgendaItemIn(Schema):
    title: str
    presenter: str = ""


class MeetingIn(Schema):
    place: str
    convener: Id
    kind: str = "council"
    title: str
    starts_at: Moment
    ends_at: Moment
    venue: str
    agenda: Annotated[list[AgendaItemIn], Field(max_length=MAX_AGENDA_ITEMS)] = []
    invitees: Annotated[list[Id], Field(max_length=1000)] = []


class ResolutionIn(Schema):
    text: str


class ResolutionCaseIn(Schema):
    category: str
    description: str = ""
    place: str | None = None
