"""The one permission resolver: `can(user, action, obj)` and `visible_to(user, action, qs)`.

Every page, API handler, export and admin screen asks here. Scope is a place: a role
reaches every object whose place lies in the subtree of the role's scope. Models say
how they reach a place with `scope_path` (a lookup to a place path) or `scope_q(paths)`.
List filters run in the database; nothing is filtered after loading.
"""

from __future__ import annotations

import operator
from functools import reduce
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from .models import RoleAssignment
from .models.places import SEGMENT_WIDTH, is_root_path, within_q
from .rules import role_permits

ROLES_CACHE_ATTR = "_cg_active_roles"


def active_roles(user: Any) -> list[RoleAssignment]:
    """The user's roles in force today, loaded once per user object (i.e. per request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, ROLES_CACHE_ATTR, None)
    if cached is None:
        cached = list(RoleAssignment.objects.active().filter(user=user).select_related("scope"))
        setattr(user, ROLES_CACHE_ATTR, cached)
    return cached


def forget_roles(user: Any) -> None:
    if hasattr(user, ROLES_CACHE_ATTR):
        delattr(user, ROLES_CACHE_ATTR)


def scope_paths(user: Any, action: str) -> list[str] | None:
    """Paths of the places where `user` may do `action`; None means everywhere."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    return sorted({role.scope.path for role in active_roles(user) if role_permits(role.role, action)})


def scope_lookup(model: type[models.Model], action: str) -> str | None:
    """The lookup from `model` to the place path that scopes `action` (models may vary it by action)."""
    by_action = getattr(model, "scope_paths_by_action", {})
    return by_action.get(action, getattr(model, "scope_path", None))


def scope_condition(model: type[models.Model], paths: list[str], action: str = "") -> Q:
    """Q selecting the rows of `model` that lie under any of `paths`."""
    if hasattr(model, "scope_q"):
        return model.scope_q(paths)
    lookup = scope_lookup(model, action)
    if lookup is None:  # objects tied to no place (settings, the calendar) belong to the top of the tree
        return Q() if any(is_root_path(path) for path in paths) else Q(pk__in=[])
    if lookup != getattr(model, "scope_path", None):
        return within_q(lookup, paths)
    # A table that copies the street's or community's path into its rows (`scope_prefixes`) is filtered on
    # equality there, which an index in the list's order serves.
    exact = {segments * SEGMENT_WIDTH: field for field, segments in getattr(model, "scope_prefixes", {}).items()}
    conditions = [Q(**{exact[len(path)]: path}) if len(path) in exact else within_q(lookup, [path]) for path in paths]
    return reduce(operator.or_, conditions) if conditions else Q(pk__in=[])


def own_condition(user: Any, model: type[models.Model], action: str) -> Q:
    """Rows a user reaches as themselves, whatever their roles (their person record, what they reported).

    Models opt in with a classmethod `own_q(user, action) -> Q | None`.
    """
    own_q = getattr(model, "own_q", None)
    condition = own_q(user, action) if own_q else None
    return condition if condition is not None else Q(pk__in=[])


def visible_to(user: Any, action: str, queryset: models.QuerySet) -> models.QuerySet:
    """`queryset` narrowed to the rows `user` may do `action` on."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    paths = scope_paths(user, action)
    if paths is None:
        return queryset
    condition = own_condition(user, queryset.model, action)
    if paths:
        scope = scope_condition(queryset.model, paths, action)
        if scope == Q():  # every row (place-less objects, for a root-scope holder)
            return queryset
        condition |= scope
    return queryset.filter(condition)


def can(user: Any, action: str, obj: models.Model | None = None) -> bool:
    """May `user` do `action` on `obj` (or anywhere at all, when obj is None)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    paths = scope_paths(user, action)
    if paths is None:
        return True
    if obj is None:
        return bool(paths)
    is_own = getattr(obj, "is_own", None)
    if is_own is not None and is_own(user, action):
        return True
    if not paths:
        return False
    model = type(obj)
    lookup = scope_lookup(model, action)
    if lookup is None and not hasattr(model, "scope_q"):
        return any(is_root_path(path) for path in paths)
    if lookup and not hasattr(model, "scope_q"):
        path = _follow(obj, lookup)
        return path is not None and any(path.startswith(p) for p in paths)
    return model._default_manager.filter(pk=obj.pk).filter(scope_condition(model, paths, action)).exists()


def can_on_model(user: Any, action: str, model: type[models.Model]) -> bool:
    """May `user` do `action` on some row of `model`? For place-less models only a root scope counts."""
    paths = scope_paths(user, action)
    if paths is None:
        return True
    if scope_lookup(model, action) is None and not hasattr(model, "scope_q"):
        return any(is_root_path(path) for path in paths)
    return bool(paths)


def require(user: Any, action: str, obj: models.Model | None = None) -> None:
    """Raise PermissionDenied unless `can(user, action, obj)`."""
    if not can(user, action, obj):
        raise PermissionDenied(_("You do not have permission to do this here."))


def access_object(actor: Any, visible: models.QuerySet, action: str, *, view_action: str, missing: str = "",
                  **lookup: Any) -> Any:
    """The row of `visible` (what the actor may see, narrowed by its model's rule) matching `lookup`, for `action`.

    Http404 with `missing` when there is none, so keys tell strangers nothing; PermissionDenied when the actor
    sees it but `action` (other than `view_action`, which seeing already grants) is not theirs. The access
    functions of every app (`access_vote`, `access_case`, ...) are this with their model's rule."""
    try:
        obj = visible.get(**lookup)
    except visible.model.DoesNotExist:
        raise Http404(missing) from None
    if action != view_action:
        require(actor, action, obj)
    return obj


def _follow(obj: models.Model, lookup: str) -> str | None:
    value: Any = obj
    for part in lookup.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value
