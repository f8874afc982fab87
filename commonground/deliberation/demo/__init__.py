"""The deliberation app's demo records (see `build`), split by subject: votes, elections, representatives,
meetings. Everything goes through the app's services at its date on the one clock (World.call), except the
paper ballots, written in bulk as `ballot_enter` writes them (see common.enter_paper_ballots)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..services.ballots import receipts_from
from .common import World
from .elections import build_elections
from .meetings import build_meetings
from .representatives import build_representatives
from .votes import build_decisions

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext


def build(ctx: DemoContext) -> World:
    """Elections (2020, 2022), the renewal representatives (March 2023), decisions of 2023 and one upcoming
    vote, then the year's meetings with their resolutions and cases."""
    world = World.of(ctx)
    with receipts_from(world.rng):  # seeded receipt codes: the same seed builds the same ballots
        build_elections(world)
        build_representatives(world)
        build_decisions(world)
        build_meetings(world)
    for name, n in sorted(world.counts.items()):
        ctx.add_count(name, n)
    return world
