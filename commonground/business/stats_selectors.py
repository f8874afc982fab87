"""The building-economy statistics (楼宇经济统计) of any scope (the district, a street, a business community, a
building) over a period, read from the ledgers, tax records, cases and visit demands. The report, the statistics
page, its export and the API all read these figures, so they agree.

Every figure is one aggregate query over a table's own scope columns (Enterprise, TaxRecord, Visit carry
street_path / community_path / place_path; a building is a place), grouped by business community, so the number of
queries does not grow with the rows, and the scope's figures are the sums of its business communities' groups.

What each figure means:

- new enterprises (新增注册资本100万元以上企业): firms of the ledger in the scope (their premises' building, else
  their registration building), whatever their status now, registered (`registered_on`) in the period with a
  registered capital of at least `rules.new_enterprise_capital()` (¥1m); year on year against the same period a
  year earlier: (this − last) / last, None when last year had none (there is nothing to compare with).
  Their registered capital is the sum over the same firms.
- building-economy tax (楼宇经济税收): the tax records in the scope (a record stays with the building where it was
  earned) of the months the period covers whole (2023-01-01..2023-08-31: January to August; a period ending on
  the 30th of a month leaves that month out), plus a whole-year record (month 0) only when the period covers that
  whole year, and only for a firm-year without monthly records (so a year is never counted twice). Year on year:
  the same months (and whole years) one year earlier.
- occupancy (入驻率): 1 − vacant area / floor area over the business buildings of the scope that have a floor area;
  the vacant area is the building ledger's (none recorded: 0).
- registration-here rate (属地注册率): of the operating firms present in the scope's buildings, the share registered
  at the building where they are.
- tax per m² (单位面积税收): the period's building tax / the floor area in use (floor area − vacant area). Not
  annualised: a period of eight months gives eight months' tax per m².
- grades: the business buildings by grade A/B/C, "ungraded" when their ledger has none (or there is no ledger row).
- enterprises: operating firms in the scope (present, or registered at one of its buildings and not present
  elsewhere in the ledger); by status: every firm of the ledger in the scope by its status.
- per business community, besides those: office and serviced-apartment buildings and their floor area; the
  working population (the headcount of the operating firms present in its buildings); disputes resolved and needs
  met (cases at places within the community closed in the period — for the community named by the setting
  `xintiandi_first_year` in that first-year window instead; a dispute is a case of a dispute category, a need an
  enterprise demand (the `enterprise` category or one under it), closed or evaluated now); problems collected
  (demands raised in commissioners' visits to the community on or before the period's end: since records began);
  matters solved (cases at places within the community closed on or before the period's end whose handler is a
  building council 楼事会, an organisation of kind building_committee: since records began).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth, ExtractYear, Substr
from django.http import Http404
from django.utils.translation import gettext as _

from commonground.cases.categories import ENTERPRISE
from commonground.cases.models import CLOSED_STAGES, Case
from commonground.cases.selectors import in_days
from commonground.core.models import OrganisationKind, Place, PlaceKind, Setting
from commonground.core.models.places import SEGMENT_WIDTH, within_q
from commonground.core.permissions import can, scope_paths
from commonground.core.place_cache import top_place
from commonground.core.reporting import Period

from . import rules
from .models import BuildingGrade, Enterprise, EnterpriseStatus, TaxRecord, VisitDemand

__all__ = ["FIRST_YEAR_SETTING", "BUILDING_KINDS", "BusinessStats", "CommunityStats", "business_stats",
           "access_stats_scope", "business_scopes", "default_stats_scope", "first_year_window", "monthly_series",
           "scope_q", "stats_scopes", "tax_months", "tax_q", "yoy"]

FIRST_YEAR_SETTING = "xintiandi_first_year"  # {place: code, name, from, to}: the case demo writes it
BUILDING_KINDS = (PlaceKind.OFFICE_BUILDING, PlaceKind.BUILDING)
COMMUNITY_PATH_LENGTH = 3 * SEGMENT_WIDTH  # district / street / business community
GRADES = ("A", "B", "C", "")
GRADE_KEYS = {"A": "grade_a", "B": "grade_b", "C": "grade_c", "": "ungraded"}
assert set(GRADES) - {""} == set(BuildingGrade.values)


def scope_q(path: str, prefix: str = "") -> Q:
    """Rows of a table with the scope columns (place_path, street_path, community_path) inside the place at `path`:
    a street's or a business community's rows by equality on their column, others by the place path's range."""
    segments = len(path) // SEGMENT_WIDTH
    if segments == 2:
        return Q(**{f"{prefix}street_path": path})
    if segments == 3:
        return Q(**{f"{prefix}community_path": path})
    return within_q(f"{prefix}place_path", [path])


def yoy(this: Decimal | int | float, last: Decimal | int | float) -> float | None:
    """The change on the year before as a fraction rounded to 4 places; None when last year was 0."""
    if not last:
        return None
    return round(float((Decimal(this) - Decimal(last)) / Decimal(last)), 4)


def ratio(part: Decimal | int | float, whole: Decimal | int | float, places: int = 4) -> float | None:
    return round(float(Decimal(part) / Decimal(whole)), places) if whole else None


def money(value: Decimal | int | None) -> float:
    return float(round(Decimal(value or 0), 2))


def _month_end(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def tax_months(period: Period) -> tuple[list[tuple[int, int]], list[int]]:
    """The (year, month) pairs the period covers whole, and the years it covers whole."""
    months, years = [], []
    month = period.start.replace(day=1)
    while month <= period.end:
        if month >= period.start and _month_end(month) <= period.end:
            months.append((month.year, month.month))
        month = _month_end(month) + datetime.timedelta(days=1)
    for year in range(period.start.year, period.end.year + 1):
        if period.start <= datetime.date(year, 1, 1) and datetime.date(year, 12, 31) <= period.end:
            years.append(year)
    return months, years


def tax_q(period: Period, years_back: int = 0, prefix: str = "") -> Q:
    """TaxRecord rows counted for `period` (shifted `years_back` years earlier): its whole months, and the
    whole-year rows (month 0) of the years it covers whole where the firm has no monthly row that year."""
    months, years = tax_months(period)
    by_year: dict[int, list[int]] = {}
    for year, month in months:
        by_year.setdefault(year - years_back, []).append(month)
    condition = Q(pk__in=[])
    for year, numbers in by_year.items():
        condition |= Q(year=year, month__in=numbers)
    if years:
        monthly = TaxRecord.objects.filter(enterprise=OuterRef("enterprise"), year=OuterRef("year"), month__gt=0)
        condition |= Q(year__in=[year - years_back for year in years], month=0) & ~Q(Exists(monthly))
    return condition


def first_year_window() -> tuple[str, datetime.date, datetime.date] | None:
    """(place code, from, to) of the business community whose disputes and needs count over its first year."""
    setting = Setting.objects.filter(key=FIRST_YEAR_SETTING).values_list("value", flat=True).first()
    if not isinstance(setting, dict):
        return None
    try:
        return (str(setting["place"]), datetime.date.fromisoformat(setting["from"]),
                datetime.date.fromisoformat(setting["to"]))
    except (KeyError, TypeError, ValueError):
        return None


@dataclass
class CommunityStats:
    """The figures of one business community (or of the whole scope, `place` None: then the sums)."""

    place: Place | None
    path: str = ""
    office_buildings: int = 0
    apartment_buildings: int = 0
    floor_area_m2: Decimal = Decimal(0)
    vacant_area_m2: Decimal = Decimal(0)
    grades: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GRADE_KEYS.values(), 0))
    new_1m: int = 0
    new_1m_last_year: int = 0
    new_1m_capital: Decimal = Decimal(0)
    enterprises: int = 0  # operating
    present: int = 0  # operating and present in a building
    registered_here: int = 0  # of those, registered at that building
    population: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(EnterpriseStatus.values, 0))
    tax: Decimal = Decimal(0)
    tax_last_year: Decimal = Decimal(0)
    disputes_resolved: int = 0
    needs_met: int = 0
    problems_collected: int = 0
    matters_solved: int = 0
    cases_from: datetime.date | None = None
    cases_to: datetime.date | None = None

    @property
    def name(self) -> str:
        return self.place.name if self.place else ""

    @property
    def new_1m_yoy(self) -> float | None:
        return yoy(self.new_1m, self.new_1m_last_year)

    @property
    def tax_yoy(self) -> float | None:
        return yoy(self.tax, self.tax_last_year)

    @property
    def area_in_use_m2(self) -> Decimal:
        return self.floor_area_m2 - self.vacant_area_m2

    @property
    def occupancy_rate(self) -> float | None:
        return ratio(self.area_in_use_m2, self.floor_area_m2)

    @property
    def registered_here_rate(self) -> float | None:
        return ratio(self.registered_here, self.present)

    @property
    def tax_per_m2(self) -> float | None:
        return ratio(self.tax, self.area_in_use_m2, places=2)

    def add(self, other: CommunityStats) -> None:
        for name in ("office_buildings", "apartment_buildings", "floor_area_m2", "vacant_area_m2", "new_1m",
                     "new_1m_last_year", "new_1m_capital", "enterprises", "present", "registered_here",
                     "population", "tax", "tax_last_year", "disputes_resolved", "needs_met", "problems_collected",
                     "matters_solved"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("grades", "by_status"):
            mine = getattr(self, name)
            for key, value in getattr(other, name).items():
                mine[key] = mine.get(key, 0) + value


@dataclass
class BusinessStats:
    scope: Place
    period: Period
    total: CommunityStats
    communities: list[CommunityStats]  # the business communities inside the scope, in path order
    business_communities: int
    tax_months: list[tuple[int, int]]
    tax_years: list[int]


def _groups(rows: Iterable[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {row[key]: row for row in rows}


def business_stats(scope: Place, period: Period, *, with_cases: bool = True) -> BusinessStats:
    """Every figure of the scope and of each business community inside it, in a fixed number of queries."""
    path = scope.path
    threshold = rules.new_enterprise_capital()
    last = period.year_before()
    communities = list(Place.objects.filter(within_q("path", [path]), kind=PlaceKind.BUSINESS_COMMUNITY)
                       .order_by("path"))
    groups: dict[str, CommunityStats] = {c.path: CommunityStats(c, c.path) for c in communities}

    def group(key: str) -> CommunityStats:
        if key not in groups:  # a scope inside a business community: its community's group
            groups[key] = CommunityStats(None, key)
        return groups[key]

    # buildings: counts by kind and grade, floor and vacant area
    buildings = (Place.objects.filter(within_q("path", [path]), kind__in=BUILDING_KINDS,
                                      parent__kind=PlaceKind.BUSINESS_COMMUNITY)
                 .order_by().values("parent__path", "kind", "business_ledger__grade")
                 .annotate(n=Count("pk"), area=Sum("floor_area_m2"), vacant=Sum("business_ledger__vacant_area_m2")))
    for row in buildings:
        stats = group(row["parent__path"])
        if row["kind"] == PlaceKind.OFFICE_BUILDING:
            stats.office_buildings += row["n"]
        else:
            stats.apartment_buildings += row["n"]
        stats.floor_area_m2 += row["area"] or 0
        stats.vacant_area_m2 += row["vacant"] or 0
        stats.grades[GRADE_KEYS.get(row["business_ledger__grade"] or "", "ungraded")] += row["n"]

    # enterprises: new ones this period and a year earlier, operating, present, registered here, by status
    new = Q(registered_capital__gte=threshold)
    this_period = new & Q(registered_on__gte=period.start, registered_on__lte=period.end)
    last_period = new & Q(registered_on__gte=last.start, registered_on__lte=last.end)
    active = Q(status=EnterpriseStatus.ACTIVE)
    present = active & Q(building__isnull=False)
    firms = (Enterprise.objects.filter(scope_q(path)).order_by().values("community_path").annotate(
        new_1m=Count("pk", filter=this_period), new_1m_last_year=Count("pk", filter=last_period),
        new_1m_capital=Sum("registered_capital", filter=this_period),
        enterprises=Count("pk", filter=active), present=Count("pk", filter=present),
        registered_here=Count("pk", filter=present & Q(registered_building=F("building"))),
        population=Sum("headcount", filter=present),
        **{f"status_{status}": Count("pk", filter=Q(status=status)) for status in EnterpriseStatus.values}))
    for row in firms:
        stats = group(row["community_path"])
        for name in ("new_1m", "new_1m_last_year", "enterprises", "present", "registered_here"):
            setattr(stats, name, row[name])
        stats.new_1m_capital = row["new_1m_capital"] or Decimal(0)
        stats.population = row["population"] or 0
        stats.by_status = {status: row[f"status_{status}"] for status in EnterpriseStatus.values}

    # tax: the period's whole months (and whole years), and the same a year earlier
    this_tax, last_tax = tax_q(period), tax_q(period, years_back=1)
    taxes = (TaxRecord.objects.filter(scope_q(path)).filter(this_tax | last_tax).order_by().values("community_path")
             .annotate(tax=Sum("amount", filter=this_tax), tax_last_year=Sum("amount", filter=last_tax)))
    for row in taxes:
        stats = group(row["community_path"])
        stats.tax = row["tax"] or Decimal(0)
        stats.tax_last_year = row["tax_last_year"] or Decimal(0)

    if with_cases and groups:
        _case_figures(scope, period, groups)

    total = CommunityStats(None, path)
    for stats in groups.values():
        total.add(stats)
    months, years = tax_months(period)
    return BusinessStats(scope=scope, period=period, total=total, communities=[groups[c.path] for c in communities],
                         business_communities=len(communities), tax_months=months, tax_years=years)


def _case_figures(scope: Place, period: Period, groups: dict[str, CommunityStats]) -> None:
    """Disputes resolved, needs met and matters solved from the cases, problems collected from the visits'
    demands, per business community (two queries and the setting)."""
    paths = sorted(groups)
    first_year = first_year_window()
    special = next((p for p in paths if groups[p].place and first_year and groups[p].place.code == first_year[0]),
                   None)
    for p in paths:
        groups[p].cases_from, groups[p].cases_to = period.start, period.end
    window = in_days("closed_at", period.start, period.end)
    if special and first_year:
        inside = within_q("place_path", [special])
        window = (inside & in_days("closed_at", first_year[1], first_year[2])) | (~inside & window)
        groups[special].cases_from, groups[special].cases_to = first_year[1], first_year[2]
    closed = Case.objects.filter(within_q("place_path", [scope.path]), within_q("place_path", paths),
                                 stage__in=CLOSED_STAGES)
    dispute = Q(category__is_dispute=True)
    need = Q(category__code=ENTERPRISE) | Q(category__parent__code=ENTERPRISE)
    solved = Q(handler__kind=OrganisationKind.BUILDING_COMMITTEE) & in_days("closed_at", None, period.end)
    rows = (closed.filter((window & (dispute | need)) | solved).order_by()
            .annotate(community=Substr("place_path", 1, COMMUNITY_PATH_LENGTH)).values("community")
            .annotate(disputes=Count("pk", filter=window & dispute), needs=Count("pk", filter=window & need),
                      matters=Count("pk", filter=solved)))
    for row in rows:
        if row["community"] in groups:
            stats = groups[row["community"]]
            stats.disputes_resolved, stats.needs_met, stats.matters_solved = (
                row["disputes"], row["needs"], row["matters"])
    demands = (VisitDemand.objects.filter(scope_q(scope.path, "visit__"), visit__visited_on__lte=period.end)
               .order_by().values("visit__community_path").annotate(n=Count("pk")))
    for row in demands:
        if row["visit__community_path"] in groups:
            groups[row["visit__community_path"]].problems_collected = row["n"]


def monthly_series(scope: Place, year: int) -> dict[str, dict[int, list]]:
    """New ≥¥1m firms and building tax by month (1–12) of `year` and the year before, in the scope: two queries.
    {"new_1m": {year: [12 counts], year-1: [...]}, "tax": {year: [12 amounts], year-1: [...]}}."""
    years = (year - 1, year)
    new = {y: [0] * 12 for y in years}
    tax = {y: [0.0] * 12 for y in years}
    rows = (Enterprise.objects.filter(scope_q(scope.path), registered_capital__gte=rules.new_enterprise_capital(),
                                      registered_on__gte=datetime.date(year - 1, 1, 1),
                                      registered_on__lte=datetime.date(year, 12, 31))
            .order_by().annotate(y=ExtractYear("registered_on"), m=ExtractMonth("registered_on"))
            .values("y", "m").annotate(n=Count("pk")))
    for row in rows:
        new[row["y"]][row["m"] - 1] = row["n"]
    sums = (TaxRecord.objects.filter(scope_q(scope.path), year__in=years, month__gte=1).order_by()
            .values("year", "month").annotate(amount=Sum("amount")))
    for row in sums:
        tax[row["year"]][row["month"] - 1] = money(row["amount"])
    return {"new_1m": new, "tax": tax}


def business_scopes(paths: list[str] | None) -> QuerySet[Place]:
    """The places one may take statistics of within `paths` (None: everywhere): the district, streets with
    business communities, business communities and their buildings, in path order."""
    places = Place.objects.filter(
        Q(kind__in=(PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.BUSINESS_COMMUNITY))
        | Q(kind__in=BUILDING_KINDS, parent__kind=PlaceKind.BUSINESS_COMMUNITY)).order_by("path")
    if paths is not None:
        places = places.filter(within_q("path", paths))
    return places


def stats_scopes(user: Any) -> QuerySet[Place]:
    """The places `user` may take statistics of (businessstats.view): within their scope, none without it."""
    return business_scopes(scope_paths(user, "businessstats.view"))


def default_stats_scope(user: Any) -> Place | None:
    """The highest place `user` may take statistics of (the district for district-wide roles)."""
    paths = scope_paths(user, "businessstats.view")
    if paths is None:
        return top_place()
    if not paths:
        return None
    return Place.objects.filter(path=min(paths, key=lambda path: (len(path), path))).first()


def access_stats_scope(user: Any, code: str | None) -> Place:
    """The place of `code` (default: the user's highest) if the user may take its statistics; 404 otherwise, the
    same for a place that does not exist as for one outside the user's scope."""
    if not can(user, "businessstats.view"):
        raise Http404(_("No building-economy statistics here."))
    place = default_stats_scope(user) if not code else stats_scopes(user).filter(code=code.strip()).first()
    if place is None:
        raise Http404(_("No such place in your area."))
    return place
