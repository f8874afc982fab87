"""Event-wise scoring of alerts against injected events (no point-adjust): an event is found when an alert begins
inside it or at most `grace` steps after its start; an alert that begins in no event (nor its grace) is false."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class Score:
    events: int = 0
    found: int = 0
    alerts: int = 0
    true_alerts: int = 0
    false_alerts: int = 0

    def add(self, other: Score) -> None:
        for name in ("events", "found", "alerts", "true_alerts", "false_alerts"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def recall(self) -> float:
        return self.found / self.events if self.events else 1.0

    @property
    def precision(self) -> float:
        return self.true_alerts / self.alerts if self.alerts else 1.0


def score(events: Sequence, alert_starts: Sequence[int], *, grace: int = 2, scored_kinds: set[str] | None = None,
          ) -> Score:
    """`events` have start, end (exclusive) and kind; `alert_starts` the step each alert began at. Only events of
    `scored_kinds` count for recall; an alert matching an event of any kind is not false."""
    result = Score(alerts=len(alert_starts))
    matched_events = set()
    for at in alert_starts:
        hits = [i for i, e in enumerate(events) if e.start <= at < max(e.end, e.start + grace + 1)]
        if hits:
            result.true_alerts += 1
            matched_events.update(hits)
        else:
            result.false_alerts += 1
    for i, event in enumerate(events):
        if scored_kinds is None or event.kind in scored_kinds:
            result.events += 1
            result.found += i in matched_events
    return result
