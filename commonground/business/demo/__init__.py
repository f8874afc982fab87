"""The business communities' step of the demo (found by commonground/demo/builder.py; runs after cases,
deliberation, coordination and programs). The ledgers first (buildings, enterprises, tax records), then the
commissioners and a month of visits, the policy package and its applications, the plans, and the retention
warnings. Deterministic from ctx.rng("business...")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import ledgers, planner, policies, profile, stats, visits

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext


def build_demo_data(ctx: DemoContext) -> None:
    ledgers.build(ctx)
    visits.build(ctx)
    policies.build(ctx)
    profile.build(ctx)
    planner.build(ctx)
    stats.build(ctx)
