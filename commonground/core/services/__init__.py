"""Every write to core data goes through these services.

Each takes `actor: User | None = None`, keyword-only. A user is checked by the one resolver before anything is
written: against the object, or for a new object against the place (or parent) it will live in. None is the
system itself — the demo builder, migrations and the operator's CLI commands — which answers to no role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from ..permissions import require, scope_paths

if TYPE_CHECKING:
    from ..models import User


def permit(actor: User | None, action: str, where: models.Model | None) -> None:
    """Raise PermissionDenied unless `actor` may `action` on `where`. `where=None` is the top of the tree (a
    place without parent, a person registered nowhere): only who may `action` everywhere reaches it."""
    if actor is None:
        return
    if where is None:
        if scope_paths(actor, action) is not None:
            raise PermissionDenied(_("You do not have permission to do this here."))
        return
    require(actor, action, where)


def permit_stored(actor: User | None, action: str, obj: models.Model) -> None:
    """`permit` on `obj` as stored, for callers that hand over an instance already changed in memory (an admin
    form that moved a membership to another organisation): the row may not leave a scope the actor cannot reach."""
    if actor is not None:
        permit(actor, action, type(obj)._default_manager.get(pk=obj.pk))
