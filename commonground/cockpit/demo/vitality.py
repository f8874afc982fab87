"""The vitality index of the demo's last 90 days (through the service, which reads the roll-ups the signals step
wrote): a handful of queries, well under a second."""

from __future__ import annotations

import datetime

from commonground.core import clock

DAYS = 90


def build(ctx) -> None:
    from ..services.vitality import vitality_compute

    today = clock.today()
    ctx.add_count("vitality days", vitality_compute(first=today - datetime.timedelta(days=DAYS - 1), last=today))
