"""Reads of the notice boards: whose name a notice is posted under, and the public board (公示栏) that anyone
may read without logging in, per place."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import Organisation, OrganisationKind, Place, PlaceKind
from commonground.core.models.places import ancestor_ids, within_q

from .models import Notice

# Who posts a notice, nearest first: an estate's owners' committee, a community's residents' committee, a business
# community's building committee, a street's or the district's three-party office.
ISSUER_KINDS = (OrganisationKind.OWNERS_COMMITTEE, OrganisationKind.RESIDENTS_COMMITTEE,
                OrganisationKind.BUILDING_COMMITTEE, OrganisationKind.THREE_PARTY_OFFICE)


def notice_issuer(place: Place, *, kinds: Sequence[str] = ISSUER_KINDS) -> str:
    """The name a notice at `place` is posted under: the organisation of `kinds` active today nearest to the
    place (at it, else at the closest place above; at one place the first kind listed), else the place's name."""
    found = (Organisation.objects.active_on(clock.today())
             .filter(place_id__in=ancestor_ids(place.path), kind__in=kinds)
             .values_list("name", "kind", "place__depth"))
    best = max(found, key=lambda row: (row[2], -list(kinds).index(row[1]), row[0]), default=None)
    return best[0] if best else place.name


# --- the public board (公示栏): what anyone may read without logging in ----------------------------------

# Places that keep a board: a board at a flat or a corridor would name a household.
BOARD_KINDS = (PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.ESTATE, PlaceKind.BUILDING,
               PlaceKind.BUSINESS_COMMUNITY, PlaceKind.OFFICE_BUILDING)


def public_notices() -> QuerySet[Notice]:
    """Every notice anyone may read: marked public and posted by today (one posted for tomorrow is not yet)."""
    return Notice.objects.filter(public=True, posted_on__lte=clock.today())


def public_board(code: str) -> Place | None:
    """The place with this code if it keeps a board (`BOARD_KINDS`), with its parent; None otherwise."""
    return Place.objects.filter(code=code, kind__in=BOARD_KINDS).select_related("parent").first()


def board_notices(board: Place) -> QuerySet[Notice]:
    """The public notices on one board, newest first."""
    return public_notices().filter(place=board).order_by("-posted_on", "-pk")


def access_public_notice(board: Place, pk: int) -> Notice:
    """A public notice on `board` (Http404 for any other: not public, not yet posted, or on another board)."""
    notice = public_notices().filter(place=board, pk=pk).select_related("place").first()
    if notice is None:
        raise Http404(_("No such notice."))
    return notice


def public_notice_or_none(pk: int) -> Notice | None:
    """The notice with this id if anyone may read it (so a staff link can send a visitor to its public page)."""
    return public_notices().filter(pk=pk).select_related("place").first()


def public_boards(*, under: Place | None = None) -> QuerySet[Place]:
    """Boards with public notices (at or under `under`, itself excluded), in tree order, each with how many
    public notices it holds (`public_count`)."""
    places = Place.objects.filter(pk__in=public_notices().values("place_id"), kind__in=BOARD_KINDS)
    if under is not None:
        places = places.filter(within_q("path", [under.path])).exclude(pk=under.pk)
    notices = Q(notices__public=True, notices__posted_on__lte=clock.today())
    return places.select_related("parent").annotate(public_count=Count("notices", filter=notices)).order_by("path")


def board_chain(board: Place) -> list[Place]:
    """The places above a board, the district first (for its breadcrumb)."""
    return list(Place.objects.ancestors(board))
