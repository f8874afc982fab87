"""The places every case reads (the district at the top, a place's chain of places above it), kept in process:
places change seldom (an import, a move, an edit in the admin) and a case is reported, dispatched and escalated
thousands of times a day. A change drops what is kept: in this process at once (Place's save and delete signals,
and `forget()` from the writers that bypass them: roster imports, the demo's bulk insert), in other processes
within a minute, as the clock's setting is read."""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Place
from .models.places import ancestor_ids

CACHE_SECONDS = 60

_valid_until = 0.0
_places: dict[int, Place] = {}
_top: list[Place] = []


def _fresh() -> None:
    global _valid_until
    if _valid_until <= time.monotonic():
        forget()
        _valid_until = time.monotonic() + CACHE_SECONDS


def forget(**_signal: object) -> None:
    """Drop every kept place (also a receiver of Place's save and delete signals)."""
    global _valid_until
    _places.clear()
    _top.clear()
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
