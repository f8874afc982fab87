"""Who may do what: the permissions each role kind carries within its scope.

A permission is "<resource>.<verb>", e.g. "person.view" or "roster.import"; "*" and
"<resource>.*" are wildcards. Apps above core add their resources with
`grant(role, {...})` from their AppConfig.ready(), and mark with `explicit_only({...})` the few
that no wildcard may carry (who voted how): only a role granted one by name holds it.
"""

from __future__ import annotations

from .models import RoleKind

VIEW_MASTER_DATA = {"place.view", "organisation.view", "organisationmembership.view"}
MANAGE_MASTER_DATA = {
    "place.*", "person.*", "household.*", "householdmember.*", "ownership.*", "organisation.*",
    "organisationmembership.*", "roster.*", "history.view", "admin.access",
}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    RoleKind.DISTRICT_ADMIN: {"*"},
    RoleKind.STREET_STAFF: MANAGE_MASTER_DATA | {"roleassignment.view", "roleassignment.add", "report.view",
                                                 "user.reset_password"},
    RoleKind.COMMUNITY_WORKER: MANAGE_MASTER_DATA | {"roleassignment.view", "report.view", "user.reset_password"},
    RoleKind.GRID_WORKER: VIEW_MASTER_DATA | {"person.view", "household.view", "householdmember.view",
                                             "person.view_personal_data", "roster.export"},
    RoleKind.BUILDING_COMMISSIONER: VIEW_MASTER_DATA,
    RoleKind.RENEWAL_WORKER: VIEW_MASTER_DATA | {
        "person.view", "person.view_personal_data", "household.view", "householdmember.view", "ownership.view",
        "roster.export",
    },
    RoleKind.PROPERTY_MANAGER: VIEW_MASTER_DATA | {"household.view", "roster.export"},  # masked
    RoleKind.OWNERS_COMMITTEE_MEMBER: VIEW_MASTER_DATA | {"ownership.view", "person.view"},
    RoleKind.RESIDENT: {"place.view", "organisation.view"},
    RoleKind.ENTERPRISE_CONTACT: {"place.view", "organisation.view"},
}


# Permissions that "*" and "<resource>.*" do not carry: the law gives them to named roles only.
EXPLICIT_ONLY: set[str] = set()


def grant(role: str, permissions: set[str]) -> None:
    """Give `role` more permissions (used by apps that add resources)."""
    ROLE_PERMISSIONS.setdefault(role, set()).update(permissions)


def explicit_only(permissions: set[str]) -> None:
    """Keep `permissions` out of every wildcard: a role holds one only where a grant names it."""
    EXPLICIT_ONLY.update(permissions)


def role_permits(role: str, permission: str) -> bool:
    granted = ROLE_PERMISSIONS.get(role, set())
    if permission in EXPLICIT_ONLY:
        return permission in granted
    resource = permission.split(".", 1)[0]
    return "*" in granted or permission in granted or f"{resource}.*" in granted
