"""The places every case reads (the district at the top, a place's chain of places above it) and what modules above
core build from them (the index a map pin is looked up in), kept in process: places change seldom (an import, a move,
an edit in the admin) and a case is reported, dispatched and escalated thousands of times a day. A change drops what
is kept: in this process at once (Place's save and delete signals, and `forget()` from the writers that bypass them:
roster imports, the demo's bulk insert), in other processes within a minute, as the clock's setting is read."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Place
from .models.places import ancestor_ids

CACHE_SECONDS = 60
T = TypeVar("T")

_valid_until = 0.0
_generation = 0  # moves on at every forget(), so a value built from places read before it is not kept
_places: dict[int, Place] = {}
_top: list[Place] = []
_built: dict[str, Any] = {}


def _fresh() -> None:
    global _valid_until
    if _valid_until <= time.monotonic():
        forget()
        _valid_until = time.monotonic() + CACHE_SECONDS


def forget(**_signal: object) -> None:
    """Drop every kept place and everything built from them (also a receiver of Place's save and delete signals)."""
    global _valid_until, _generation
    _generation += 1
    _places.clear()
    _top.clear()
    _built.clear()
    _valid_until = 0.0


def top_place() -> Place:
    """The place at the top of the tree (the district); a clear error while there are no places."""
    _fresh()
    if not _top:
        place = Place.objects.filter(parent__isnull=True).order_by("pk").first()
        if place is None:
            raise ValidationError(_("There are no places yet: import or build a district first."))
        _top.append(place)
    return _top[0]


def chain(place: Place) -> list[Place]:
    """`place`'s ancestors, root first, then `place` itself (the caller's object). Kept places are shared:
    read them, never change them."""
    _fresh()
    ids = ancestor_ids(place.path)[:-1]
    if missing := [pk for pk in ids if pk not in _places]:
        _places.update((found.pk, found) for found in Place.objects.filter(pk__in=missing))
    return [_places[pk] for pk in ids] + [place]


def kept(name: str, build: Callable[[], T]) -> T:
    """What `build()` makes from the places, built once and dropped with them. `name` says what it is and for which
    place ("pins:1"); the value is shared: read it, never change it."""
    _fresh()
    if name in _built:
        return _built[name]
    generation = _generation
    value = build()
    if generation == _generation:  # no change to the places came in while it was being built
        _built[name] = value
    return value


def root_paths() -> frozenset[str]:
    """The paths of the places at the top of the tree (one district: one path)."""
    return kept("roots", lambda: frozenset(Place.objects.filter(parent__isnull=True).values_list("path", flat=True)))
