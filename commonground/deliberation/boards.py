"""The notice boards a resident looks up to: their home's and every one above it in the place tree."""

from __future__ import annotations

from typing import Any

from commonground.core.models.places import ancestor_ids
from commonground.core.permissions import active_roles
from commonground.core.rules import role_permits

from . import rules


def boards_above_home(user: Any, action: str) -> list[int]:
    """Ids of the places at and above the home of each of the user's resident roles (`rules.HOME_ROLES`) that
    carry `action`: the building or estate, the community, the street and the district, whose notices and
    announced meetings concern them. Asks no query beyond the user's roles (loaded once per request)."""
    return sorted({pk for role in active_roles(user)
                   if role.role in rules.HOME_ROLES and role_permits(role.role, action)
                   for pk in ancestor_ids(role.scope.path)})
