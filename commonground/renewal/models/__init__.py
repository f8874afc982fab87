from .projects import (
    AgreementsState,
    ConsentAnswer,
    Household,
    Outcome,
    Project,
    WorkGroup,
    WorkGroupBuilding,
    WorkGroupKind,
)
from .rulesets import Offer, OptionKind, RuleSet, RuleSetStatus
from .signing import Agreement, AgreementStatus, NewFlat, Signature
from .visits import Concern, Consent, Visit

__all__ = [
    "Agreement", "AgreementStatus", "AgreementsState", "Concern", "Consent", "ConsentAnswer", "Household", "NewFlat",
    "Offer", "OptionKind", "Outcome", "Project", "RuleSet", "RuleSetStatus", "Signature", "Visit", "WorkGroup",
    "WorkGroupBuilding", "WorkGroupKind",
]
