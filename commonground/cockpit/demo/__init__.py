"""The cockpit's demo step: sensors at the business communities and a year of their hourly readings (through the
ingest service), the police, enforcement and traffic feeds, spending at 新天地, the vitality index and the warnings
the engine raises over them. Anomalies are injected at known times and kept as the demo's ground truth."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext


def build_demo_data(ctx: DemoContext) -> None:
    from . import signals, vitality

    signals.build(ctx)
    vitality.build(ctx)
