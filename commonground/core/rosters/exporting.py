"""Export a roster as the user may see it: rows from `visible_to`, personal data masked per row in SQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from ..masking import shown
from ..models import HouseholdMember, Ownership, Person, Place, Relation
from ..models.places import within_q
from ..permissions import require, scope_paths, visible_to
from ..tables import table_bytes
from .specs import KIND_LABELS_ZH, RELATION_LABELS_ZH, ROSTERS

CHUNK = 2000


class ExportError(ValueError):
    """The export cannot be made as asked (e.g. an unknown scope place)."""


def _visible(user: Any, action: str, queryset: QuerySet) -> QuerySet:
    return queryset if user is None else visible_to(user, action, queryset)


def _full_data(user: Any, person_field: str) -> Any:
    """An SQL flag per row: may the user see this row's person's ID number and phone in full?"""
    if user is None or scope_paths(user, "person.view_personal_data") is None:
        return Value(True)
    allowed = visible_to(user, "person.view_personal_data", Person.objects.all()).values("pk")
    return Case(When(Q(**{f"{person_field}__in": allowed}), then=Value(True)), default=Value(False),
                output_field=BooleanField())


def _places(user: Any, scope: Place | None) -> Iterator[list[Any]]:
    queryset = _visible(user, "place.view", Place.objects.all())
    if scope is not None:
        queryset = queryset.within(scope)
    rows = queryset.order_by("path").values_list(
        "code", "name", "kind", "parent__code", "latitude", "longitude", "floor_area_m2", "year_built",
        "floors", "households", "address",
    )
    for code, name, kind, parent_code, *rest in rows.iterator(chunk_size=CHUNK):
        yield [code, name, KIND_LABELS_ZH[kind][0], parent_code or "", *rest]


def _people(user: Any, scope: Place | None) -> Iterator[list[Any]]:
    queryset = _visible(user, "person.view", Person.objects.exclude(id_number__isnull=True).exclude(id_number=""))
    if scope is not None:
        queryset = queryset.filter(Person.scope_q([scope.path]))
    rows = queryset.annotate(full=_full_data(user, "pk")).order_by("name_pinyin", "pk")
    for id_number, name, phone, full in rows.values_list("id_number", "name", "phone", "full").iterator(CHUNK):
        yield [shown("id_number", id_number, in_full=full), name, shown("phone", phone, in_full=full)]


def _households(user: Any, scope: Place | None) -> Iterator[list[Any]]:
    queryset = _visible(user, "household.view", HouseholdMember.objects.exclude(person__id_number__isnull=True))
    if scope is not None:
        queryset = queryset.filter(within_q("household__flat__path", [scope.path]))
    head_first = Case(When(relation=Relation.HEAD, then=Value(0)), default=Value(1))
    rows = queryset.annotate(full=_full_data(user, "person_id")).order_by(
        "household__flat__path", "household_id", head_first, "pk"
    ).values_list("household__flat__code", "person__id_number", "relation", "full")
    for flat_code, id_number, relation, full in rows.iterator(CHUNK):
        yield [flat_code, shown("id_number", id_number, in_full=full), RELATION_LABELS_ZH[relation][0]]


def _ownership(user: Any, scope: Place | None) -> Iterator[list[Any]]:
    queryset = _visible(user, "ownership.view", Ownership.objects.filter(ended_on__isnull=True))
    if scope is not None:
        queryset = queryset.filter(within_q("flat__path", [scope.path]))
    rows = queryset.annotate(full=_full_data(user, "person_id")).order_by("flat__path", "pk").values_list(
        "flat__code", "person__id_number", "organisation__credit_code", "exclusive_area_m2", "acquired_on", "full",
    )
    for flat_code, id_number, credit_code, area, acquired_on, full in rows.iterator(CHUNK):
        yield [flat_code, shown("id_number", id_number, in_full=full), credit_code or "", area, acquired_on]


EXPORTERS = {"places": _places, "people": _people, "households": _households, "ownership": _ownership}


def export_rows(*, roster: str, user: Any = None, scope_code: str | None = None) -> Iterator[list[Any]]:
    """The roster's rows as `user` may see them (everything, in full, for the system when user is None)."""
    if user is not None:
        require(user, "roster.export")
    scope = None
    if scope_code:
        scope = _visible(user, "place.view", Place.objects.filter(code=scope_code)).first()
        if scope is None:
            raise ExportError(_("No place has the code “%(code)s”.") % {"code": scope_code})
    return EXPORTERS[roster](user, scope)


def roster_export(*, roster: str, fmt: str = "csv", user: Any = None, scope_code: str | None = None) -> bytes:
    """The roster as a CSV or XLSX file, with the Chinese headers the import reads back."""
    spec = ROSTERS[roster]
    rows = export_rows(roster=roster, user=user, scope_code=scope_code)
    return table_bytes(fmt, spec.labels, rows, title=spec.name)
