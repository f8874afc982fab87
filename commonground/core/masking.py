"""Masking of personal data for roles that need not see it: the one function pages, API schemas, exports
and the admin take personal fields through.

Whether a user sees a row's personal data in full is the resolver's `person.view_personal_data` at the
row's place (`in_full(user, obj)`, or per row in SQL for lists: `personal_flag`). `shown(kind, value,
in_full=...)` then gives the value as that user may see it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import BooleanField, Q, Value, When
from django.db.models import Case as Switch
from django.db.models.expressions import Expression

from .models.places import within_q
from .permissions import can, scope_paths

PERSONAL_DATA_PERMISSION = "person.view_personal_data"


def mask_id_number(value: str | None) -> str:
    """330105199001011234 → 330105********1234 (region kept, birth date hidden)."""
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else "*" * len(value)


def mask_phone(value: str | None) -> str:
    """13812345678 → 138****5678."""
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


def mask_name(value: str | None) -> str:
    """王小明 → 王**: the family name stays, the given name is hidden."""
    if not value:
        return ""
    return value[0] + "*" * max(len(value) - 1, 2)


def mask_email(value: str | None) -> str:
    """zhang.san@example.com → z***@example.com."""
    if not value:
        return ""
    local, _at, domain = value.partition("@")
    return f"{local[:1]}***@{domain}" if domain else mask_name(value)


MASKERS: dict[str, Callable[[str | None], str]] = {
    "id_number": mask_id_number, "phone": mask_phone, "name": mask_name, "email": mask_email,
}


def shown(kind: str, value: str | None, *, in_full: bool) -> str:
    """`value` as a user sees it: in full, or masked as its kind ("id_number", "phone", "name", "email")."""
    return (value or "") if in_full else MASKERS[kind](value)


def in_full(user: Any, obj: Any) -> bool:
    """May `user` see the personal data on `obj` (a person, a case…) in full? The resolver decides by place."""
    return can(user, PERSONAL_DATA_PERMISSION, obj)


def personal_value(user: Any, person: Any, field: str) -> str:
    """A person's field ("id_number" or "phone") as this user may see it."""
    return shown(field, getattr(person, field), in_full=in_full(user, person))


def personal_flag(user: Any, path_lookup: str) -> Expression | Value:
    """An SQL expression: may `user` see each row's personal data in full? (`path_lookup`: the row's place path)."""
    paths = scope_paths(user, PERSONAL_DATA_PERMISSION)
    if paths is None:
        return Value(True)
    if not paths:
        return Value(False)
    condition: Q = within_q(path_lookup, paths)
    return Switch(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
