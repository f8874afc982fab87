"""The append-only event log and the small helpers every transition shares."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import User
from commonground.core.permissions import require
from commonground.core.text import clean_text

from ..models import Case, CaseEvent, Stage
from .tallies import remember, saved


def log_event(*, case: Case, actor: User, action: str, from_stage: str = "", to_stage: str = "", note: str = "",
              data: dict | None = None) -> CaseEvent:
    """Append one line to the case's log (never updated or deleted); notes lose control characters here, so
    every transition of every channel is covered once."""
    return CaseEvent.objects.create(
        case=case, at=clock.now(), actor=actor if getattr(actor, "pk", None) else None, action=action,
        from_stage=from_stage, to_stage=to_stage, note=clean_text(note), data=data or {},
    )


RELATED = ("category", "place", "handling_place")  # what every transition reads beside the case row


def locked(case: Case) -> Case:
    """The case row, locked for this transaction, so two clerks cannot move it at once. Its category and places
    (not locked either) are the ones the caller has loaded when they are still the case's; the rest are read with
    the row."""
    known = {name: field.get_cached_value(case) for name in RELATED
             if (field := Case._meta.get_field(name)).is_cached(case)}
    # of=("self",): lock the case row only; PostgreSQL refuses FOR UPDATE across the outer join to handling_place
    query = Case.objects.select_for_update(of=("self",))
    if missing := [name for name in RELATED if name not in known]:
        query = query.select_related(*missing)  # (with no names it would follow every relation)
    current = query.get(pk=case.pk)
    for name, value in known.items():
        if getattr(value, "pk", None) == getattr(current, f"{name}_id"):
            Case._meta.get_field(name).set_cached_value(current, value)
    return remember(current)


def expect_stage(case: Case, *stages: str, action: str) -> None:
    if case.stage not in stages:
        raise ValidationError(
            _("A case that is “%(stage)s” cannot be %(action)s.")
            % {"stage": Stage(case.stage).label, "action": action}
        )


def move(*, case: Case, actor: User, permission: str, allowed: tuple[str, ...], to_stage: str, action: str,
         verb: str, note: str = "", data: dict | None = None, held: bool = False, **changes: Any) -> Case:
    """Check permission and stage, set fields, change stage and log it: the shape of every transition. The case is
    locked first, unless the caller holds the lock already (`held`: it came from `locked`)."""
    case = case if held else locked(case)
    if actor is not None:
        require(actor, "case.view", case)  # strangers learn nothing, not even the stage
        expect_stage(case, *allowed, action=verb)
        require(actor, permission, case)
    else:  # the platform itself (deadline job, a second bad rating)
        expect_stage(case, *allowed, action=verb)
    from_stage = case.stage
    for field, value in changes.items():
        setattr(case, field, value)
    case.stage = to_stage
    saved(case, [*changes, "stage", "updated_at"])
    log_event(case=case, actor=actor, action=action, from_stage=from_stage, to_stage=to_stage, note=note, data=data)
    return case
