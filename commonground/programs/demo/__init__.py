"""The programmes step of the demo (found by commonground/demo/builder.py; runs after cases, deliberation and
coordination). The couriers and their families first (the programmes' audience), then a year of activities with
their sign-ups and attendance, then the job fair. Deterministic from ctx.rng("programs...")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import activities, groups, jobs

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext


def build_demo_data(ctx: DemoContext) -> None:
    groups.build(ctx)
    activities.build(ctx)
    jobs.build(ctx)
