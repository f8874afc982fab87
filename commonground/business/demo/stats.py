"""The stats part of the business demo step."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext


def build(ctx: DemoContext) -> None:
    pass
