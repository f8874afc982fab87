"""How a campaign's signing stands: signed / total by project, building, work group and day, the forecast of the
finishing date, the holdout list and the daily briefing (每日通报).

Every figure is counted by the database: one GROUP BY (building, work group) over the project's households
(`counts`; the index `household_progress` on (project, building, group, signed_at) covers it) whose few rows sum
to the totals, buildings and groups, and one GROUP BY local day of signing for the curve: a fixed number of
queries whatever the size of the campaign, and no Python loop over its households (only over buildings and days). The holdout list
walks the partial index `household_holdouts` (unsigned, least recently visited first).

A project's figures are the project's: whoever sees the project sees them whole (the office, a field group's
member, a leader). Lists of households (the holdouts) are the actor's: a field member sees those of their
buildings only (`selectors.households_for`).

Days are local days (the deployment's time zone): a household signed on day D when its `signed_at` falls in D
local time.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.db import connection
from django.db.models import CharField, Count, F, Func, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from commonground.core import clock
from commonground.core.models import Place, PlaceKind, User

from .models import (
    AgreementsState,
    Household,
    Outcome,
    Project,
    Visit,
    WorkGroup,
    WorkGroupBuilding,
    WorkGroupKind,
)
from .rules import needed
from .selectors import households_for

PACE_DAYS = 14  # the forecast's recent pace: signings per day over the last 14 days
HORIZON_DAYS = 366  # a slow end further than a year away is no date worth stating
Z = 1.96  # the forecast's interval: about 95%


def rate(part: int, whole: int) -> float:
    """A fraction rounded to 4 places (547 of 548 is 0.9982), 0.0 when there is nothing to divide."""
    return round(part / whole, 4) if whole else 0.0


def day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of local day `day`."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def day_end(day: datetime.date) -> datetime.datetime:
    """The first moment after local day `day`."""
    return day_start(day + datetime.timedelta(days=1))


def local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


@dataclass(frozen=True)
class Tally:
    """Signed of total, and the rate (a fraction, 4 places)."""

    households: int
    signed: int

    @property
    def rate(self) -> float:
        return rate(self.signed, self.households)

    @property
    def unsigned(self) -> int:
        return self.households - self.signed

    @property
    def percent(self) -> str:
        return f"{self.rate * 100:.1f}%"


@dataclass(frozen=True)
class BuildingRow(Tally):
    building_id: int = 0
    name: str = ""
    group: str = ""
    last_signed_at: datetime.datetime | None = None

    @property
    def complete(self) -> bool:
        return self.households > 0 and self.signed == self.households


@dataclass(frozen=True)
class GroupRow(Tally):
    group_id: int = 0
    name: str = ""
    buildings: int = 0


@dataclass(frozen=True)
class DayRow:
    day: datetime.date
    signed: int  # signed that day
    cumulative: int  # signed by the end of that day
    rate: float  # cumulative / households

    @property
    def iso(self) -> str:
        return self.day.isoformat()

    @property
    def percent(self) -> str:
        return f"{self.rate * 100:.1f}%"


@dataclass(frozen=True)
class Totals(Tally):
    needed: int = 0  # signed households the effect threshold asks for

    @property
    def left(self) -> int:
        """Signatures still needed for effect (0 once reached)."""
        return max(self.needed - self.signed, 0)


def _until_q(until: datetime.datetime | None) -> Q:
    signed = Q(signed_at__isnull=False)
    return signed & Q(signed_at__lt=until) if until is not None else signed


def counts(project: Project, *, until: datetime.datetime | None = None) -> list[dict]:
    """The project's households counted by building and work group in one pass (one query, GROUP BY over the
    index on (project, building, group, signed_at)): households, signed (before `until` when given), the last
    signature. Totals, buildings and groups are sums of these rows (one a building, or a few)."""
    return list(Household.objects.filter(project=project).order_by().values("building_id", "group_id")
                .annotate(households=Count("pk"), signed=Count("pk", filter=_until_q(until)),
                          last=Max("signed_at", filter=_until_q(until))))


def signings_per_day(project: Project, *, until: datetime.datetime | None = None) -> dict[datetime.date, int]:
    """Households signed on each local day (one query, grouped by the day, over the index on (project,
    signed_at)). Kept apart from `counts`: grouped together they would be a row per building and day."""
    rows = (Household.objects.filter(project=project).filter(_until_q(until)).order_by()
            .annotate(day=local_date("signed_at")).values("day").annotate(n=Count("pk")).values_list("day", "n"))
    return {_as_date(day): n for day, n in rows}


def totals_of(project: Project, rows: list[dict]) -> Totals:
    households = sum(row["households"] for row in rows)
    return Totals(households, sum(row["signed"] for row in rows), needed=needed(households, project.effect_threshold))


def _summed(rows: list[dict], key: str) -> dict[int, dict]:
    sums: dict[int, dict] = {}
    for row in rows:
        item = sums.setdefault(row[key], {"households": 0, "signed": 0, "last": None})
        item["households"] += row["households"]
        item["signed"] += row["signed"]
        if row["last"] is not None and (item["last"] is None or row["last"] > item["last"]):
            item["last"] = row["last"]
    return sums


def progress_by_building(project: Project, *, until: datetime.datetime | None = None,
                         rows: list[dict] | None = None) -> list[BuildingRow]:
    """Signed / total per building, in the estate's order, with the building's work group (the counts, then one
    query for those buildings' names and groups)."""
    by_building = _summed(counts(project, until=until) if rows is None else rows, "building_id")
    owner = WorkGroupBuilding.objects.filter(project=project, building=OuterRef("pk")).values("group__name")
    places = [place for place in Place.objects.filter(path__startswith=project.estate_path, kind=PlaceKind.BUILDING)
              .annotate(group=Subquery(owner[:1])).order_by("path").values("pk", "name", "path", "group")
              if place["pk"] in by_building]
    return [BuildingRow(by_building[p["pk"]]["households"], by_building[p["pk"]]["signed"], building_id=p["pk"],
                        name=p["name"], group=p["group"] or "", last_signed_at=by_building[p["pk"]]["last"])
            for p in places]


def progress_by_group(project: Project, *, until: datetime.datetime | None = None,
                      rows: list[dict] | None = None) -> list[GroupRow]:
    """Signed / total per field work group, by name, with the buildings it owns (the counts, then one query for
    the groups)."""
    by_group = _summed(counts(project, until=until) if rows is None else rows, "group_id")
    buildings = (WorkGroupBuilding.objects.filter(group=OuterRef("pk")).order_by().values("group")
                 .annotate(n=Count("pk")).values("n"))
    groups = WorkGroup.objects.filter(project=project, kind=WorkGroupKind.FIELD).annotate(
        n_buildings=Coalesce(Subquery(buildings[:1]), 0)).order_by("name").values("pk", "name", "n_buildings")
    empty = {"households": 0, "signed": 0}
    return [GroupRow(by_group.get(g["pk"], empty)["households"], by_group.get(g["pk"], empty)["signed"],
                     group_id=g["pk"], name=g["name"], buildings=g["n_buildings"]) for g in groups]


def local_date(field_name: str) -> Func:
    """The local date of a timestamp column, computed by the database. SQLite converts time zones through a
    Python function called per row (a third of a second over 50,000 rows), so where the zone keeps one offset
    (China has had no summer time since 1991) it shifts the UTC text by that offset in SQL instead."""
    zone = timezone.get_current_timezone()
    if connection.vendor == "sqlite":
        offsets = {zone.utcoffset(datetime.datetime(year, month, 1)) for year in (2000, 2030) for month in (1, 7)}
        if len(offsets) == 1:
            minutes = int(offsets.pop().total_seconds() // 60)
            return Func(F(field_name), template=f"date(%(expressions)s, '{minutes:+d} minutes')",
                        output_field=CharField())
    return TruncDate(field_name, tzinfo=zone)


def _as_date(value: datetime.date | str) -> datetime.date:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def progress_by_day(project: Project, total: int, per_day: dict[datetime.date, int], *,
                    through: datetime.date | None = None) -> list[DayRow]:
    """Every day from the signing period's start (or the first signature, if earlier) to `through` (default: the
    last signature or today, whichever is later, within the signing period when it is over), with the day's
    signings, the cumulative count and rate."""
    if not per_day and project.signing_from is None:
        return []
    first = min([d for d in (project.signing_from, min(per_day, default=None)) if d is not None])
    if through is None:
        last_signed = max(per_day, default=first)
        through = max(last_signed, min(clock.today(), project.signing_until or clock.today()))
    days: list[DayRow] = []
    cumulative = 0
    day = first
    while day <= through:
        signed = per_day.get(day, 0)
        cumulative += signed
        days.append(DayRow(day, signed, cumulative, rate(cumulative, total)))
        day += datetime.timedelta(days=1)
    return days


@dataclass(frozen=True)
class Forecast:
    """When a target (a number of signed households) will be reached at the recent pace.

    `pace` is the signings per day over the `window` days up to `on`; the interval takes the count in the window
    as a Poisson count and its about-95% range on the square-root scale, (√k ∓ 0.98)² (so `earliest` is at the
    fast end, `latest` at the slow end; no `latest` when the slow end is no signing at all or more than a year
    away)."""

    target: int
    remaining: int
    on: datetime.date  # the day the forecast is made on (the pace's last day)
    window: int = PACE_DAYS
    in_window: int = 0  # households signed in the window
    days: int | None = None  # days from `on` to reach the target at the pace
    date: datetime.date | None = None
    earliest: datetime.date | None = None
    latest: datetime.date | None = None

    @property
    def reached(self) -> bool:
        return self.remaining <= 0

    @property
    def possible(self) -> bool:
        """A date can be forecast: not reached yet and the recent pace is not zero."""
        return not self.reached and self.in_window > 0

    @property
    def pace(self) -> float:
        return self.in_window / self.window


def forecast(target: int, signed: int, in_window: int, on: datetime.date, window: int = PACE_DAYS) -> Forecast:
    """The forecast of reaching `target` from `signed`, at the pace of `in_window` signings over `window` days
    ending on `on` (pure arithmetic)."""
    remaining = target - signed
    if remaining <= 0 or in_window <= 0:
        return Forecast(target, remaining, on, window, in_window)
    pace = in_window / window
    fast = (math.sqrt(in_window) + Z / 2) ** 2 / window
    slow = (math.sqrt(in_window) - Z / 2) ** 2 / window if in_window > (Z / 2) ** 2 else 0.0

    def after(per_day: float) -> datetime.date:
        return on + datetime.timedelta(days=math.ceil(remaining / per_day))

    latest = after(slow) if slow > 0 and remaining / slow <= HORIZON_DAYS else None
    return Forecast(target, remaining, on, window, in_window, days=math.ceil(remaining / pace), date=after(pace),
                    earliest=after(fast), latest=latest)


@dataclass(frozen=True)
class Progress:
    totals: Totals
    buildings: list[BuildingRow]
    groups: list[GroupRow]
    days: list[DayRow]
    to_effect: Forecast
    to_all: Forecast
    on: datetime.date
    needed_pace: float | None = None  # signings per day still needed to reach the threshold by the deadline
    days_left: int | None = None  # days left in the signing period, `on` included

    @property
    def behind(self) -> bool:
        """Behind the pace the threshold asks for by the deadline (or past it without the threshold)."""
        if self.to_effect.reached or self.days_left is None:
            return False
        return self.days_left <= 0 or self.to_effect.pace < (self.needed_pace or 0)


def pace_needed(totals: Totals, project: Project, on: datetime.date) -> tuple[float | None, int | None]:
    """Signings per day still needed to reach the threshold by the end of the signing period, and the days left
    in it (`on` counted); (None, None) without a deadline, before signing opens, or once the agreements' state is
    decided (in effect or lapsed)."""
    if project.signing_until is None or (project.signing_from and on < project.signing_from) \
            or project.agreements_state != AgreementsState.PENDING:
        return None, None
    days_left = (project.signing_until - on).days + 1
    if totals.left == 0:
        return 0.0, days_left
    return (totals.left / days_left if days_left > 0 else None), days_left


def in_window(per_day: dict[datetime.date, int], on: datetime.date, window: int = PACE_DAYS) -> int:
    first = on - datetime.timedelta(days=window - 1)
    return sum(n for day, n in per_day.items() if first <= day <= on)


def project_progress(project: Project, *, on: datetime.date | None = None) -> Progress:
    """Everything the progress page shows of the project as it stands (four queries): totals, buildings,
    groups, days with the cumulative curve, the forecasts to the threshold and to every household."""
    on = on or clock.today()
    rows = counts(project)
    totals = totals_of(project, rows)
    per_day = signings_per_day(project)
    recent = in_window(per_day, on)
    needed_pace, days_left = pace_needed(totals, project, on)
    return Progress(
        totals=totals, buildings=progress_by_building(project, rows=rows),
        groups=progress_by_group(project, rows=rows),
        days=progress_by_day(project, totals.households, per_day),
        to_effect=forecast(totals.needed, totals.signed, recent, on),
        to_all=forecast(totals.households, totals.signed, recent, on), on=on,
        needed_pace=needed_pace, days_left=days_left)


def holdouts(actor: User, project: Project, *, until: datetime.datetime | None = None) -> QuerySet[Household]:
    """The unsigned households the actor reaches (unsigned before `until` when given), least recently visited
    first (never visited before all), with their visits, last outcome and group."""
    rows = households_for(actor, project)
    if until is None:
        rows = rows.filter(signed_at__isnull=True)
    else:
        rows = rows.filter(Q(signed_at__isnull=True) | Q(signed_at__gte=until))
    return rows.order_by(F("last_visit_at").asc(nulls_first=True), "place_path")


@dataclass(frozen=True)
class Briefing:
    """The daily briefing (每日通报) of one day."""

    project: Project
    day: datetime.date
    totals: Totals  # as at the end of the day
    signed_today: int
    groups: list[GroupRow]  # ranked by rate, then signed, then name
    completed_today: list[BuildingRow]  # buildings whose last household signed that day
    completed: int  # buildings complete by the end of the day
    buildings: int
    visits: int  # visits made that day
    visits_by_outcome: list[tuple[str, str, int]]  # (outcome, label, visits)
    visited_households: int
    holdouts: list[Household]  # the first of those the reader reaches, least recently visited first
    holdouts_count: int  # unsigned at the end of the day, of those the reader reaches


BRIEFING_HOLDOUTS = 30


def briefing(actor: User, project: Project, day: datetime.date, *, holdout_limit: int = BRIEFING_HOLDOUTS) -> Briefing:
    """The briefing of `day`: signed that day and in all by its end, the rate, what the threshold still needs, the
    work groups ranked by rate, buildings completed, the visits made that day (Visit rows) and the holdouts the
    reader reaches (a fixed number of queries)."""
    start, end = day_start(day), day_end(day)
    rows = counts(project, until=end)
    totals = totals_of(project, rows)
    signed_today = signings_per_day(project, until=end).get(day, 0)
    buildings = progress_by_building(project, rows=rows)
    complete = [row for row in buildings if row.complete]
    completed_today = [row for row in complete if local_day(row.last_signed_at) == day]
    groups = sorted(progress_by_group(project, rows=rows), key=lambda g: (-g.rate, -g.signed, g.name))
    visits = Visit.objects.filter(household__project=project, visited_at__gte=start, visited_at__lt=end)
    by_outcome = dict(visits.order_by().values("outcome").annotate(n=Count("pk")).values_list("outcome", "n"))
    visit_totals = visits.aggregate(n=Count("pk"), households=Count("household", distinct=True))
    unsigned = holdouts(actor, project, until=end)
    listed = list(unsigned[:holdout_limit])
    count = len(listed) if len(listed) < holdout_limit else unsigned.count()
    return Briefing(
        project=project, day=day, totals=totals, signed_today=signed_today, groups=groups,
        completed_today=completed_today, completed=len(complete), buildings=len(buildings),
        visits=visit_totals["n"], visited_households=visit_totals["households"],
        visits_by_outcome=[(o.value, str(o.label), by_outcome[o.value]) for o in Outcome if by_outcome.get(o.value)],
        holdouts=listed, holdouts_count=count)
