"""Writes to users, roles and deployment settings."""

from __future__ import annotations

import datetime
import logging
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import clock
from ..models import Place, RoleAssignment, Setting, User
from ..permissions import active_roles, forget_roles, scope_paths
from ..rules import EXPLICIT_ONLY, ROLE_PERMISSIONS, role_permits
from . import permit

logger = logging.getLogger(__name__)
TEMPORARY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # nothing to misread when told over the counter
TEMPORARY_LENGTH = 10


def covers(actor: User, action: str, role: str, scope: Place, *, appointing: bool = False) -> bool:
    """Whether `actor` may `action` on a holder of `role` at `scope`: their own roles there permit `action` and
    carry every permission the role carries (nobody acts beyond their own reach). Appointing a role does not
    need its explicit-only rights (the street office appoints owners' committee members without inspecting
    ballots itself); acting on its holder's account (a password reset) does."""
    if scope_paths(actor, action) is None:
        return True
    own = [r.role for r in active_roles(actor) if scope.path.startswith(r.scope.path)]
    if not any(role_permits(mine, action) for mine in own):
        return False
    needed = [p for p in ROLE_PERMISSIONS.get(role, ()) if not (appointing and p in EXPLICIT_ONLY)]
    return all(any(role_permits(mine, permission) for mine in own) for permission in needed)


def may_grant(granter: Any, role: str, scope: Place) -> bool:
    """A user may grant a role at `scope` only if their own roles there carry every permission it carries
    (except the explicit-only ones, see `covers`)."""
    return covers(granter, "roleassignment.add", role, scope, appointing=True)


def may_reset_password(actor: User, user: User) -> bool:
    """The community may reset a resident's password: every role the user holds lies in the actor's reach (so a
    community worker cannot take over an account that also acts for the street), never an administrator's."""
    if user.pk == getattr(actor, "pk", None) or user.is_superuser or user.is_staff:
        return False
    roles = list(user.role_assignments.select_related("scope"))
    if not roles:
        return scope_paths(actor, "user.reset_password") is None
    return all(covers(actor, "user.reset_password", r.role, r.scope) for r in roles)


@transaction.atomic
def user_password_change(*, actor: User, new_password: str) -> User:
    """The user sets their own password (already validated by Django's password validators)."""
    actor.set_password(new_password)
    actor.must_change_password = False
    actor.save(update_fields=["password", "must_change_password"])
    return actor


@transaction.atomic
def user_password_reset(*, actor: User, user: User) -> str:
    """A temporary password for `user`, to be told to them in person; they must change it at the next login."""
    if not may_reset_password(actor, user):
        raise PermissionDenied(_("You may not reset this user's password."))
    temporary = "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(TEMPORARY_LENGTH))
    user.set_password(temporary)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    logger.info("password of user %s reset by user %s", user.pk, getattr(actor, "pk", None))
    return temporary


@transaction.atomic
def role_assign(
    *, user: User, role: str, scope: Place, valid_from: datetime.date, valid_to: datetime.date | None = None,
    actor: User | None = None,
) -> RoleAssignment:
    """Give `user` the role `role` over the subtree of `scope`; the granting `actor` (None for the system) may not grant beyond their own."""
    if actor is not None and not may_grant(actor, role, scope):
        raise ValidationError({"role": _("You may not grant a role that reaches beyond your own.")})
    assignment = RoleAssignment(user=user, role=role, scope=scope, valid_from=valid_from, valid_to=valid_to)
    assignment.full_clean()
    assignment.save()
    forget_roles(user)
    return assignment


@transaction.atomic
def role_assignment_update(
    *, assignment: RoleAssignment, valid_from: datetime.date, valid_to: datetime.date | None,
    actor: User | None = None,
) -> RoleAssignment:
    """Change a role's period (ending it early, say); role, user and scope stay: grant a new one instead.
    `actor` may "roleassignment.change" it."""
    permit(actor, "roleassignment.change", assignment)
    assignment.valid_from, assignment.valid_to = valid_from, valid_to
    assignment.full_clean()
    assignment.save()
    forget_roles(assignment.user)
    return assignment


@transaction.atomic
def setting_set(*, key: str, value: Any, actor: User | None = None) -> Setting:
    """Store a deployment setting; `actor` may "setting.add" it (or ".change" one that exists), which only a
    role at the top of the tree carries."""
    if actor is not None:
        existing = Setting.objects.filter(key=key).first()
        permit(actor, "setting.change" if existing else "setting.add", existing or Setting(key=key))
    setting, _created = Setting.objects.update_or_create(key=key, defaults={"value": value})
    if key == clock.CLOCK_SETTING:
        transaction.on_commit(clock.forget)
        clock.forget()
    return setting


def clock_set(*, starts_at: datetime.datetime, actor: User | None = None) -> Setting:
    """Run the deployment's clock from `starts_at` on, in real time from now (the demo starts in 2023)."""
    return setting_set(key=clock.CLOCK_SETTING, value=clock.setting_value(starts_at, clock.real_now()), actor=actor)


@transaction.atomic
def clock_reset(*, actor: User | None = None) -> None:
    """Back to real time; `actor` may "setting.delete"."""
    permit(actor, "setting.delete", Setting(key=clock.CLOCK_SETTING))
    Setting.objects.filter(key=clock.CLOCK_SETTING).delete()
    transaction.on_commit(clock.forget)
    clock.forget()
