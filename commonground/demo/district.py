"""The residential place tree: district, 18 streets, ~120 communities with grids, 621 estates,
their buildings and exactly 2,359 corridors."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from decimal import Decimal

from commonground.core.models import Place, PlaceKind

from . import names
from . import outlines as geo
from .bulk import centre, insert_places, near, new_place, split_exact
from .context import DemoContext

COMMUNITIES = 120
ESTATES = 621
CORRIDORS = 2359
ESTATE_RADIUS_M = (90, 220)  # an estate's outline reaches this far from its centre at most; buildings stand within

# 浙工新村: 13 walk-up buildings of the 1980s, as (units, floors) with two flats a floor:
# buildings 1–2 hold 40 flats each (the 80 households of work group 2), 548 flats in all.
ZHEGONG_BUILDINGS = [(4, 5)] * 2 + [(4, 6)] * 6 + [(3, 6)] * 5
NAMED_ESTATE_YEARS = {names.ZHEGONG: 1985, "吴家墩新人公寓": 2018, "桃源居东苑": 2005, "远洋公寓": 2012}


def within(parent: Place, point: dict[str, Decimal], margin_m: float) -> dict[str, Decimal]:
    """`point` (from `near`), moved towards the parent's centre when it falls outside the parent's outline or
    nearer than `margin_m` to its edge (an estate on a street's border would get a sliver of a cell)."""
    lat, lng = geo.unproject(geo.pull_inside(geo.from_geojson(parent.outline), geo.project(*centre(parent)),
                                             geo.project(float(point["latitude"]), float(point["longitude"])),
                                             margin_m))
    return {"latitude": Decimal(f"{lat:.6f}"), "longitude": Decimal(f"{lng:.6f}")}


def estate_radius_m(estate: Place) -> float:
    """About the radius of the estate's land (floor area over a plot ratio of 2), so small estates look small."""
    return min(max(math.sqrt(float(estate.floor_area_m2) / 2 / math.pi) * 1.3, ESTATE_RADIUS_M[0]), ESTATE_RADIUS_M[1])


def outline_siblings(places: list[Place], parent: Place | None = None, *,
                     radius_m: Callable[[Place], float] | None = None) -> None:
    """Give unsaved sibling places their Voronoi cells within the parent's outline (the district's without a
    parent), each cut to an octagon of `radius_m(place)` around its centre when given (estates leave room for
    roads and parks between them)."""
    seeds = [geo.project(*centre(place)) for place in places]
    area = geo.from_geojson(parent.outline) if parent is not None else geo.district_polygon()
    for place, seed, cell in zip(places, seeds, geo.cells(seeds, area), strict=True):
        if radius_m is not None:
            cell = geo.clip_to(cell, geo.octagon(seed, radius_m(place)))
        place.outline = geo.geojson(cell)


def build_district(ctx: DemoContext) -> None:
    """District, streets, communities and their grids, the areas with outlines that tile the one above."""
    rng = ctx.rng("district")
    ctx.district = insert_places([new_place(
        parent=None, code=names.DISTRICT_CODE, name=names.DISTRICT_NAME, kind=PlaceKind.DISTRICT,
        latitude=Decimal("30.319000"), longitude=Decimal("120.150000"), address="浙江省杭州市拱墅区",
        outline=geo.geojson(geo.district_polygon()),
    )])[0]
    streets = [
        new_place(parent=ctx.district, code=f"{names.DISTRICT_CODE}{i:03d}", name=f"{short}街道",
                  kind=PlaceKind.STREET, **near(rng, *names.STREET_CENTRES[short], 0.002))
        for i, short in enumerate(names.STREETS, start=1)
    ]
    outline_siblings(streets)
    streets = insert_places(streets)
    ctx.streets = dict(zip(names.STREETS, streets, strict=True))

    per_street = split_exact(rng, COMMUNITIES, len(streets), low=6, high=8)
    pool = [w + "社区" for w in dict.fromkeys(names.COMMUNITY_WORDS)]
    pool = [n for n in pool if n not in names.NAMED_COMMUNITIES.values()]
    rng.shuffle(pool)
    communities = []
    for (short, street), count in zip(ctx.streets.items(), per_street, strict=True):
        chosen = [names.NAMED_COMMUNITIES[short]] if short in names.NAMED_COMMUNITIES else []
        while len(chosen) < count:
            chosen.append(pool.pop())
        mine = [
            new_place(parent=street, code=f"{street.code}{i:03d}", name=name, kind=PlaceKind.COMMUNITY,
                      address=f"杭州市拱墅区{street.name}", **within(street, near(rng, *centre(street), 0.006), 200))
            for i, name in enumerate(chosen, start=1)
        ]
        outline_siblings(mine, street)
        communities += mine
    ctx.communities = {c.name: c for c in insert_places(communities)}

    grids = []
    for community in ctx.communities.values():
        for i in range(1, rng.randint(2, 4) + 1):
            grids.append(new_place(parent=community, code=f"{community.code}-G{i:02d}",
                                   name=f"{community.name}第{i}网格", kind=PlaceKind.GRID,
                                   households=rng.randint(250, 600),
                                   **within(community, near(rng, *centre(community), 0.002), 50)))
    insert_places(grids)
    ctx.add_count("grids", len(grids))


def _estate_names(rng: random.Random, count: int) -> list[str]:
    taken = set(names.NAMED_ESTATES)
    candidates = [p + s for p in names.ESTATE_PREFIXES for s in names.ESTATE_SUFFIXES if p + s not in taken]
    return rng.sample(candidates, count)


def build_estates(ctx: DemoContext) -> None:
    """621 estates spread over the communities, the named ones where the account puts them."""
    rng = ctx.rng("estates")
    communities = list(ctx.communities.values())
    per_community = split_exact(rng, ESTATES, len(communities), low=3, high=8)
    generated = iter(_estate_names(rng, ESTATES - len(names.NAMED_ESTATES)))
    estates = []
    for community, count in zip(communities, per_community, strict=True):
        mine = []
        chosen = [name for name, home in names.NAMED_ESTATES.items() if home == community.name]
        while len(chosen) < count:
            chosen.append(next(generated))
        for i, name in enumerate(chosen, start=1):
            year = NAMED_ESTATE_YEARS.get(name) or rng.randint(1980, 2020)
            mine.append(new_place(
                parent=community, code=f"{community.code}-E{i:02d}", name=name, kind=PlaceKind.ESTATE,
                year_built=year, floor_area_m2=Decimal(rng.randrange(8_000, 160_000, 10)),
                address=f"杭州市拱墅区{community.parent.name}{name}",
                **within(community, near(rng, *centre(community), 0.003), ESTATE_RADIUS_M[0]),
            ))
        outline_siblings(mine, community, radius_m=estate_radius_m)
        estates += mine
    ctx.estates = {e.name: e for e in insert_places(estates)}


def _building_split(rng: random.Random, corridors: int) -> list[int]:
    """Corridors per building: buildings of one to three units."""
    split = []
    while corridors:
        units = rng.randint(1, min(3, corridors))
        split.append(units)
        corridors -= units
    return split


def build_buildings(ctx: DemoContext) -> None:
    """Buildings under every estate and exactly CORRIDORS corridors under them."""
    rng = ctx.rng("buildings")
    zhegong = ctx.estates[names.ZHEGONG]
    others = [e for e in ctx.estates.values() if e.pk != zhegong.pk]
    zhegong_corridors = sum(units for units, _floors in ZHEGONG_BUILDINGS)
    sizes = [rng.uniform(0.3, 3.0) for _ in others]
    per_estate = split_exact(rng, CORRIDORS - zhegong_corridors, len(others), low=1, high=12, weights=sizes)
    plan = {zhegong.pk: [units for units, _floors in ZHEGONG_BUILDINGS]}
    plan.update({e.pk: _building_split(rng, n) for e, n in zip(others, per_estate, strict=True)})

    buildings = []
    for estate in ctx.estates.values():
        for b, units in enumerate(plan[estate.pk], start=1):
            building = new_place(parent=estate, code=f"{estate.code}-B{b:02d}", name=f"{b}幢",
                                 kind=PlaceKind.BUILDING, year_built=estate.year_built,
                                 floor_area_m2=Decimal(rng.randrange(1_200, 9_000, 10)),
                                 **within(estate, near(rng, *centre(estate), 0.0006), 12))
            building.units = units  # type: ignore[attr-defined]  (kept for the corridor pass only)
            buildings.append(building)
    insert_places(buildings)

    corridors = []
    for building in buildings:
        ctx.buildings.setdefault(building.parent_id, []).append(building)
        corridors += [
            new_place(parent=building, code=f"{building.code}-U{u}", name=f"{u}单元", kind=PlaceKind.CORRIDOR,
                      latitude=building.latitude, longitude=building.longitude)
            for u in range(1, building.units + 1)  # type: ignore[attr-defined]
        ]
    for corridor in insert_places(corridors):
        ctx.corridors.setdefault(corridor.parent_id, []).append(corridor)

    for estate in ctx.estates.values():
        units = sum(len(ctx.corridors[b.pk]) for b in ctx.buildings[estate.pk])
        estate.households = 548 if estate.pk == zhegong.pk else units * rng.randint(10, 24)
    Place.objects.bulk_update(list(ctx.estates.values()), ["households"], batch_size=500)
    ctx.add_count("buildings", len(buildings))
    ctx.add_count("corridors", len(corridors))
