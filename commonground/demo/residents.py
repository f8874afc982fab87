"""Households and owners: all 548 flats of 浙工新村, and most flats of twenty other estates.

浙工新村 has a household in every flat (head and one to three relatives), a few flats held
by two co-owners and a few owners with a second flat. Elsewhere some flats are let or
empty, and 远洋公寓 keeps five unsold flats in its developer's name.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from commonground.core.models import (
    Household,
    HouseholdMember,
    Organisation,
    OrganisationMembership,
    Ownership,
    Person,
    Place,
    Relation,
)

from . import names
from .context import DemoContext
from .organisations import day_between, years
from .people import PeopleMaker

CO_OWNED_FLATS = 12
SECOND_FLATS = 6
UNSOLD_FLATS = 5
COMMITTEE_POSITIONS = ("主任", "副主任", "委员", "委员", "委员")


@dataclass
class Plan:
    households: list[tuple[Place, Person, list[tuple[Person, str]], datetime.date]] = field(default_factory=list)
    ownerships: list[Ownership] = field(default_factory=list)
    owners_by_estate: dict[int, list[Person]] = field(default_factory=dict)

    def own(self, estate: Place, flat: Place, area: Decimal, acquired: datetime.date, *,
            person: Person | None = None, organisation: Organisation | None = None) -> None:
        self.ownerships.append(Ownership(flat=flat, person=person, organisation=organisation,
                                         exclusive_area_m2=area, acquired_on=acquired))
        if person is not None:
            self.owners_by_estate.setdefault(estate.pk, []).append(person)


def area(rng: random.Random, low: int, high: int) -> Decimal:
    """An exclusive area in m², two decimal places, between low and high."""
    return Decimal(rng.randint(low * 100, high * 100)) / Decimal(100)


def gender(rng: random.Random) -> str:
    return rng.choice(("M", "F"))


def _zhegong(ctx: DemoContext, rng: random.Random, maker: PeopleMaker, plan: Plan) -> None:
    estate = ctx.estates[names.ZHEGONG]
    flats = ctx.flats[estate.pk]
    heads: list[Person] = []
    spouses: dict[int, Person] = {}
    for i, flat in enumerate(flats):
        head = maker.person(gender=gender(rng), born_in=(1938, 1975))
        members = maker.family(head, rng.randint(1, 3))
        plan.households.append((flat, head, members, years(rng, 1990, 2015)))
        heads.append(head)
        for person, relation in members:
            if relation == Relation.SPOUSE:
                spouses[i] = person
    second = set(rng.sample(range(1, len(flats)), SECOND_FLATS))
    co_owned = set(rng.sample(sorted(set(spouses) - second - {0}), CO_OWNED_FLATS))
    landlords = iter(rng.sample([i for i in range(1, len(flats)) if i not in second], SECOND_FLATS))
    for i, flat in enumerate(flats):
        flat_area, acquired = area(rng, 40, 95), years(rng, 1993, 2018)
        owner = heads[next(landlords)] if i in second else heads[i]
        plan.own(estate, flat, flat_area, acquired, person=owner)
        if i in co_owned:
            plan.own(estate, flat, flat_area, acquired, person=spouses[i])
    ctx.people["zhegong_owner"] = heads[0]


def _estate(ctx: DemoContext, rng: random.Random, maker: PeopleMaker, plan: Plan, estate: Place) -> None:
    flats = ctx.flats[estate.pk]
    built = datetime.date(estate.year_built or 2000, 12, 31)
    unsold = UNSOLD_FLATS if estate.name == "远洋公寓" else 0
    for i, flat in enumerate(flats):
        flat_area = area(rng, 50, 160)
        acquired = day_between(rng, built, datetime.date(2022, 10, 31))
        if i >= len(flats) - unsold:
            developer = ctx.organisations[names.DEVELOPER_NAME]
            plan.own(estate, flat, flat_area, built, organisation=developer)
            continue
        roll = rng.random()
        head = maker.person(gender=gender(rng), born_in=(1950, 1995))
        if roll < 0.82:  # the owner lives there
            plan.households.append((flat, head, maker.family(head, rng.randint(1, 3)), acquired))
            plan.own(estate, flat, flat_area, acquired, person=head)
            continue
        if roll < 0.93:  # let to a tenant's household; `head` is the tenant
            plan.households.append((flat, head, maker.family(head, rng.randint(0, 2)), years(rng, 2019, 2022)))
            head = maker.person(gender=gender(rng), born_in=(1950, 1990))
        plan.own(estate, flat, flat_area, acquired, person=head)  # otherwise empty, its owner elsewhere


def _committee_members(ctx: DemoContext, plan: Plan) -> list[OrganisationMembership]:
    memberships = []
    for estate in ctx.populated_estates:
        committee = ctx.organisations.get(f"{estate.name}业主委员会")
        owners = list(dict.fromkeys(plan.owners_by_estate.get(estate.pk, [])))
        if committee is None or len(owners) < len(COMMITTEE_POSITIONS):
            continue
        start = committee.established_on
        end = start.replace(year=start.year + 5) - datetime.timedelta(days=1)
        for person, position in zip(owners, COMMITTEE_POSITIONS, strict=False):
            memberships.append(OrganisationMembership(organisation=committee, person=person, position=position,
                                                      term_from=start, term_to=end))
        if estate.name == "远洋公寓":
            ctx.people["committee_chair"] = owners[0]
    return memberships


def build_residents(ctx: DemoContext) -> None:
    rng = ctx.rng("residents")
    maker = PeopleMaker(rng, ctx.faker("residents"))
    plan = Plan()
    _zhegong(ctx, rng, maker, plan)
    for estate in ctx.populated_estates[1:]:
        _estate(ctx, rng, maker, plan, estate)

    Person.objects.bulk_create(maker.made, batch_size=500)
    households = Household.objects.bulk_create(
        [Household(flat=flat, head=head, registered_on=on) for flat, head, _members, on in plan.households],
        batch_size=500,
    )
    members = []
    for household, (_flat, head, relatives, _on) in zip(households, plan.households, strict=True):
        members.append(HouseholdMember(household=household, person=head, relation=Relation.HEAD))
        members += [HouseholdMember(household=household, person=p, relation=r) for p, r in relatives]
    HouseholdMember.objects.bulk_create(members, batch_size=500)
    Ownership.objects.bulk_create(plan.ownerships, batch_size=500)
    OrganisationMembership.objects.bulk_create(_committee_members(ctx, plan), batch_size=500)
    ctx.add_count("people", len(maker.made))
    ctx.add_count("households", len(households))
    ctx.add_count("ownerships", len(plan.ownerships))
