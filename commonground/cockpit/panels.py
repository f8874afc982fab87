"""The panels of a scope's dashboard. Each reads its module through that module's own selectors and roll-ups with
the viewer's permissions, and is left out (None) when the viewer may not see the module. No panel reads the cases
or readings tables row by row: cases come from the case engine's tallies, signals from UnitHour/UnitDay, the
rest are aggregates over an index range of the place's path. Each panel costs a fixed number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from commonground.business.models import Enterprise
from commonground.business.models.ledgers import EnterpriseStatus
from commonground.business.risk_selectors import risk_counts_by_community
from commonground.cases.figure_selectors import case_counts
from commonground.cases.models import CLOSED_STAGES, Level, Stage
from commonground.cases.tally_selectors import Scope, reported_counts
from commonground.coordination.fund_selectors import fund_projects_for
from commonground.coordination.profile_selectors import formation_rate
from commonground.core import clock
from commonground.core.models import Place, PlaceKind
from commonground.core.models.places import is_root_path, within_q
from commonground.core.permissions import can, visible_to
from commonground.programs.activities_selectors import activities_for
from commonground.renewal.models import Household

from . import vitality
from .models import OPEN_STATES, Alert, Severity, SignalKind, UnitDay, UnitHour
from .models.signals import UNIT_PATH_LENGTH

QUEUE_PLACE_KINDS = {PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY}
TREND_DAYS = 14
LATEST_ALERTS = 5


def _url(name: str, **params: Any) -> str:
    query = urlencode({key: value for key, value in params.items() if value})
    return reverse(name) + (f"?{query}" if query else "")


def _month_before(first: datetime.date) -> tuple[datetime.date, datetime.date]:
    last = first - datetime.timedelta(days=1)
    return last.replace(day=1), last


def cases_panel(user: Any, place: Place) -> dict[str, Any] | None:
    """Cases as they stand (by stage, open, overdue, closed by level) from the standing tallies, and reported this
    month against last month from the monthly tallies (3 queries)."""
    if not can(user, "case.stats"):
        return None
    counts = case_counts(user, place)
    today = clock.today()
    first = today.replace(day=1)
    before_first, before_last = _month_before(first)
    scope = Scope.of(user, place)
    this_month = reported_counts(scope, first, today)[0]["n"]
    last_month = reported_counts(scope, before_first, before_last)[0]["n"]
    code = place.code if place.kind in QUEUE_PLACE_KINDS else ""
    stages = [{"stage": stage, "label": str(Stage(stage).label), "count": counts["by_stage"][stage],
               "url": "" if stage in CLOSED_STAGES else _url("cases:queue", place=code, stage=stage)}
              for stage in Stage.values if counts["by_stage"][stage]]
    levels = [{"level": level, "label": str(Level(level).label), "count": n}
              for level, n in counts["closed_by_level"].items()]
    return {
        "counts": counts, "stages": stages, "levels": levels, "this_month": this_month, "last_month": last_month,
        "links": {"open": _url("cases:queue", place=code, stage="open"),
                  "overdue": _url("cases:queue", place=code, stage="open", overdue="on"),
                  "closed": _url("cases:queue", place=code, stage="closed"),
                  "this_month": _url("cases:queue", place=code, stage="all", reported_from=first.isoformat(),
                                     reported_to=today.isoformat()),
                  "last_month": _url("cases:queue", place=code, stage="all",
                                     reported_from=before_first.isoformat(), reported_to=before_last.isoformat()),
                  "figures": _url("cases:dashboard", scope=place.code if place.kind != PlaceKind.ESTATE else "")},
        "chart": {"stages": [[row["label"], row["count"]] for row in stages],
                  "levels": [[row["label"], row["count"]] for row in levels]},
    }


def renewal_panel(user: Any, place: Place) -> dict[str, Any] | None:
    """Households of the renewal projects under the place and how many signed (1 query)."""
    if not can(user, "renewal.view"):
        return None
    totals = visible_to(user, "renewal.view", Household.objects.filter(within_q("place_path", [place.path]))) \
        .aggregate(households=Count("pk"), signed=Count("pk", filter=Q(signed_at__isnull=False)))
    if not totals["households"]:
        return None
    percent = totals["signed"] * 1000 // totals["households"]
    return {**totals, "percent": f"{percent // 10}.{percent % 10}", "url": reverse("renewal:projects")}


def coordination_panel(user: Any, place: Place) -> dict[str, Any] | None:
    """Owners' committees (the share of estates with one in force) and the micro-governance fund's projects under
    the place (3 queries)."""
    if not can(user, "coordination.view") and not can(user, "fund.view"):
        return None
    rate = formation_rate(user, place) if can(user, "coordination.view") else None
    fund = None
    if can(user, "fund.view"):
        fund = fund_projects_for(user).filter(within_q("place_path", [place.path])).order_by().aggregate(
            projects=Count("pk"), approved=Sum("approved_amount"))
        fund["approved"] = fund["approved"] or Decimal(0)
    return {"formation_percent": None if rate is None else round(rate * 100, 1), "fund": fund,
            "links": {"estates": reverse("coordination:estates"), "funds": reverse("coordination:funds")}}


def programs_panel(user: Any, place: Place) -> dict[str, Any] | None:
    """Activities under the place whose first session falls in the last 30 days or the next 30 (1 query)."""
    if not can(user, "activity.view"):
        return None
    now = clock.now()
    window = datetime.timedelta(days=30)
    figures = activities_for(user).filter(within_q("place_path", [place.path])).order_by().aggregate(
        past=Count("pk", filter=Q(first_starts_at__gte=now - window, first_starts_at__lt=now)),
        coming=Count("pk", filter=Q(first_starts_at__gte=now, first_starts_at__lt=now + window)))
    return {**figures, "url": reverse("programs:activities")}


def business_panel(user: Any, place: Place) -> dict[str, Any] | None:
    """Active firms under the place and the firms at risk of leaving (2 queries)."""
    if not can(user, "enterprise.view"):
        return None
    firms = visible_to(user, "enterprise.view", Enterprise.objects.filter(
        within_q("place_path", [place.path]), status=EnterpriseStatus.ACTIVE)).count()
    at_risk = sum(n for path, n in risk_counts_by_community(user).items() if path.startswith(place.path))
    if place.kind in (PlaceKind.ESTATE, PlaceKind.COMMUNITY) and not firms:
        return None
    return {"firms": firms, "at_risk": at_risk if can(user, "risk.view") else None,
            "links": {"firms": reverse("business:enterprises"), "risks": reverse("business:risks")}}


def _unit_q(place: Place) -> Q:
    """The roll-up units of the place: the units under it, or the one unit it lies in (an estate)."""
    if is_root_path(place.path):
        return Q()
    if len(place.path) > UNIT_PATH_LENGTH:
        return Q(unit_path=place.path[:UNIT_PATH_LENGTH])
    return within_q("unit_path", [place.path])


def hour_buckets(first: datetime.datetime, until: datetime.datetime) -> list[datetime.datetime]:
    """The hour buckets (whole hours of UTC, as readings are kept) from `first` up to `until`."""
    bucket = first.astimezone(datetime.UTC).replace(minute=0, second=0, microsecond=0)
    if bucket < first:
        bucket += datetime.timedelta(hours=1)
    buckets = []
    while bucket < until:
        buckets.append(bucket)
        bucket += datetime.timedelta(hours=1)
    return buckets


def signals_panel(user: Any, place: Place) -> dict[str, Any] | None:
    """Foot traffic today so far against the same hours of the same weekday over the previous 8 weeks (their
    median), from UnitHour; the last 14 days from UnitDay (2 queries)."""
    if not can(user, "reading.view"):
        return None
    now = timezone.localtime(clock.now())
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    hours, sums = [], {}
    for week in range(vitality.BASELINE_WEEKS + 1):  # each week's same hours summed in SQL, one row back
        day = start - datetime.timedelta(weeks=week)
        hours += hour_buckets(day, day + (now - start))
        sums[f"week{week}"] = Sum("total", filter=Q(hour__gte=day, hour__lt=day + (now - start)))
    # The buckets by value, not as ranges: the planner then probes (kind, hour) for each, where OR-ed ranges made
    # SQLite read a street's every unit-hour (at 2.5 million unit-hours, 284 ms against 33 ms).
    weeks = UnitHour.objects.filter(_unit_q(place), kind=SignalKind.FOOT_TRAFFIC, hour__in=hours).aggregate(**sums)
    today_total = weeks.pop("week0")
    usual = vitality.baseline([total for total in weeks.values() if total is not None])
    first = start.date() - datetime.timedelta(days=TREND_DAYS - 1)
    series = dict(UnitDay.objects.filter(_unit_q(place), kind=SignalKind.FOOT_TRAFFIC, day__gte=first)
                  .order_by().values("day").annotate(sum=Sum("total")).values_list("day", "sum"))
    if today_total is None and not series:
        return None
    days = [first + datetime.timedelta(days=n) for n in range(TREND_DAYS)]
    return {"today": int(today_total or 0), "usual": None if usual is None else int(usual),
            "ratio": vitality.ratio(today_total or 0, usual), "until": now.strftime("%H:%M"),
            "url": reverse("cockpit:map") + f"?place={place.code}",
            "chart": {"days": [day.strftime("%m-%d") for day in days],
                      "values": [int(series.get(day, 0)) for day in days]}}


def warnings_panel(user: Any, place: Place) -> dict[str, Any] | None:
    """Open warnings under the place by severity and the latest few (2 queries)."""
    if not can(user, "warning.view"):
        return None
    alerts = visible_to(user, "warning.view", Alert.objects.filter(within_q("place_path", [place.path]),
                                                                   state__in=OPEN_STATES))
    counts = dict(alerts.order_by().values_list("severity").annotate(n=Count("pk")))
    latest = list(alerts.select_related("place").order_by("-began_at", "-pk")[:LATEST_ALERTS])
    return {"total": sum(counts.values()),
            "by_severity": [{"severity": value, "label": str(label), "count": counts.get(value, 0)}
                            for value, label in reversed(Severity.choices)],
            "latest": latest}


PANELS = (("cases", cases_panel), ("signals", signals_panel), ("warnings", warnings_panel),
          ("business", business_panel), ("renewal", renewal_panel), ("coordination", coordination_panel),
          ("programs", programs_panel))


def dashboard(user: Any, place: Place) -> dict[str, Any]:
    """Every panel the viewer may see for `place` ({name: figures}; a left-out panel is absent)."""
    panels = {}
    for name, panel in PANELS:
        figures = panel(user, place)
        if figures is not None:
            panels[name] = figures
    return panels
