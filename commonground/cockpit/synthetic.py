"""Synthetic signals with anomalies injected at known times (no Django): the demo's readings and the warnings
benchmark's data.

`foot_traffic(seed, start, hours)` gives an hourly series of people counted by one sensor: a daily rhythm (quiet at
night, a lunchtime and an evening peak), a weekly one (weekends busier for shops), Chinese public holidays (busier,
from `chinese_calendar`; adjusted working days count as working days), a rise around the Hangzhou Asian Games
(2023-09-23..10-08), Poisson-like noise, and anomalies at random known times: level shifts of ±50% lasting 3–12
hours, single-hour spikes, and drops to zero (a counter outage). It returns the series and the ground truth.

`case_counts(seed, start, days)` gives daily counts of one case category in one place with surges of 3× lasting 2–4
days at known times.

Everything is seeded and deterministic: the same seed gives the same series.
"""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass

import chinese_calendar

GAMES = (datetime.date(2023, 9, 23), datetime.date(2023, 10, 8))
# Share of a day's people in each local hour (0..23) on a working day and on a weekend or holiday.
WORKDAY_SHAPE = (2, 1, 1, 1, 1, 2, 4, 8, 14, 12, 10, 12, 18, 15, 10, 10, 12, 16, 20, 18, 14, 10, 6, 3)
RESTDAY_SHAPE = (3, 2, 1, 1, 1, 1, 2, 4, 8, 12, 16, 19, 20, 19, 18, 18, 18, 19, 21, 20, 17, 12, 7, 4)
SHIFT, SPIKE, OUTAGE = "shift", "spike", "outage"


@dataclass(frozen=True)
class Event:
    """An injected anomaly: `kind`, first hour index `start`, `length` in hours (days for surges), `factor`."""

    kind: str
    start: int
    length: int
    factor: float

    @property
    def end(self) -> int:
        return self.start + self.length


def _day_factor(day: datetime.date, weekend_boost: float) -> tuple[float, tuple[int, ...]]:
    try:
        rest = not chinese_calendar.is_workday(day)
        holiday = rest and chinese_calendar.get_holiday_detail(day)[1] is not None
    except NotImplementedError:  # a year the package does not know: plain weekends
        rest, holiday = day.weekday() >= 5, False
    factor = 1.0
    if rest:
        factor *= weekend_boost
    if holiday:
        factor *= 1.3
    if GAMES[0] - datetime.timedelta(days=14) <= day <= GAMES[1]:
        factor *= 1.25 if day >= GAMES[0] else 1.1
    return factor, (RESTDAY_SHAPE if rest else WORKDAY_SHAPE)


def baseline(seed: int, start: datetime.datetime, hours: int, *, level: float | None = None) -> list[float]:
    """The expected people per hour, without noise or anomalies. `start` is a local (Shanghai) hour."""
    rng = random.Random(seed)
    level = level if level is not None else rng.uniform(150, 900)  # people an hour at an average hour
    weekend_boost = rng.uniform(0.9, 1.6)
    expected = []
    days: dict[datetime.date, tuple[float, tuple[int, ...]]] = {}
    for index in range(hours):
        moment = start + datetime.timedelta(hours=index)
        day = moment.date()
        if day not in days:
            days[day] = _day_factor(day, weekend_boost)
        factor, shape = days[day]
        expected.append(level * factor * shape[moment.hour] / (sum(shape) / 24))
    return expected


def _noisy(rng: random.Random, mean: float) -> int:
    """A count around `mean`: Poisson-like (normal approximation) with 8% extra spread from the weather."""
    if mean <= 0:
        return 0
    sd = math.sqrt(mean + (0.08 * mean) ** 2)
    return max(0, round(rng.gauss(mean, sd)))


def foot_traffic(seed: int, start: datetime.datetime, hours: int, *, events_per_week: float = 0.5,
                 quiet_hours: int = 28 * 24, kinds: tuple[str, ...] = (SHIFT, SHIFT, SPIKE, OUTAGE),
                 level: float | None = None) -> tuple[list[int], list[Event]]:
    """An hourly series and its injected events. No event lies in the first `quiet_hours` (the baseline's
    history), none in the night (a shift begins between 08:00 and 18:00 local), and events never overlap."""
    rng = random.Random(seed * 7919 + 1)
    expected = baseline(seed, start, hours, level=level)
    values = [_noisy(rng, mean) for mean in expected]
    events: list[Event] = []
    count = rng.gauss(events_per_week * hours / 168, 0.5)
    after = quiet_hours
    for _ in range(max(0, round(count))):
        if after >= hours - 24:
            break
        gap = int(rng.expovariate(1 / max(24.0, (hours - quiet_hours) / max(1.0, count))))
        first = after + gap
        first -= (start + datetime.timedelta(hours=first)).hour  # the day's midnight
        first += rng.randint(8, 17)
        if first < after or first >= hours - 24:
            continue
        kind = rng.choice(kinds)
        if kind == SHIFT:
            event = Event(SHIFT, first, rng.randint(3, 12), rng.choice((0.5, 1.5)))
        elif kind == SPIKE:
            event = Event(SPIKE, first, 1, rng.uniform(3.0, 5.0))
        else:
            event = Event(OUTAGE, first, rng.randint(2, 8), 0.0)
        for index in range(event.start, min(event.end, hours)):
            values[index] = _noisy(rng, expected[index] * event.factor) if event.factor else 0
        events.append(event)
        after = event.end + 48
    return values, events


def case_counts(seed: int, days: int, *, mean: float | None = None, surges_per_month: float = 0.5,
                quiet_days: int = 28) -> tuple[list[int], list[Event]]:
    """Daily counts of one case category in one place, with surges of 3× lasting 2–4 days at known times."""
    rng = random.Random(seed * 104729 + 3)
    mean = mean if mean is not None else rng.uniform(2.0, 12.0)
    weekly = [1.0, 1.05, 1.0, 1.0, 1.1, 0.8, 0.7]
    values = [_poisson(rng, mean * weekly[day % 7]) for day in range(days)]
    events: list[Event] = []
    after = quiet_days
    count = max(0, round(rng.gauss(surges_per_month * days / 30, 0.5)))
    for _ in range(count):
        first = after + rng.randint(3, 30)
        if first >= days - 4:
            break
        event = Event("surge", first, rng.randint(2, 4), 3.0)
        for day in range(event.start, event.end):
            values[day] = _poisson(rng, mean * weekly[day % 7] * 3.0)
        events.append(event)
        after = event.end + 14
    return values, events


def _poisson(rng: random.Random, mean: float) -> int:
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def feed(seed: int, start: datetime.datetime, hours: int, *, level: float, counts: bool = True) -> list[float]:
    """An hourly feed with the daily rhythm: counts (police incidents, enforcement events, yuan spent) around
    `level` an hour, or an index (traffic congestion, 1 = free flow) around `level` with peaks at rush hours."""
    rng = random.Random(seed * 31 + 7)
    if counts:
        return [float(_poisson(rng, mean)) if mean < 30 else float(_noisy(rng, mean))
                for mean in baseline(seed, start, hours, level=level)]
    values = []
    for index in range(hours):
        moment = start + datetime.timedelta(hours=index)
        rush = moment.hour in (7, 8, 9, 17, 18, 19) and moment.weekday() < 5
        values.append(round(max(1.0, rng.gauss(level * (1.6 if rush else 1.0), 0.15)), 2))
    return values
