"""Helpers the case pages share: map settings, stage colours."""

from __future__ import annotations

from django.conf import settings

from commonground.core import clock
from commonground.core.models import Place

from ..models import OPEN_STAGES, Case, Stage

# Marker and badge colours per stage (map legend, queue badges).
STAGE_COLOURS: dict[str, str] = {
    Stage.COLLECT: "#6d4c41", Stage.CREATE: "#8e24aa", Stage.DISPATCH: "#1565c0", Stage.HANDLE: "#b34700",
    Stage.FEEDBACK: "#00796b", Stage.CLOSED: "#2e7d32", Stage.EVALUATED: "#33691e", Stage.REJECTED: "#616161",
    Stage.MERGED: "#6b6b6b",
}
# Where a map opens when nothing in scope has coordinates: Gongshu district.
FALLBACK_CENTRE = (30.319, 120.142)


def is_late(case: Case) -> bool:
    """Open, marked overdue by the deadline job (the rule of the queue's filter and the figures), and its current
    deadline passed: a case sent up the ladder has a new deadline there."""
    return (case.stage in OPEN_STAGES and case.is_overdue
            and (case.deadline is None or case.deadline <= clock.now()))


def basemap() -> dict[str, str]:
    return {"basemap": getattr(settings, "CG_BASEMAP_URL", ""),
            "attribution": getattr(settings, "CG_BASEMAP_ATTRIBUTION", "")}


def point_of(case: Case) -> tuple[float, float] | None:
    """The pin, or the centroid of the case's place (cases picked from the list carry no pin)."""
    if case.latitude is not None and case.longitude is not None:
        return float(case.latitude), float(case.longitude)
    place: Place = case.place
    if place.latitude is not None and place.longitude is not None:
        return float(place.latitude), float(place.longitude)
    return None


def stage_legend(stages: list[str]) -> list[dict[str, str]]:
    return [{"stage": stage, "label": str(Stage(stage).label), "colour": STAGE_COLOURS[stage]} for stage in stages]
