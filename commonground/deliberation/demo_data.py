"""The deliberation step of the demo (found by commonground/demo/builder.py; runs after the cases step).

Builds, in 拱墅区's demo estates: two owners' committee elections (浙工新村 2022, 秋涛里 2020 whose term ends
within three months of the demo's today), the 13 renewal representatives of 浙工新村, five owners' decisions
of 2023 (passed, no quorum, passed by three quarters with an appeal noted, failed three quarters) and one
upcoming vote, and the meetings of the year: 红茶议事会, 说事亭, 三和楼事会, 小哥面对面, with resolutions
whose cases run through the case engine. Deterministic from ctx.rng("deliberation"), except the dates of
the upcoming vote and meeting, which follow the real clock (see demo.votes.upcoming_window).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .demo import build

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext


def build_demo_data(ctx: DemoContext) -> None:
    build(ctx)
