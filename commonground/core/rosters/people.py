"""The people roster, keyed by resident ID number: new people are created, known ones updated."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..bulk import Statement
from ..models import Person
from ..models.places import ancestor_ids
from ..permissions import visible_to
from ..services.people import search_keys
from ..validators import id_number_birth_date, id_number_gender
from . import cells
from .context import INVALID, ImportContext, Parsed, Plan, Row, chunked
from .refs import people_by_id_number


@dataclass
class PersonRow(Parsed):
    row: Row
    id_number: str
    name: str | None
    phone: str | None


def _parse(ctx: ImportContext, row: Row) -> PersonRow | None:
    id_number = ctx.parse(row, "id_number", cells.id_number, required=True)
    name = ctx.parse(row, "name", cells.text, required=True, max_length=100)
    phone = ctx.parse(row, "phone", cells.phone)
    if not id_number:
        return None
    return PersonRow(row, id_number, name or None, None if phone is INVALID else phone)


@dataclass
class PeoplePlan(Plan):
    new: list[PersonRow] = field(default_factory=list)
    updates: list[tuple[Person, dict[str, str]]] = field(default_factory=list)
    registered_place_id: int | None = None

    def statements(self, ctx: ImportContext) -> list[Statement]:
        changed: list[Person] = []
        fields: set[str] = set()
        for person, changes in self.updates:
            for key, value in changes.items():
                setattr(person, key, value)
            if "name" in changes or "phone" in changes:
                keys = search_keys(person.name, person.phone)
                for key, value in keys.items():
                    setattr(person, key, value)
                changes = {**changes, **keys}
            fields.update(changes)
            changed.append(person)
        return ctx.update(Person, changed, fields) + ctx.insert(Person, [
            Person(
                name=item.name, **search_keys(item.name or "", item.phone or ""), id_number=item.id_number,
                phone=item.phone or "", gender=id_number_gender(item.id_number),
                birth_date=id_number_birth_date(item.id_number), registered_place_id=self.registered_place_id,
            )
            for item in self.new
        ])


def _changeable(ctx: ImportContext, people: list[Person]) -> set[int] | None:
    """Which of these people the user may change (None: all); one query per slice, never per row."""
    if ctx.paths("person.change") is None:
        return None
    allowed: set[int] = set()
    for batch in chunked([person.pk for person in people]):
        queryset = Person.objects.filter(pk__in=batch)
        allowed.update(visible_to(ctx.user, "person.change", queryset).values_list("pk", flat=True))
    return allowed


def plan(ctx: ImportContext, rows: list[Row]) -> PeoplePlan:
    """New people are created and known ones updated. A number known only outside the user's area is answered
    exactly as an unknown one ("new") and its record is left alone: the roster must not tell a clerk whether
    someone is registered elsewhere, nor let them change that record."""
    items = [item for row in ctx.counted(rows, _("Checking")) if (item := _parse(ctx, row))]
    by_id = ctx.first_rows(items, lambda item: item.id_number, "id_number")
    known = people_by_id_number(set(by_id))
    changeable = _changeable(ctx, list(known.values()))
    result = PeoplePlan()
    may_add = ctx.may_somewhere("person.add")
    elsewhere = 0
    for number, item in by_id.items():
        person = known.get(number)
        outside = person is not None and changeable is not None and person.pk not in changeable
        if person is None or outside:
            if not may_add:
                ctx.refuse(item.row, "id_number")
            if outside:
                elsewhere += 1
            else:
                result.new.append(item)
            continue
        changes = {key: value for key, value in (("name", item.name), ("phone", item.phone))
                   if value is not None and value != getattr(person, key)}
        if changes:
            result.updates.append((person, changes))
        else:
            result.unchanged += 1
    result.created = len(result.new) + elsewhere
    result.updated = len(result.updates)
    result.registered_place_id = registered_place_id(ctx)
    return result


def registered_place_id(ctx: ImportContext) -> int | None:
    """Where a scoped importer registers new people (their first place for "person.add"), so that
    the people stay in the importer's view before any household or title names them."""
    paths = ctx.paths("person.add")
    return ancestor_ids(paths[0])[-1] if paths else None
