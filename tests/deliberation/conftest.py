"""An estate with a register that exercises Art. 278 counting, staff and owners with logins, and a helper
that opens a vote now (announced with its 15-day notice in the past)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from commonground.core.models import OrganisationKind, Person, Place, PlaceKind, RoleKind
from commonground.core.services.organisations import organisation_create
from commonground.core.services.people import ownership_create, person_create
from commonground.core.services.places import place_create
from commonground.deliberation.models import Vote, VoteKind
from commonground.deliberation.services.votes import vote_announce, vote_create
from tests.conftest import make_id_number


@dataclass
class Register:
    estate: Place
    flats: list[Place]
    owners: list[Person]   # owners[0] holds flats 0 and 1; owners[1] and owners[2] co-own flat 2
    developer: object      # holds the unsold flats 6 and 7


@pytest.fixture
def register(tree) -> Register:
    """8 flats of 100.00 m² in the tree's estate: one owner with two flats, a co-owned flat, three single
    owners and two unsold flats held by the developer -> 6 electors (tree's own flat adds a 7th)."""
    building = place_create(code=f"{tree.estate.code}-B9", name="9幢", kind=PlaceKind.BUILDING, parent=tree.estate)
    flats = [place_create(code=f"{building.code}-{n:03d}", name=f"9幢{n}01室", kind=PlaceKind.FLAT, parent=building,
                          floor_area_m2=Decimal("100.00")) for n in range(1, 9)]
    owners = [person_create(name=name, id_number=make_id_number(seq=100 + i), phone=f"1390000{i:04d}")
              for i, name in enumerate(["王一", "王二", "王三", "赵四", "钱五", "孙六"])]
    area = Decimal("100.00")
    ownership_create(flat=flats[0], person=owners[0], exclusive_area_m2=area)
    ownership_create(flat=flats[1], person=owners[0], exclusive_area_m2=area)
    ownership_create(flat=flats[2], person=owners[1], exclusive_area_m2=area)
    ownership_create(flat=flats[2], person=owners[2], exclusive_area_m2=area)
    for flat, owner in zip(flats[3:6], owners[3:6], strict=True):
        ownership_create(flat=flat, person=owner, exclusive_area_m2=area)
    developer = organisation_create(name="拱墅置业", kind=OrganisationKind.DEVELOPER, place=tree.estate)
    for flat in flats[6:]:
        ownership_create(flat=flat, organisation=developer, exclusive_area_m2=area)
    return Register(tree.estate, flats, owners, developer)


@pytest.fixture
def clerk(tree, make_user):
    return make_user(RoleKind.COMMUNITY_WORKER, tree.community)


@pytest.fixture
def owner_user(register, make_user, tree):
    return make_user(RoleKind.RESIDENT, tree.estate, person=register.owners[0])


@pytest.fixture
def open_vote(register, clerk):
    """open_vote(matter="5", **kw) -> a vote announced 16 days ago that opened an hour ago and closes in a day."""

    def factory(*, matter: str = "5", kind: str = VoteKind.DECISION, allow_change: bool = True,
                opens_at: datetime.datetime | None = None, closes_at: datetime.datetime | None = None,
                announce: bool = True, **extra) -> Vote:
        now = timezone.now()
        opens_at = opens_at or now - datetime.timedelta(hours=1)
        closes_at = closes_at or now + datetime.timedelta(days=1)
        back_then = opens_at - datetime.timedelta(days=16)
        vote = vote_create(user=clerk, estate=register.estate, kind=kind, matter=matter, title="使用维修资金更换电梯",
                           record_date=timezone.localtime(back_then).date(), opens_at=opens_at, closes_at=closes_at,
                           allow_change=allow_change, now=back_then - datetime.timedelta(days=1), **extra)
        if announce:
            vote = vote_announce(user=clerk, vote=vote, on=timezone.localtime(back_then).date(), now=back_then)
        return vote

    return factory
