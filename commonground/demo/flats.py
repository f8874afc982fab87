"""Flats under the corridors of 浙工新村 (548) and of twenty other estates (20–60 each)."""

from __future__ import annotations

import math

from commonground.core.models import Place, PlaceKind
from commonground.core.models.places import ancestor_ids

from . import names
from .bulk import insert_places, new_place
from .context import DemoContext
from .district import ZHEGONG_BUILDINGS

POPULATED_OTHER_ESTATES = 20
# Populated whatever the draw: the committee account's estate (it has the developer's unsold flats too).
ALWAYS_POPULATED = ("远洋公寓", "桃源居东苑")
NEVER_POPULATED = (names.ZHEGONG, "吴家墩新人公寓")  # 吴家墩's residents belong to the couriers' programme


def _flats_in(corridor: Place, building: Place, count: int, floors_max: int) -> list[Place]:
    flats = []
    for i in range(count):
        floor, door = divmod(i, 2)
        if floor >= floors_max:
            break
        number = f"{floor + 1}{door + 1:02d}"
        flats.append(new_place(
            parent=corridor, code=f"{corridor.code}-{number}", name=f"{building.name}{corridor.name}{number}室",
            kind=PlaceKind.FLAT, year_built=building.year_built, latitude=corridor.latitude,
            longitude=corridor.longitude,
        ))
    return flats


def _corridors_of(ctx: DemoContext, estate: Place) -> list[tuple[Place, Place]]:
    return [(building, corridor) for building in ctx.buildings[estate.pk] for corridor in ctx.corridors[building.pk]]


def choose_populated(ctx: DemoContext) -> list[Place]:
    """浙工新村 first, then twenty estates with residents: the fixed ones, one more in 河东社区, and a draw."""
    rng = ctx.rng("populated")
    zhegong = ctx.estates[names.ZHEGONG]
    chosen = [ctx.estates[name] for name in ALWAYS_POPULATED]
    neighbours = [e for e in ctx.estates.values() if e.parent_id == zhegong.parent_id and e.name not in NEVER_POPULATED]
    chosen.append(neighbours[0])
    pool = [e for e in ctx.estates.values()
            if e not in chosen and e.name not in NEVER_POPULATED and len(_corridors_of(ctx, e)) >= 2]
    chosen += rng.sample(pool, POPULATED_OTHER_ESTATES - len(chosen))
    return [zhegong, *chosen]


def build_flats(ctx: DemoContext) -> None:
    rng = ctx.rng("flats")
    ctx.populated_estates = choose_populated(ctx)
    zhegong, *others = ctx.populated_estates
    flats = []
    for building, (units, floors) in zip(ctx.buildings[zhegong.pk], ZHEGONG_BUILDINGS, strict=True):
        for corridor in ctx.corridors[building.pk][:units]:
            flats += _flats_in(corridor, building, floors * 2, floors)
    for estate in others:
        units = _corridors_of(ctx, estate)
        wanted = rng.randint(30, 60) if estate.name in ALWAYS_POPULATED else rng.randint(20, 60)
        per_corridor = math.ceil(wanted / len(units))
        made = 0
        for building, corridor in units:
            batch = _flats_in(corridor, building, min(per_corridor, wanted - made), 99)
            flats += batch
            made += len(batch)
    for flat in insert_places(flats):
        estate_pk = ancestor_ids(flat.path)[3]  # district, street, community, estate, ...
        ctx.flats.setdefault(estate_pk, []).append(flat)
    for estate in ctx.populated_estates:
        estate.households = len(ctx.flats[estate.pk])
    Place.objects.bulk_update(ctx.populated_estates, ["households"])
    ctx.add_count("flats", len(flats))
