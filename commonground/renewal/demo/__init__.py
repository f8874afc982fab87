"""The renewal step of the demo (found by commonground/demo/builder.py; runs after deliberation, whose 13
renewal representatives of 浙工新村 it relies on).

浙工新村's 2023 campaign through the services on the one clock: the project opened on the ownership register of
20 February 2023 with its phases (consent survey, plan for comment, the campaign from 7 April, signing from the
mobilisation meeting of 22 April to 30 June: 85 days)
and thresholds, and its organisation (leading group, office, mass-work and policy groups, seven field work
groups owning the 13 buildings; 二组 with 1幢 and 2幢, 80 households, led by the demo's `renewal` login).
Deterministic from ctx.rng("renewal").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .fieldwork import build_fieldwork
from .organisation import build_project
from .rules import build_rules
from .signing import build_signing
from .world import World, plan_signings

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext


def build_demo_data(ctx: DemoContext) -> None:
    world = World.of(ctx)
    build_project(world)
    plan_signings(world)
    build_rules(world)
    build_fieldwork(world)
    build_signing(world)  # signs on the offers the rule sets give, publishing version 2 when its day comes
    ctx.add_count("renewal households", world.project.households.count())
