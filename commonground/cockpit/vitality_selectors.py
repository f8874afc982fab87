"""Reads of the vitality page: the ranking of the business communities and streets under a place on the latest
computed day, one unit's formula (each part's raw value, score, weight, contribution) and its trend. A fixed number
of queries whatever the number of units or days."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Max

from commonground.core import clock
from commonground.core.models import Place, PlaceKind
from commonground.core.models.places import within_q

from . import vitality
from .dashboards_selectors import cockpit_places
from .models import VitalityDay

UNIT_KINDS = (PlaceKind.BUSINESS_COMMUNITY, PlaceKind.STREET)
TREND_DAYS = 90


def vitality_units(user: Any, place: Place) -> list[Place]:
    """The business communities and streets under `place` (or the street it lies in) that `user` may see."""
    units = cockpit_places(user).filter(kind__in=UNIT_KINDS)
    under = list(units.filter(within_q("path", [place.path])).order_by("path"))
    if under:
        return under
    return list(units.filter(path=place.path[:20]))


def formula_rows(parts: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """The parts of one index in the formula's order, with their labels and scoring rules."""
    return [{"part": part, "label": str(vitality.LABELS[part]), "rule": str(vitality.RULES[part]),
             "raw": Decimal(parts[part]["raw"]), "score": Decimal(parts[part]["score"]),
             "weight": Decimal(parts[part]["weight"]), "contribution": Decimal(parts[part]["contribution"])}
            for part in vitality.PARTS if part in parts]


def vitality_page(user: Any, place: Place, unit_code: str = "") -> dict[str, Any]:
    """The ranking, the chosen unit's formula and its trend (4 queries after the viewer's roles)."""
    units = vitality_units(user, place)
    by_path = {unit.path: unit for unit in units}
    paths = list(by_path)
    rows = VitalityDay.objects.filter(unit_path__in=paths, day__lte=clock.today())
    latest: datetime.date | None = rows.aggregate(day=Max("day"))["day"] if paths else None
    ranking = []
    if latest is not None:
        for row in rows.filter(day=latest).order_by("-index", "unit_path"):
            ranking.append({"unit": by_path[row.unit_path], "index": row.index})
    chosen = next((unit for unit in units if unit.code == unit_code), None) or (
        ranking[0]["unit"] if ranking else (units[0] if units else None))
    formula, trend = [], []
    index = None
    if chosen is not None and latest is not None:
        first = latest - datetime.timedelta(days=TREND_DAYS - 1)
        series = list(VitalityDay.objects.filter(unit_path=chosen.path, day__gte=first, day__lte=latest)
                      .order_by("day").values_list("day", "index", "parts"))
        if series and series[-1][0] == latest:
            index, formula = series[-1][1], formula_rows(series[-1][2])
        trend = [[day.isoformat(), float(value)] for day, value, _parts in series]
    return {"place": place, "units": units, "ranking": ranking, "latest": latest, "chosen": chosen,
            "index": index, "formula": formula,
            "chart": {"trend": trend, "name": chosen.name if chosen else "",
                      "ranking": [[row["unit"].name, float(row["index"])] for row in ranking]},
            "weights_total": sum((row["weight"] for row in formula), Decimal(0))}
