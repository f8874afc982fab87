"""The places roster: create places (parents may come later in the file) and update existing ones.

Import never moves a place: a different parent is an error pointing to the move function.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ..bulk import Statement, reserve_ids
from ..models import Place, PlaceKind
from ..models.places import ALLOWED_PARENT_KINDS, path_segment
from . import cells
from .context import INVALID, ImportContext, Parsed, Plan, Row, chunked
from .specs import KIND_LABELS_ZH, choice_lookup

ATTRIBUTES = ("latitude", "longitude", "floor_area_m2", "year_built", "floors", "households", "address")


@functools.cache
def kind_lookup() -> dict[str, str]:
    return choice_lookup(PlaceKind, KIND_LABELS_ZH)


ALLOWED_KINDS = "、".join(labels[0] for labels in KIND_LABELS_ZH.values())


@dataclass
class PlaceRow(Parsed):
    row: Row
    code: str
    name: str | None
    kind: Any
    parent_code: Any
    values: dict[str, Any]


def _parse(ctx: ImportContext, row: Row) -> PlaceRow | None:
    code = ctx.parse(row, "code", cells.text, required=True, max_length=64)
    name = ctx.parse(row, "name", cells.text, max_length=200)
    kind = ctx.parse(row, "kind", cells.choice, lookup=kind_lookup(), allowed=ALLOWED_KINDS)
    parent_code = ctx.parse(row, "parent_code", cells.text, max_length=64)
    values = {
        "latitude": ctx.parse(row, "latitude", cells.decimal, places=6, low=Decimal(-90), high=Decimal(90)),
        "longitude": ctx.parse(row, "longitude", cells.decimal, places=6, low=Decimal(-180), high=Decimal(180)),
        "floor_area_m2": ctx.parse(row, "floor_area_m2", cells.area),
        "year_built": ctx.parse(row, "year_built", cells.integer, low=1000, high=2100),
        "floors": ctx.parse(row, "floors", cells.integer, low=1, high=200),
        "households": ctx.parse(row, "households", cells.integer, low=0, high=10_000_000),
        "address": ctx.parse(row, "address", cells.text, max_length=255),
    }
    if not code:
        return None
    given = {key: value for key, value in values.items() if value is not None and value is not INVALID}
    return PlaceRow(row, code, name or None, kind, parent_code, given)


@dataclass
class PlacesPlan(Plan):
    updates: list[Place] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)
    new: dict[str, PlaceRow] = field(default_factory=dict)
    depth: dict[str, int] = field(default_factory=dict)
    existing: dict[str, Place] = field(default_factory=dict)

    def statements(self, ctx: ImportContext) -> list[Statement]:
        statements = ctx.update(Place, self.updates, self.fields)
        by_depth: dict[int, list[PlaceRow]] = defaultdict(list)
        for code, item in self.new.items():
            by_depth[self.depth[code]].append(item)
        places = dict(self.existing)
        ids = iter(reserve_ids(Place, len(self.new)))  # known now, so every path is too
        for depth in sorted(by_depth):  # parents are written before their children
            level = [self._new_place(item, depth, places, next(ids)) for item in by_depth[depth]]
            places.update((place.code, place) for place in level)
            statements += ctx.insert(Place, level)
        return statements

    @staticmethod
    def _new_place(item: PlaceRow, depth: int, places: dict[str, Place], pk: int) -> Place:
        parent = places[item.parent_code] if item.parent_code else None
        return Place(
            pk=pk, code=item.code, name=item.name, kind=item.kind, parent_id=parent.pk if parent else None,
            path=(parent.path if parent else "") + path_segment(pk), depth=depth, **{"address": "", **item.values},
        )


def _existing(codes: set[str]) -> dict[str, Place]:
    found: dict[str, Place] = {}
    for batch in chunked(sorted(codes)):
        for place in Place.objects.filter(code__in=batch).select_related("parent"):
            found[place.code] = place
    return found


def _plan_update(ctx: ImportContext, plan: PlacesPlan, item: PlaceRow, place: Place) -> None:
    if item.kind and item.kind != place.kind:
        ctx.error(item.row, "kind", _("The kind of an existing place cannot be changed by import."), "kind_changed")
    current = place.parent.code if place.parent_id else ""
    if item.parent_code is not None and item.parent_code is not INVALID and item.parent_code != current:
        ctx.error(
            item.row, "parent_code",
            _("This place is under “%(current)s”; import does not move places. Use “Move” on the place's page.")
            % {"current": current or _("nothing (top level)")}, "move_needed",
        )
    changes = {key: value for key, value in {"name": item.name, **item.values}.items()
               if value is not None and value != getattr(place, key)}
    if not changes:
        plan.unchanged += 1
        return
    if not ctx.may("place.change", place.path):
        ctx.refuse(item.row, "code")
    if item.row.ok:
        for key, value in changes.items():
            setattr(place, key, value)
        plan.updates.append(place)
        plan.fields.update(changes)


def _plan_create(ctx: ImportContext, item: PlaceRow, existing: dict[str, Place], new: dict[str, PlaceRow]) -> None:
    if item.name is None:
        ctx.error(item.row, "name", _("A new place needs a name."), "required")
    if item.kind is None:
        ctx.error(item.row, "kind", _("A new place needs a kind."), "required")
    if item.parent_code is INVALID:
        return
    if item.parent_code is None:
        parent_kind: Any = None
    elif item.parent_code in existing:
        parent_kind = existing[item.parent_code].kind
    elif item.parent_code in new:
        parent_kind = new[item.parent_code].kind or INVALID
    else:
        ctx.error(item.row, "parent_code",
                  _("No place has the code “%(code)s”, neither in the database nor in this file.")
                  % {"code": item.parent_code}, "unknown_parent")
        return
    if item.kind and parent_kind is not INVALID and parent_kind not in ALLOWED_PARENT_KINDS[item.kind]:
        ctx.error(item.row, "parent_code",
                  _("A place of kind “%(kind)s” cannot be placed under “%(parent)s”.")
                  % {"kind": KIND_LABELS_ZH[item.kind][0],
                     "parent": KIND_LABELS_ZH[parent_kind][0] if parent_kind else _("nothing (top level)")},
                  "parent_kind")


def _resolve_depths(ctx: ImportContext, new: dict[str, PlaceRow], existing: dict[str, Place]) -> dict[str, Any]:
    """code → (depth, path of the nearest existing ancestor or None), walking parent chains in the file."""
    resolved: dict[str, Any] = {}
    for start in new:
        chain: list[str] = []
        on_chain: set[str] = set()
        code, base = start, None
        while True:
            if code in resolved:
                base = resolved[code]
                break
            if code in on_chain:
                for looped in chain[chain.index(code):]:
                    ctx.error(new[looped].row, "parent_code",
                              _("The parents in this file form a loop: a place would lie under itself."), "loop")
                break
            chain.append(code)
            on_chain.add(code)
            parent = new[code].parent_code
            if parent is None:
                base = (-1, None)
                break
            if parent in existing:
                base = (existing[parent].depth, existing[parent].path)
                break
            if parent is INVALID or parent not in new:
                break  # already reported
            code = parent
        for code in reversed(chain):
            if code in resolved:
                continue
            if base is not None:
                base = (base[0] + 1, base[1])
            resolved[code] = base
    return resolved


def plan(ctx: ImportContext, rows: list[Row]) -> PlacesPlan:
    items = [item for row in ctx.counted(rows, _("Checking")) if (item := _parse(ctx, row))]
    by_code = ctx.first_rows(items, lambda item: item.code, "code")
    wanted = set(by_code) | {item.parent_code for item in items if item.parent_code}
    result = PlacesPlan(existing=_existing(wanted))
    result.new = {code: item for code, item in by_code.items() if code not in result.existing}
    for code, item in by_code.items():
        if code in result.existing:
            _plan_update(ctx, result, item, result.existing[code])
        else:
            _plan_create(ctx, item, result.existing, result.new)
    for code, found in _resolve_depths(ctx, result.new, result.existing).items():
        if found is None:
            continue
        result.depth[code] = found[0]
        item = result.new[code]
        if not ctx.may("place.add", found[1]):
            ctx.refuse(item.row, "parent_code" if item.parent_code else "code")
    result.created = len(result.new)
    result.updated = len(result.updates)
    return result
