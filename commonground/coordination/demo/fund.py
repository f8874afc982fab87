"""fund demo records (to be written)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext


def build(ctx: DemoContext) -> None:
    """Nothing yet."""
