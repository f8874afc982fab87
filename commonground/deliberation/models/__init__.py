from .meetings import AgendaItem, Attendee, Meeting, MeetingKind, MeetingStatus, Resolution
from .notices import Notice, NoticeKind
from .representatives import Representative, RepresentativeStatus
from .votes import (
    CANDIDATE_CONDITIONS,
    SUPERMAJORITY_MATTERS,
    Ballot,
    BallotChannel,
    BallotVersion,
    Candidate,
    CandidateStatus,
    Choice,
    Elector,
    ElectorMember,
    Matter,
    Outcome,
    PreparatoryMember,
    PreparatoryRole,
    Vote,
    VoteKind,
    VoteStatus,
)

__all__ = [
    "AgendaItem", "Attendee", "Ballot", "BallotChannel", "BallotVersion", "CANDIDATE_CONDITIONS", "Candidate",
    "CandidateStatus", "Choice", "Elector", "ElectorMember", "Matter", "Meeting", "MeetingKind", "MeetingStatus",
    "Notice", "NoticeKind", "Outcome", "PreparatoryMember", "PreparatoryRole", "Representative",
    "RepresentativeStatus", "Resolution", "SUPERMAJORITY_MATTERS", "Vote", "VoteKind", "VoteStatus",
]
