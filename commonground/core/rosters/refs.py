"""Bulk look-ups of the records a roster row refers to (flats, people, organisations), in slices."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..models import Organisation, Person, Place, PlaceKind
from .context import ImportContext, Row, chunked


def places_by_code(codes: set[str]) -> dict[str, Place]:
    found: dict[str, Place] = {}
    for batch in chunked(sorted(codes)):
        found.update((place.code, place) for place in Place.objects.filter(code__in=batch).only("code", "kind", "path"))
    return found


def people_by_id_number(numbers: set[str], fields: tuple[str, ...] = ()) -> dict[str, Person]:
    """Known people by ID number; `fields` narrows the columns loaded."""
    found: dict[str, Person] = {}
    for batch in chunked(sorted(numbers)):
        queryset = Person.objects.filter(id_number__in=batch)
        if fields:
            queryset = queryset.only("id_number", *fields)
        found.update((person.id_number, person) for person in queryset)
    return found


def organisations_by_credit_code(codes: set[str]) -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    for batch in chunked(sorted(codes)):
        queryset = Organisation.objects.filter(credit_code__in=batch).only("credit_code")
        found.update((organisation.credit_code, organisation) for organisation in queryset)
    return found


def flat_of(ctx: ImportContext, row: Row, code: str, flats: dict[str, Place]) -> Place | None:
    """The flat with this code, or None after reporting why there is none."""
    place = flats.get(code)
    if place is None:
        ctx.error(row, "flat_code", _("No place has the code “%(code)s”.") % {"code": code}, "unknown_flat")
    elif place.kind != PlaceKind.FLAT:
        ctx.error(row, "flat_code", _("“%(code)s” is not a flat.") % {"code": code}, "not_a_flat")
        return None
    return place


def person_of(ctx: ImportContext, row: Row, key: str, number: str, people: dict[str, Person]) -> Person | None:
    person = people.get(number)
    if person is None:
        ctx.error(row, key, _("Nobody with this ID number is registered; import them with the people roster first."),
                  "unknown_person")
    return person
