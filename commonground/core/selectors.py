"""Reads the core pages need: a place, person or household by key, children with counts, organisations, a
flat's records, the audit trail.

Every function narrows through the resolver and runs a fixed number of queries, whatever the rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from .clock import today
from .models import (
    Household,
    HouseholdMember,
    Organisation,
    OrganisationMembership,
    Ownership,
    Person,
    Place,
    PlaceKind,
    User,
)
from .models.places import SEGMENT_WIDTH, ancestor_ids, within_q
from .permissions import access_object, can, scope_paths, visible_to

HISTORY_LIMIT = 20


def access_place(actor: User, code: str, action: str = "place.view") -> Place:
    """The place with this code, with its parent: Http404 unless the actor may `place.view` it (a role's scope
    holds it), PermissionDenied when they see it but may not do `action` there (`report.view`, ...)."""
    return access_object(actor, visible_to(actor, "place.view", Place.objects.select_related("parent")), action,
                         view_action="place.view", missing=_("There is no place with this code."), code=code)


def access_person(actor: User, pk: int, action: str = "person.view") -> Person:
    """The person, with their login: Http404 unless the actor may `person.view` them (in a role's scope, or
    themselves), PermissionDenied when they see them but may not do `action`."""
    return access_object(actor, visible_to(actor, "person.view", Person.objects.select_related("user")), action,
                         view_action="person.view", pk=pk)


def access_household(actor: User, pk: int, action: str = "household.view") -> Household:
    """The household with its flat and head: Http404 unless the actor may `household.view` it (in a role's
    scope, or their own), PermissionDenied when they see it but may not do `action`."""
    households = visible_to(actor, "household.view", Household.objects.select_related("flat", "head"))
    return access_object(actor, households, action, view_action="household.view", pk=pk)


@dataclass
class ChildRow:
    place: Place
    households: int = 0
    people: int = 0


def child_rows(user: Any, place: Place, children: list[Place]) -> tuple[list[ChildRow], bool]:
    """Children with households and residents under each, counted in one grouped query over the subtree.

    Every path under child C starts with C's path, which is the parent's path plus one segment,
    so grouping the subtree's households by that prefix counts all children at once.
    """
    rows = {child.path: ChildRow(child) for child in children}
    counted = bool(children) and can(user, "household.view", place)
    if counted:
        prefix = Substr("flat__path", 1, len(place.path) + SEGMENT_WIDTH)
        totals = (
            visible_to(user, "household.view", Household.objects.filter(within_q("flat__path", [place.path])))
            .annotate(branch=prefix).order_by().values("branch")
            .annotate(n_households=Count("pk", distinct=True), n_people=Count("memberships__person", distinct=True))
        )
        for total in totals:
            row = rows.get(total["branch"])
            if row is not None:
                row.households, row.people = total["n_households"], total["n_people"]
    return list(rows.values()), counted


def visible_person_ids(user: Any, ids: set[int], action: str = "person.view") -> set[int]:
    """Which of these people the user may open (or see in full): one query, or none."""
    if not ids or not can(user, action):
        return set()
    return set(visible_to(user, action, Person.objects.filter(pk__in=ids)).values_list("pk", flat=True))


def organisations_at(user: Any, place: Place) -> list[Organisation]:
    """Organisations seated at `place`, with their current members when the user may see them."""
    organisations = visible_to(user, "organisation.view", Organisation.objects.filter(place=place))
    if can(user, "organisationmembership.view", place):
        day = today()
        current = OrganisationMembership.objects.filter(Q(term_to__isnull=True) | Q(term_to__gte=day))
        organisations = organisations.prefetch_related(Prefetch(
            "memberships", to_attr="shown_members",
            queryset=visible_to(user, "organisationmembership.view", current).select_related("person"),
        ))
    return list(organisations)


def flat_records(user: Any, place: Place) -> tuple[list[Household], list[Ownership]]:
    """Households living at a flat and its current owners, each only when the user may see them."""
    if place.kind != PlaceKind.FLAT:
        return [], []
    households: list[Household] = []
    ownerships: list[Ownership] = []
    if can(user, "household.view", place):
        households = list(
            visible_to(user, "household.view", Household.objects.filter(flat=place)).prefetch_related(
                Prefetch("memberships", queryset=HouseholdMember.objects.select_related("person").order_by("pk"))
            )
        )
    if can(user, "ownership.view", place):
        ownerships = list(
            visible_to(user, "ownership.view", Ownership.objects.current().filter(flat=place))
            .select_related("person", "organisation")
        )
    return households, ownerships


def _shown(field: models.Field, value: Any, names: dict[tuple[type, Any], str]) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return names.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def history_entries(records: list[Any], *, limit: int = HISTORY_LIMIT, excluded: tuple[str, ...] = ()) -> list[dict]:
    """Audit entries, newest first: when, who, what kind of change, and field by field what changed.

    `records` are the newest historical records, newest first; one more than `limit` lets the
    oldest shown entry be diffed too. Related ids are named with one query per related model.
    """
    # Each record with the one before it; the oldest record has none (an object built in bulk has no
    # history at all, so `records` may be empty).
    pairs = list(zip(records, [*records[1:], None], strict=False))[:limit]
    deltas = []
    wanted: dict[type, set[Any]] = {}
    for newer, older in pairs:
        changes = []
        if older is not None and newer.history_type == "~":
            changes = newer.diff_against(older, excluded_fields=excluded).changes
            for change in changes:
                field = newer.instance_type._meta.get_field(change.field)
                if field.is_relation:
                    wanted.setdefault(field.related_model, set()).update({change.old, change.new} - {None})
        deltas.append((newer, changes))
    names = {
        (model, pk): str(obj) for model, pks in wanted.items() for pk, obj in model._default_manager.in_bulk(pks).items()
    }
    entries = []
    for record, changes in deltas:
        fields = [record.instance_type._meta.get_field(change.field) for change in changes]
        entries.append({
            "when": record.history_date,
            "who": record.history_user,
            "kind": record.get_history_type_display(),
            "type": record.history_type,
            "changes": [
                {"name": field.name, "field": field.verbose_name, "old": _shown(field, change.old, names),
                 "new": _shown(field, change.new, names)}
                for field, change in zip(fields, changes, strict=True)
            ],
        })
    return entries


def recent_history(user: Any, obj: models.Model, *, excluded: tuple[str, ...] = ()) -> list[dict] | None:
    """The object's audit history for users who may see it, else None."""
    if not can(user, "history.view", obj):
        return None
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: HISTORY_LIMIT + 1])
    return history_entries(records, excluded=excluded)


# The kinds of place a list is narrowed to by area (the case queue's place filter): what a place picker offers
# unless asked for other kinds.
AREA_KINDS = (PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY, PlaceKind.ESTATE,
              PlaceKind.OFFICE_BUILDING)
SUGGESTIONS = 20


def place_suggestions(actor: User, query: str = "", *, kinds: Iterable[str] = AREA_KINDS,
                      action: str = "place.view", limit: int = SUGGESTIONS) -> list[Place]:
    """Up to `limit` places of `kinds` whose name holds `query` or whose code starts with it, in tree order, with
    their parents joined: those the actor may see and may do `action` on, so a picker offers exactly what the
    form behind it accepts. One query (and the actor's roles, once)."""
    places = Place.objects.filter(kind__in=list(kinds)).select_related("parent")
    if query:
        places = places.filter(Q(name__icontains=query) | Q(code__istartswith=query))
    places = visible_to(actor, "place.view", places)
    if action != "place.view":
        places = visible_to(actor, action, places)
    return list(places.order_by("path")[:limit])


MAP_AREA_KINDS = (PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY, PlaceKind.ESTATE)


def map_areas(user: Any, *, within: Place | None = None) -> list[dict[str, Any]]:
    """GeoJSON features of the outlined areas drawn under a map, largest first: those the user may view (under
    `within` when given) and, for orientation, the areas above the user's own places (their names are shown in
    every breadcrumb anyway)."""
    outlined = Place.objects.filter(kind__in=MAP_AREA_KINDS, outline__isnull=False)
    visible = visible_to(user, "place.view", outlined)
    if within is not None:
        visible = visible.within(within)
    rows = list(visible.order_by("depth", "path").values("code", "name", "kind", "depth", "outline"))
    paths = scope_paths(user, "place.view")
    if within is None and paths:
        above = {pk for path in paths for pk in ancestor_ids(path)[:-1]}
        seen = {row["code"] for row in rows}
        rows = [row for row in outlined.filter(pk__in=above).order_by("depth", "path")
                .values("code", "name", "kind", "depth", "outline") if row["code"] not in seen] + rows
    return [{"type": "Feature", "geometry": row.pop("outline"), "properties": row} for row in rows]
