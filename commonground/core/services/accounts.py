"""Writes to users, roles and deployment settings."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from ..clock import TODAY_SETTING, forget_pinned_today
from ..models import Place, RoleAssignment, Setting, User
from ..permissions import forget_roles


@transaction.atomic
def role_assign(
    *, user: User, role: str, scope: Place, valid_from: datetime.date, valid_to: datetime.date | None = None
) -> RoleAssignment:
    """Give `user` the role `role` over the subtree of `scope`."""
    assignment = RoleAssignment(user=user, role=role, scope=scope, valid_from=valid_from, valid_to=valid_to)
    assignment.full_clean()
    assignment.save()
    forget_roles(user)
    return assignment


@transaction.atomic
def setting_set(*, key: str, value: Any) -> Setting:
    setting, _created = Setting.objects.update_or_create(key=key, defaults={"value": value})
    if key == TODAY_SETTING:
        transaction.on_commit(forget_pinned_today)
        forget_pinned_today()
    return setting
