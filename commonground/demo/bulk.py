"""Bulk inserts for the demo: places get their paths in two statements per level, no history rows.

The place service writes one place at a time (with its audit row); tens of thousands of demo
rows go in with bulk_create instead, under a placeholder path that is then replaced by
parent.path + path_segment(pk) once the ids are known.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat, LPad

from commonground.core import place_cache
from commonground.core.models import Place
from commonground.core.models.places import SEGMENT_WIDTH, path_segment
from commonground.core.services.places import temporary_path

BATCH = 500
TEMPORARY_PREFIX = temporary_path()[:4]  # "tmp-"
LAT_RANGE = (30.27, 30.36)
LNG_RANGE = (120.10, 120.20)


def new_place(*, parent: Place | None, code: str, name: str, kind: str, **fields: Any) -> Place:
    """An unsaved place under a saved `parent`, with a placeholder path."""
    return Place(
        code=code, name=name, kind=kind, parent=parent, path=temporary_path(),
        depth=parent.depth + 1 if parent else 0, **fields,
    )


def insert_places(places: Sequence[Place]) -> list[Place]:
    """Insert `places` (whose parents are already saved) and give each its real path."""
    created = Place.objects.bulk_create(places, batch_size=BATCH)
    for place in created:
        place.path = (place.parent.path if place.parent else "") + path_segment(place.pk)
    # One UPDATE computes the same paths in the database: far quicker than bulk_update's CASE lists.
    parent_path = Subquery(Place.objects.filter(pk=OuterRef("parent_id")).values("path")[:1])
    segment = LPad(Cast("pk", CharField()), SEGMENT_WIDTH, Value("0"))
    Place.objects.filter(path__startswith=TEMPORARY_PREFIX).update(
        path=Concat(Coalesce(parent_path, Value("")), segment, output_field=CharField())
    )
    place_cache.forget()  # written without Place's signals
    return created


def near(rng: random.Random, lat: float, lng: float, spread: float) -> dict[str, Decimal]:
    """A point within `spread` degrees of (lat, lng), kept inside Gongshu's box."""
    new_lat = min(max(lat + rng.uniform(-spread, spread), LAT_RANGE[0]), LAT_RANGE[1])
    new_lng = min(max(lng + rng.uniform(-spread, spread), LNG_RANGE[0]), LNG_RANGE[1])
    return {"latitude": Decimal(f"{new_lat:.6f}"), "longitude": Decimal(f"{new_lng:.6f}")}


def centre(place: Place) -> tuple[float, float]:
    return float(place.latitude), float(place.longitude)


def split_exact(rng: random.Random, total: int, parts: int, *, low: int, high: int | None = None,
                weights: Sequence[float] | None = None) -> list[int]:
    """`parts` integers in [low, high] summing to exactly `total`, spread at random."""
    high = total if high is None else high
    if not low * parts <= total <= high * parts:
        raise ValueError(f"cannot split {total} into {parts} parts of {low}..{high}")
    counts = [low] * parts
    weights = list(weights) if weights is not None else [1.0] * parts
    remaining = total - low * parts
    while remaining:
        open_parts = [i for i in range(parts) if counts[i] < high]
        chosen = rng.choices(open_parts, weights=[weights[i] for i in open_parts], k=min(remaining, len(open_parts)))
        for i in chosen:
            if remaining and counts[i] < high:
                counts[i] += 1
                remaining -= 1
    return counts
