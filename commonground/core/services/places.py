"""Writes to the place tree."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from ..models import Place, User
from ..models.places import ALLOWED_PARENT_KINDS, SEGMENT_WIDTH, path_segment, place_moved, within_q
from . import permit

EDITABLE_FIELDS = (
    "name", "latitude", "longitude", "outline", "floor_area_m2", "year_built", "floors", "households",
    "address",
)


def _check_parent_kind(kind: str, parent: Place | None) -> None:
    allowed = ALLOWED_PARENT_KINDS.get(kind)
    if allowed is None:
        raise ValidationError({"kind": _("Unknown kind of place: %(kind)s.") % {"kind": kind}})
    parent_kind = parent.kind if parent else None
    if parent_kind not in allowed:
        raise ValidationError(
            {"parent": _("A place of kind “%(kind)s” cannot be placed under “%(parent)s”.")
             % {"kind": kind, "parent": parent.get_kind_display() if parent else _("nothing (top level)")}}
        )


def temporary_path() -> str:
    """A unique placeholder until the row has an id to build its path from."""
    return "tmp-" + uuid.uuid4().hex


@transaction.atomic
def place_create(
    *, code: str, name: str, kind: str, parent: Place | None = None, latitude: Decimal | None = None,
    longitude: Decimal | None = None, floor_area_m2: Decimal | None = None, year_built: int | None = None,
    floors: int | None = None, households: int | None = None, outline: dict | None = None, address: str = "",
    actor: User | None = None,
) -> Place:
    """Create a place under `parent`, with its path and depth; `actor` may "place.add" under `parent`."""
    permit(actor, "place.add", parent)
    _check_parent_kind(kind, parent)
    place = Place(
        code=code.strip(), name=name.strip(), kind=kind, parent=parent, path=temporary_path(),
        depth=parent.depth + 1 if parent else 0, latitude=latitude, longitude=longitude,
        floor_area_m2=floor_area_m2, year_built=year_built, floors=floors, households=households, outline=outline,
        address=address,
    )
    place.full_clean(exclude=["path"])
    place.save()
    place.path = (parent.path if parent else "") + path_segment(place.pk)
    Place.objects.filter(pk=place.pk).update(path=place.path)
    return place


@transaction.atomic
def place_update(*, place: Place, actor: User | None = None, **changes: Any) -> Place:
    """Change a place's descriptive fields (not its position in the tree: see place_move)."""
    permit(actor, "place.change", place)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for field, value in changes.items():
        setattr(place, field, value)
    place.full_clean(exclude=["path"])
    place.save()
    return place


@transaction.atomic
def place_move(*, place: Place, new_parent: Place, actor: User | None = None) -> Place:
    """Move `place` with its whole subtree under `new_parent`, rewriting every path at once; `actor` may
    "place.change" both the place and the new parent."""
    place = Place.objects.select_for_update().get(pk=place.pk)
    new_parent = Place.objects.get(pk=new_parent.pk)
    permit(actor, "place.change", place)
    permit(actor, "place.change", new_parent)
    if new_parent.path.startswith(place.path):
        raise ValidationError({"parent": _("A place cannot be moved under itself or one of its own descendants.")})
    _check_parent_kind(place.kind, new_parent)
    old_path = place.path
    new_path = new_parent.path + path_segment(place.pk)
    depth_change = new_parent.depth + 1 - place.depth
    Place.objects.within(place).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_change,
    )
    rewrite_path_copies(old_path, new_path)
    place.refresh_from_db()
    place.parent = new_parent
    place.save(update_fields=["parent", "updated_at"])  # through save() so the audit trail records it
    place_moved.send(sender=Place, old_path=old_path, new_path=new_path)
    return place


def rewrite_path_copies(old_path: str, new_path: str) -> None:
    """Every scoped table's copies of place paths (a model's `place_path_fields`) under `old_path` move to
    `new_path`, and the street's and community's paths it keeps beside them (`scope_prefixes`) are taken
    afresh, in the transaction of the move."""
    for model in apps.get_models():
        for field in getattr(model, "place_path_fields", ()):
            model._base_manager.filter(within_q(field, [old_path])).update(
                **{field: Concat(Value(new_path), Substr(field, len(old_path) + 1))})
        if prefixes := getattr(model, "scope_prefixes", {}):
            lookup = model.scope_path
            model._base_manager.filter(within_q(lookup, [new_path])).update(
                **{field: Substr(lookup, 1, segments * SEGMENT_WIDTH) for field, segments in prefixes.items()})
