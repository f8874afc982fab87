"""Writes to users, roles and deployment settings."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import clock
from ..models import Place, RoleAssignment, Setting, User
from ..permissions import active_roles, forget_roles, scope_paths
from ..rules import ROLE_PERMISSIONS, role_permits


def may_grant(granter: Any, role: str, scope: Place) -> bool:
    """A user may grant a role at `scope` only if their own roles there carry every permission it carries."""
    if scope_paths(granter, "roleassignment.add") is None:
        return True
    own = [r.role for r in active_roles(granter) if scope.path.startswith(r.scope.path)]
    if not any(role_permits(mine, "roleassignment.add") for mine in own):
        return False
    return all(any(role_permits(mine, permission) for mine in own) for permission in ROLE_PERMISSIONS.get(role, ()))


@transaction.atomic
def role_assign(
    *, user: User, role: str, scope: Place, valid_from: datetime.date, valid_to: datetime.date | None = None,
    granted_by: Any = None,
) -> RoleAssignment:
    """Give `user` the role `role` over the subtree of `scope`; `granted_by` may not grant beyond their own."""
    if granted_by is not None and not may_grant(granted_by, role, scope):
        raise ValidationError({"role": _("You may not grant a role that reaches beyond your own.")})
    assignment = RoleAssignment(user=user, role=role, scope=scope, valid_from=valid_from, valid_to=valid_to)
    assignment.full_clean()
    assignment.save()
    forget_roles(user)
    return assignment


@transaction.atomic
def role_assignment_update(
    *, assignment: RoleAssignment, valid_from: datetime.date, valid_to: datetime.date | None
) -> RoleAssignment:
    """Change a role's period (ending it early, say); role, user and scope stay: grant a new one instead."""
    assignment.valid_from, assignment.valid_to = valid_from, valid_to
    assignment.full_clean()
    assignment.save()
    forget_roles(assignment.user)
    return assignment


@transaction.atomic
def setting_set(*, key: str, value: Any) -> Setting:
    setting, _created = Setting.objects.update_or_create(key=key, defaults={"value": value})
    if key == clock.CLOCK_SETTING:
        transaction.on_commit(clock.forget)
        clock.forget()
    return setting


def clock_set(*, starts_at: datetime.datetime) -> Setting:
    """Run the deployment's clock from `starts_at` on, in real time from now (the demo starts in 2023)."""
    return setting_set(key=clock.CLOCK_SETTING, value=clock.setting_value(starts_at, clock.real_now()))


def clock_reset() -> None:
    """Back to real time."""
    Setting.objects.filter(key=clock.CLOCK_SETTING).delete()
    transaction.on_commit(clock.forget)
    clock.forget()
