"""The deliberation step of the demo (found by commonground/demo/builder.py; runs after the cases step).

Builds, in 拱墅区's demo estates: two owners' committee elections (浙工新村 2022, 秋涛里 2020 whose term ends
within three months of the demo's today), the 13 renewal representatives of 浙工新村, five owners' decisions
of 2023 (passed, no quorum, passed by three quarters with an appeal noted, failed three quarters) and one
upcoming vote, and the meetings of the year: 红茶议事会, 说事亭, 三和楼事会, 小哥面对面, with resolutions
whose cases run through the case engine. Split by subject: votes, elections, representatives, meetings.

Everything goes through the app's services at its date on the one clock (World.call), except two kinds of rows
written in bulk as the services write them: the paper ballots (`ballot_enter`, one insert per day's pile with the
clock stopped then, all pointing at one sample scan: see common.enter_paper_ballots) and the attendance lists
(`attendee_invite` and `attendee_sign_in`, one insert per meeting: see meetings.attend). Deterministic from
ctx.rng("deliberation").
"""

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


def build_demo_data(ctx: DemoContext) -> None:
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
