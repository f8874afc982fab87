"""The early-warning rules engine: one module per rule. Each rule has a pure part (a function over numbers: the
benchmark scores it on synthetic series) and a part that reads the database (roll-ups, index ranges, other apps'
selectors) and returns `Finding`s; `scan.scan(moment)` runs every rule and raises the findings as alerts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Finding:
    """What a rule found: an alert to raise (or to keep open: same key)."""

    rule: str
    key: str
    severity: int
    title: str
    place: Any  # core.Place
    began_at: datetime.datetime
    sensor: Any = None
    evidence: dict = field(default_factory=dict)
