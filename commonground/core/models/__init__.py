from .accounts import RoleAssignment, RoleKind, User
from .base import AreaField, MoneyField, TimeStampedModel
from .calendar import CalendarDay
from .imports import ImportJob, ImportStatus
from .organisations import Organisation, OrganisationKind, OrganisationMembership
from .people import PERSONAL_DATA_FIELDS, Gender, Household, HouseholdMember, Ownership, Person, Relation
from .places import Place, PlaceKind
from .settings import Setting

__all__ = [
    "AreaField", "CalendarDay", "Gender", "Household", "HouseholdMember", "ImportJob", "ImportStatus", "MoneyField", "Organisation", "OrganisationKind",
    "OrganisationMembership", "Ownership", "PERSONAL_DATA_FIELDS", "Person", "Place", "PlaceKind", "Relation",
    "RoleAssignment", "RoleKind", "Setting", "TimeStampedModel", "User",
]
