"""The ownership roster: titles to flats, held by a person (ID number) or an organisation (credit code).

Co-owners of one flat share its registered exclusive area; a current title for the same
flat and holder is updated, any other row creates a title.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from ..bulk import Statement
from ..models import Ownership, Place
from . import cells
from .context import INVALID, ImportContext, Parsed, Plan, Row, chunked
from .refs import flat_of, organisations_by_credit_code, people_by_id_number, person_of, places_by_code

Holder = tuple[str, int]  # ("person" | "organisation", pk)


@dataclass
class TitleRow(Parsed):
    row: Row
    flat_code: str
    id_number: str | None
    credit_code: str | None
    area: Decimal | None
    acquired_on: datetime.date | None
    holder: Holder | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.flat_code, "person", self.id_number) if self.id_number else \
            (self.flat_code, "organisation", self.credit_code or "")


def _parse(ctx: ImportContext, row: Row) -> TitleRow | None:
    flat_code = ctx.parse(row, "flat_code", cells.text, required=True, max_length=64)
    id_number = ctx.parse(row, "owner_id_number", cells.id_number)
    credit_code = ctx.parse(row, "owner_credit_code", cells.credit_code)
    area = ctx.parse(row, "exclusive_area_m2", cells.area, required=True)
    acquired_on = ctx.parse(row, "acquired_on", cells.date)
    if id_number is INVALID or credit_code is INVALID:
        return None
    if id_number and credit_code:
        ctx.error(row, "owner_id_number",
                  _("Give either the owner's ID number or the organisation's credit code, not both."), "two_holders")
        return None
    if not id_number and not credit_code:
        ctx.error(row, "owner_id_number",
                  _("Give the owner's ID number or, for an organisation such as the developer, its credit code."),
                  "no_holder")
        return None
    if not flat_code:
        return None
    return TitleRow(row, flat_code, id_number, credit_code, area or None, acquired_on or None)


@dataclass
class OwnershipPlan(Plan):
    new: list[Ownership] = field(default_factory=list)
    updates: list[Ownership] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)

    def statements(self, ctx: ImportContext) -> list[Statement]:
        return ctx.update(Ownership, self.updates, self.fields) + ctx.insert(Ownership, self.new)


def _holder(ctx: ImportContext, item: TitleRow, people: dict, organisations: dict) -> Holder | None:
    if item.id_number:
        person = person_of(ctx, item.row, "owner_id_number", item.id_number, people)
        return ("person", person.pk) if person else None
    organisation = organisations.get(item.credit_code)
    if organisation is None:
        ctx.error(item.row, "owner_credit_code", _("No organisation with this credit code is registered."),
                  "unknown_organisation")
        return None
    return "organisation", organisation.pk


def _current_titles(flats: list[Place]) -> dict[int, dict[Holder, Ownership]]:
    titles: dict[int, dict[Holder, Ownership]] = defaultdict(dict)
    for batch in chunked([flat.pk for flat in flats]):
        for title in Ownership.objects.filter(flat_id__in=batch, ended_on__isnull=True):
            holder = ("person", title.person_id) if title.person_id else ("organisation", title.organisation_id)
            titles[title.flat_id][holder] = title  # type: ignore[index]
    return titles


def _check_areas(ctx: ImportContext, items: list[TitleRow], titles: dict[Holder, Ownership]) -> None:
    """Every co-owner of a flat, in the file or already registered, holds the same area."""
    with_area = [item for item in items if item.area]
    if not with_area:
        return
    first = with_area[0]
    for item in with_area[1:]:
        if item.area != first.area:
            ctx.error(item.row, "exclusive_area_m2",
                      _("Co-owners of one flat share its registered area (%(area)s m² on row %(row)d).")
                      % {"area": first.area, "row": first.row.number}, "area_differs")
    in_file = {item.holder for item in items}
    others = {title.exclusive_area_m2 for holder, title in titles.items() if holder not in in_file}
    if others - {first.area}:
        for item in with_area:
            ctx.error(item.row, "exclusive_area_m2",
                      _("The other owners of this flat are registered with %(area)s m²; co-owners share one area.")
                      % {"area": sorted(others - {first.area})[0]}, "area_differs")


def _plan_flat(ctx: ImportContext, plan: OwnershipPlan, flat: Place, items: list[TitleRow],
               titles: dict[Holder, Ownership]) -> None:
    _check_areas(ctx, items, titles)
    for item in items:
        assert item.holder is not None
        title = titles.get(item.holder)
        if title is None:
            if not ctx.may("ownership.add", flat.path):
                ctx.refuse(item.row, "flat_code")
            kind, pk = item.holder
            plan.new.append(Ownership(flat_id=flat.pk, exclusive_area_m2=item.area, acquired_on=item.acquired_on,
                                      **{f"{kind}_id": pk}))
            plan.created += 1
            continue
        changes = {key: value for key, value in (("exclusive_area_m2", item.area), ("acquired_on", item.acquired_on))
                   if value is not None and value != getattr(title, key)}
        if not changes:
            plan.unchanged += 1
            continue
        if not ctx.may("ownership.change", flat.path):
            ctx.refuse(item.row, "flat_code")
        for key, value in changes.items():
            setattr(title, key, value)
        plan.updates.append(title)
        plan.fields.update(changes)
        plan.updated += 1


def plan(ctx: ImportContext, rows: list[Row]) -> OwnershipPlan:
    items = [item for row in ctx.counted(rows, _("Checking")) if (item := _parse(ctx, row))]
    ctx.first_rows([item for item in items if item.id_number], lambda item: item.key, "owner_id_number")
    ctx.first_rows([item for item in items if item.credit_code], lambda item: item.key, "owner_credit_code")
    flats = places_by_code({item.flat_code for item in items})
    people = people_by_id_number({item.id_number for item in items if item.id_number}, fields=("pk",))
    organisations = organisations_by_credit_code({item.credit_code for item in items if item.credit_code})
    by_flat: dict[int, list[TitleRow]] = defaultdict(list)
    flat_by_pk: dict[int, Place] = {}
    for item in items:
        flat = flat_of(ctx, item.row, item.flat_code, flats)
        item.holder = _holder(ctx, item, people, organisations)
        if flat and item.holder and item.row.ok:
            by_flat[flat.pk].append(item)
            flat_by_pk[flat.pk] = flat
    titles = _current_titles(list(flat_by_pk.values()))
    result = OwnershipPlan()
    for flat_pk, group in by_flat.items():
        _plan_flat(ctx, result, flat_by_pk[flat_pk], group, titles.get(flat_pk, {}))
    return result
