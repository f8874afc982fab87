"""Runs the lives of all the demo's cases together, in the order of time, each step with the one clock stopped
at its moment: what a step reads (possible duplicates, the open cases) is the district as it stood then.

The case tables grow from nothing to thousands of rows inside the build's one transaction; PostgreSQL would
go on planning over the empty tables' statistics (a case lookup by id scanning the whole table), so the
statistics of the growing tables are refreshed every month of the demo's time.
"""

from __future__ import annotations

import datetime
import heapq
import itertools
from collections.abc import Callable, Iterator

from django.db import connection

from commonground.core import clock
from commonground.core.models import RoleAssignment, User

from ..models import Case, CaseEvent, Mediation, MediationSession, Notification

# At one moment the tick escalates first and warns second (as `deadlines.tick` does), and people act after it.
OVERDUE, WARNING, PEOPLE = 0, 1, 2
STATISTICS_EVERY = datetime.timedelta(days=30)
GROWING = (Case, CaseEvent, Mediation, MediationSession, Notification, User, RoleAssignment)  # residents join


class Engine:
    def __init__(self, until: datetime.datetime) -> None:
        self.until = until
        self.queue: list[tuple[datetime.datetime, int, int, Callable[[], None]]] = []
        self.order = itertools.count()
        self.now: datetime.datetime | None = None

    def at(self, moment: datetime.datetime, priority: int, step: Callable[[], None]) -> None:
        """Run `step` at `moment` (steps after `until` never happen)."""
        if moment <= self.until:
            heapq.heappush(self.queue, (moment, priority, next(self.order), step))

    def tick(self, moment: datetime.datetime, step: Callable[[], None], *, first: bool) -> None:
        self.at(moment, OVERDUE if first else WARNING, step)

    def start(self, life: Iterator[datetime.datetime]) -> None:
        """Follow a life: it yields the moment of its next step and is resumed then."""
        def resume() -> None:
            moment = next(life, None)
            if moment is not None:
                if self.now is not None and moment < self.now:
                    raise RuntimeError(f"a case's next step at {moment} lies before {self.now}")
                self.at(moment, PEOPLE, resume)

        resume()

    def run(self) -> None:
        refreshed = None
        while self.queue:
            self.now, _priority, _order, step = heapq.heappop(self.queue)
            if refreshed is None or self.now - refreshed >= STATISTICS_EVERY:
                refresh_statistics()
                refreshed = self.now
            with clock.frozen_at(self.now):
                step()


def refresh_statistics() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(connection.ops.quote_name(m._meta.db_table) for m in GROWING)}")
