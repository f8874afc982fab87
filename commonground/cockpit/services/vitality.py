"""Computing the commercial vitality index into VitalityDay, per business community and street and day.

`vitality_compute(first=, last=)` computes every place for every day of the range with a fixed number of queries
(the roll-ups per unit and day, the firms, the ledgers, the activities and the cases of the range, each read
once) and replaces the rows of those days, so running it again changes nothing (idempotent). The nightly task
`cockpit.compute_vitality` computes yesterday and today. The formula is `cockpit/vitality.py`'s.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from commonground.business.models import BuildingLedger, Enterprise
from commonground.business.models.ledgers import EnterpriseStatus
from commonground.cases.models import Case
from commonground.cases.selectors import in_days
from commonground.core import clock
from commonground.core.models import Place, PlaceKind
from commonground.core.models.places import SEGMENT_WIDTH
from commonground.programs.models import Activity
from commonground.programs.models.activities import ActivityStatus

from .. import vitality
from ..models import SignalKind, UnitDay, VitalityDay

STREET_LENGTH = 2 * SEGMENT_WIDTH
DAY = datetime.timedelta(days=1)


def vitality_places() -> list[Place]:
    """The places the index is computed for: every business community and every street."""
    return list(Place.objects.filter(kind__in=(PlaceKind.BUSINESS_COMMUNITY, PlaceKind.STREET)).order_by("path"))


def _owner(path: str, places: dict[str, Place]) -> list[str]:
    """The computed places a row at `path` counts for: its business community (if computed) and its street."""
    owners = [path[:STREET_LENGTH]] if path[:STREET_LENGTH] in places else []
    unit = path[:3 * SEGMENT_WIDTH]
    if unit in places and unit != path[:STREET_LENGTH]:
        owners.append(unit)
    return owners


def _daily(rows, places: dict[str, Place]) -> dict[tuple[str, datetime.date], int]:
    """Sum (path, day, n) rows per computed place and day."""
    sums: dict[tuple[str, datetime.date], int] = defaultdict(int)
    for path, day, n in rows:
        for owner in _owner(path, places):
            sums[owner, day] += n
    return sums


def _window(daily: dict[tuple[str, datetime.date], int], path: str, day: datetime.date) -> int:
    return sum(daily.get((path, day - datetime.timedelta(days=back)), 0) for back in range(vitality.WINDOW_DAYS))


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


@transaction.atomic
def vitality_compute(*, first: datetime.date, last: datetime.date | None = None) -> int:
    """Compute the index of every business community and street for each day from `first` to `last` (default:
    `first`) and replace those days' rows. Returns the number of rows written."""
    last = last or first
    places = {place.path: place for place in vitality_places()}
    if not places:
        return 0
    since = first - datetime.timedelta(weeks=vitality.BASELINE_WEEKS)
    window_start = first - datetime.timedelta(days=vitality.WINDOW_DAYS - 1)
    # Signals: the daily roll-ups of foot traffic and spending per unit (a community or business community).
    signal: dict[str, dict[tuple[str, datetime.date], Decimal]] = {SignalKind.FOOT_TRAFFIC: defaultdict(Decimal),
                                                                   SignalKind.SPENDING: defaultdict(Decimal)}
    for unit, kind, day, total in (UnitDay.objects.filter(kind__in=list(signal), day__gte=since, day__lte=last)
                                   .values_list("unit_path", "kind", "day", "total")):
        for owner in _owner(unit, places):
            signal[kind][owner, day] += total
    reporting = {(kind, key) for kind, sums in signal.items() for key in sums}
    # Firms: how many are active now, and how many registered on each day of the window.
    firms: dict[str, int] = defaultdict(int)
    active = Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE)
    for community, street, n in (active.values_list("community_path", "street_path").annotate(n=Count("pk"))
                                 .order_by()):
        if street in places:
            firms[street] += n
        if community in places and community != street:
            firms[community] += n
    registered = _daily(((path, day, n) for path, day, n in active.filter(
        registered_on__gte=window_start, registered_on__lte=last).values_list("place_path", "registered_on")
        .annotate(n=Count("pk")).order_by()), places)
    # Occupancy: the office ledgers as they stand (vacant area) against the buildings' floor area.
    floor: dict[str, Decimal] = defaultdict(Decimal)
    vacant: dict[str, Decimal] = defaultdict(Decimal)
    for path, area, empty in (BuildingLedger.objects.filter(building__floor_area_m2__isnull=False)
                              .values_list("place_path").annotate(area=Sum(F("building__floor_area_m2")),
                                                                  empty=Sum("vacant_area_m2")).order_by()):
        for owner in _owner(path, places):
            floor[owner] += area
            vacant[owner] += empty
    # Activities: published ones by the day of their first session.
    activities: dict[tuple[str, datetime.date], int] = defaultdict(int)
    for path, starts in Activity.objects.filter(
            Q(status=ActivityStatus.PUBLISHED), in_days("first_starts_at", window_start, last)).values_list(
            "place_path", "first_starts_at"):
        for owner in _owner(path, places):
            activities[owner, _local_day(starts)] += 1
    # Issues: cases reported, by the day they were reported (an index range on created_at).
    cases: dict[tuple[str, datetime.date], int] = defaultdict(int)
    for path, created in Case.objects.filter(in_days("created_at", window_start, last)).values_list(
            "place_path", "created_at"):
        for owner in _owner(path, places):
            cases[owner, _local_day(created)] += 1

    weights = vitality.weights()
    computed_at = clock.now()
    rows = []
    day = first
    while day <= last:
        for path in places:
            raw = vitality.Raw(
                foot_traffic=_against_usual(signal[SignalKind.FOOT_TRAFFIC], reporting, SignalKind.FOOT_TRAFFIC,
                                            path, day),
                spending=_against_usual(signal[SignalKind.SPENDING], reporting, SignalKind.SPENDING, path, day),
                occupancy=(vitality.q2((1 - vacant[path] / floor[path]) * 100) if floor.get(path) else None),
                new_enterprises=vitality.per(_window(registered, path, day), firms.get(path, 0), 100),
                activities=Decimal(_window(activities, path, day)),
                open_issues=vitality.per(_window(cases, path, day), firms.get(path, 0), 1000),
            )
            value, parts = vitality.index(raw, weights)
            if value is not None:
                rows.append(VitalityDay(unit_path=path, day=day, index=value, parts=parts, computed_at=computed_at))
        day += DAY
    _store(rows, first, last)
    return len(rows)


def _store(rows: list[VitalityDay], first: datetime.date, last: datetime.date) -> None:
    """Replace the stored days first..last by `rows`, writing only what changed: run again on the same data (the
    hourly tick), it writes nothing."""
    stored = {(path, day): (pk, index, parts) for pk, path, day, index, parts in VitalityDay.objects.filter(
        day__gte=first, day__lte=last).values_list("pk", "unit_path", "day", "index", "parts")}
    fresh = [row for row in rows if stored.get((row.unit_path, row.day), (None, None, None))[1:] != (row.index,
                                                                                                    row.parts)]
    kept = {(row.unit_path, row.day) for row in rows} - {(row.unit_path, row.day) for row in fresh}
    outdated = [pk for key, (pk, _index, _parts) in stored.items() if key not in kept]
    if outdated:
        VitalityDay.objects.filter(pk__in=outdated).delete()
    VitalityDay.objects.bulk_create(fresh, batch_size=1000)


def _against_usual(sums: dict[tuple[str, datetime.date], Decimal], reporting: set, kind: str, path: str,
                   day: datetime.date) -> Decimal | None:
    """That day's total ÷ the median of the same weekday over the previous weeks that reported."""
    if (kind, (path, day)) not in reporting:
        return None
    before = [sums[path, day - datetime.timedelta(weeks=week)]
              for week in range(1, vitality.BASELINE_WEEKS + 1)
              if (kind, (path, day - datetime.timedelta(weeks=week))) in reporting]
    return vitality.ratio(sums[path, day], vitality.baseline(before))
