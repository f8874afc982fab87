"""The coordination step of the demo (found by commonground/demo/builder.py; runs after cases and deliberation,
whose three-party disputes, meetings and 远洋公寓's election it builds on). Deterministic from
ctx.rng("coordination")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import evaluation, fund, network, profiles

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext


def build_demo_data(ctx: DemoContext) -> None:
    profiles.build(ctx)
    network.build(ctx)
    evaluation.build(ctx)
    fund.build(ctx)
