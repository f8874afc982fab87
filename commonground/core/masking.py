"""Masking of personal data for roles that need not see it."""

from __future__ import annotations

from typing import Any

from .permissions import can


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


MASKERS = {"id_number": mask_id_number, "phone": mask_phone}


def personal_value(user: Any, person: Any, field: str) -> str:
    """The field as this user may see it: in full, or masked."""
    value = getattr(person, field) or ""
    if can(user, "person.view_personal_data", person):
        return value
    return MASKERS[field](value)
