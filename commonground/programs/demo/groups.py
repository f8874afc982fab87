"""Placeholder: the groups part's demo records."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext


def build(ctx: DemoContext) -> None:
    return None
