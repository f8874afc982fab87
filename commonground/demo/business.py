"""Business communities (17) with their 206 office buildings, 新天地's 29 serviced-apartment buildings (its 56
buildings have 1.8m m² of floor area), and the couriers' home at 吴家墩."""

from __future__ import annotations

import random
from decimal import Decimal

from commonground.core.models import PlaceKind

from . import names
from .bulk import centre, insert_places, near, new_place, split_exact
from .context import DemoContext
from .district import within

COURIERS_HOME_AREA = Decimal("500.00")


def build_business(ctx: DemoContext) -> None:
    rng = ctx.rng("business")
    communities = [(name, street, count) for name, street, count in names.NAMED_BUSINESS_COMMUNITIES]
    communities += [(name, street, None) for name, street in names.OTHER_BUSINESS_COMMUNITIES]
    fixed = sum(count for _n, _s, count in communities if count)
    open_slots = [i for i, (_n, _s, count) in enumerate(communities) if count is None]
    shares = iter(split_exact(rng, names.OFFICE_BUILDINGS_TOTAL - fixed, len(open_slots), low=5, high=20))
    counts = [count if count else next(shares) for _n, _s, count in communities]

    places = []
    for i, (name, short, _count) in enumerate(communities, start=1):
        street = ctx.streets[short]
        places.append(new_place(parent=street, code=f"{street.code}-BC{i:02d}", name=name,
                                kind=PlaceKind.BUSINESS_COMMUNITY, address=f"杭州市拱墅区{street.name}",
                                **within(street, near(rng, *centre(street), 0.004), 200)))
    ctx.business_communities = {p.name: p for p in insert_places(places)}

    used: set[str] = set()
    buildings = []
    for community, count in zip(ctx.business_communities.values(), counts, strict=True):
        for n in range(1, count + 1):
            name = _office_name(rng, community.name, n, used)
            buildings.append(new_place(
                parent=community, code=f"{community.code}-OB{n:02d}", name=name, kind=PlaceKind.OFFICE_BUILDING,
                year_built=rng.randint(2000, 2021), floor_area_m2=Decimal(rng.randrange(12_000, 80_000, 10)),
                **within(community.parent, near(rng, *centre(community), 0.002), 30),
            ))
    _size_xintiandi(ctx.rng("business-xintiandi"), buildings)
    ctx.office_buildings = insert_places(buildings)
    ctx.apartment_buildings = insert_places(_xintiandi_apartments(ctx, buildings))

    home_name, community_name = names.COURIERS_HOME
    community = ctx.communities[community_name]
    insert_places([new_place(parent=community, code=f"{community.code}-F01", name=home_name,
                             kind=PlaceKind.FACILITY, floor_area_m2=COURIERS_HOME_AREA, year_built=2021,
                             address="杭州市拱墅区康桥街道吴家墩新人公寓",
                             **within(community, near(rng, *centre(community), 0.001), 30))])


def _size_xintiandi(rng: random.Random, buildings: list) -> None:
    """新天地's office buildings take their share of its floor area (the apartments the rest)."""
    offices = [b for b in buildings if b.parent.name == names.XINTIANDI]
    areas = split_exact(rng, names.XINTIANDI_OFFICE_AREA_M2 // 100, len(offices), low=250, high=650)
    for building, area in zip(offices, areas, strict=True):
        building.floor_area_m2 = Decimal(area * 100)


def _xintiandi_apartments(ctx: DemoContext, offices: list) -> list:
    rng = ctx.rng("business-xintiandi-apartments")
    community = ctx.business_communities[names.XINTIANDI]
    area = names.XINTIANDI_FLOOR_AREA_M2 - names.XINTIANDI_OFFICE_AREA_M2
    areas = split_exact(rng, area // 100, names.XINTIANDI_APARTMENT_BUILDINGS, low=80, high=200)
    return [new_place(parent=community, code=f"{community.code}-AB{n:02d}", name=f"新天地公寓{n}幢",
                      kind=PlaceKind.BUILDING, year_built=rng.randint(2012, 2020), floor_area_m2=Decimal(a * 100),
                      **within(community.parent, near(rng, *centre(community), 0.002), 30))
            for n, a in enumerate(areas, start=1)]


def _office_name(rng: random.Random, community: str, n: int, used: set[str]) -> str:
    if community == "汇金国际商务社区":
        name = names.HUIJIN_BUILDINGS[n - 1]
    elif community == names.XINTIANDI:
        name = f"新天地{n}号楼"
    else:
        name = ""
        while not name or name in used:
            name = rng.choice(names.ESTATE_PREFIXES) + rng.choice(names.OFFICE_WORDS)
    used.add(name)
    return name
