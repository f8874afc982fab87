"""The escalation ladder: which place handles a case at each level, and the level above."""

from __future__ import annotations

from commonground.core import clock, place_cache
from commonground.core.models import Organisation, OrganisationKind, Place, PlaceKind

from ..models import LADDER, Level

# Places that stand at each level of the ladder: office buildings are handled like residential
# buildings, business communities like estates and communities.
LEVEL_KINDS: dict[str, set[str]] = {
    Level.BUILDING: {PlaceKind.BUILDING, PlaceKind.OFFICE_BUILDING},
    Level.ESTATE: {PlaceKind.ESTATE, PlaceKind.BUSINESS_COMMUNITY},
    Level.COMMUNITY: {PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY},
    Level.STREET: {PlaceKind.STREET},
    Level.DISTRICT: {PlaceKind.DISTRICT},
}


def handling_place(place: Place, level: str) -> tuple[str, Place]:
    """The place that handles a case at `place` at `level`, or, where the tree has no place of that
    level above it, at the next level up that it has. Returns (actual level, place)."""
    return handling_place_in(place_cache.chain(place), level)


def handling_place_in(chain: list[Place], level: str) -> tuple[str, Place]:
    """handling_place over the place's ancestors `chain` (root first, the place last) the caller has at hand."""
    for candidate in LADDER[LADDER.index(level):]:
        for ancestor in reversed(chain):
            if ancestor.kind in LEVEL_KINDS[candidate]:
                return candidate, ancestor
    return Level.DISTRICT, chain[0]


def next_level(place: Place, level: str, current: Place) -> tuple[str, Place] | None:
    """One level up from the current handling place; None at the top."""
    return next_level_in(place_cache.chain(place), level, current)


def next_level_in(chain: list[Place], level: str, current: Place) -> tuple[str, Place] | None:
    """next_level over the place's ancestors `chain` (root first, the place last) the caller has at hand."""
    for candidate in LADDER[LADDER.index(level) + 1:]:
        actual, above = handling_place_in(chain, candidate)
        if above.pk != current.pk and len(above.path) < len(current.path):
            return actual, above
    return None


def handling_organisation(handler_kind: str, place: Place) -> Organisation | None:
    """The organisation of the category's `handler_kind` that stands at exactly the handling `place` (the
    earliest registered active one), or None: a kind that exists at every level of the ladder (three-party
    offices at community, street and district) then handles the case at each level it reaches. A department
    name (not an organisation kind) or a level without such an organisation leaves the choice to the dispatcher."""
    if handler_kind not in OrganisationKind.values:
        return None
    return (Organisation.objects.filter(kind=handler_kind, place=place).active_on(clock.today())
            .order_by("pk").first())
