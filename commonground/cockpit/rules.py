"""The digital cockpit: permissions per role kind and its settings (`CG_COCKPIT_*`).

Staff see the cockpit of their scope (a street officer their street, a community worker their community, the district
all): `cockpit.view` opens the dashboards, the map and the big screen; every panel reads other apps through their
selectors with the viewer's own permissions, so a panel of a module the viewer may not see stays empty.
Signal sources (their API keys) and sensors are master data of the district (`signalsource.*`) and of the street
(`sensor.*`); readings arrive through a source's API key, never a person's session. Warnings are the street's and the
community's work: acknowledge, assign, turn into a case (`warning.*`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from commonground.core.models import RoleKind
from commonground.core.rules import grant

# cockpit.view: dashboards, map, big screen, vitality index; sensor.view / .manage (place, capacity);
# reading.view (a sensor's series) / reading.import (a file of readings on a source's behalf);
# warning.view / .manage (acknowledge, assign, close, turn into a case); signalsource.* (district only: keys).
STAFF_PERMISSIONS = {"cockpit.view", "sensor.*", "reading.*", "warning.*"}
grant(RoleKind.STREET_STAFF, STAFF_PERMISSIONS)
grant(RoleKind.COMMUNITY_WORKER, {"cockpit.view", "sensor.view", "reading.view", "warning.*"})
grant(RoleKind.GRID_WORKER, {"warning.view"})
grant(RoleKind.BUILDING_COMMISSIONER, {"cockpit.view", "reading.view", "warning.view"})

MAX_BATCH = 5000  # readings in one request; the benchmark sends 1,000


def late_days() -> int:
    """How old a reading may be and still be accepted (late data from a counter that was offline)."""
    return int(getattr(settings, "CG_COCKPIT_LATE_DAYS", 400))


def future_minutes() -> int:
    """How far ahead of the server's clock a reading's time may be (a counter's clock running fast)."""
    return int(getattr(settings, "CG_COCKPIT_FUTURE_MINUTES", 10))


# Early warnings: thresholds, persistence and cool-downs per rule (CG_COCKPIT_WARNINGS = {"anomaly": {...}, ...}
# overrides any of them).
WARNING_DEFAULTS: dict[str, dict] = {
    "crowding": {"cooldown_hours": 6, "ratio": 1.0, "serious_ratio": 1.3},
    "anomaly": {"cooldown_hours": 24, "weeks": 4, "z": 4.0, "ratio": 0.3, "persistence": 2, "scan_hours": 6},
    "case_surge": {"cooldown_hours": 72, "days": 28, "factor": 2.0, "min_cases": 4, "p_one": 0.0005,
                   "p_two": 0.002},
    "overdue_pileup": {"cooldown_hours": 72, "min_overdue": 10, "share": 0.2},
    "enterprise_risk": {"cooldown_hours": 24 * 30, "score": 60},
    "expiry": {"cooldown_hours": 24 * 30, "days": 90},
}


def warning_setting(rule: str, name: str):
    overrides = getattr(settings, "CG_COCKPIT_WARNINGS", {}).get(rule, {})
    return overrides.get(name, WARNING_DEFAULTS[rule][name])


def cooldown(rule: str):
    """How long after a warning of a key closed the engine raises no other of that key."""
    import datetime

    return datetime.timedelta(hours=warning_setting(rule, "cooldown_hours"))


@dataclass(frozen=True)
class AnomalyParams:
    weeks: int = 4  # weeks of history the baseline reads
    z: float = 4.0  # robust z an unusual hour is beyond
    ratio: float = 0.3  # and its least difference from the median, as a share of it
    persistence: int = 2  # consecutive unusual hours before an alert


def anomaly_params() -> AnomalyParams:
    return AnomalyParams(**{name: warning_setting("anomaly", name) for name in ("weeks", "z", "ratio", "persistence")})


@dataclass(frozen=True)
class SurgeParams:
    days: int = 28  # days of history the baseline reads
    factor: float = 2.0  # the least rise over the baseline
    min_cases: int = 4  # and the least cases on a day
    p_one: float = 0.0005  # a day this unlikely under the baseline (Poisson) is a surge at once
    p_two: float = 0.002  # two days whose sum is this unlikely are


def surge_params() -> SurgeParams:
    return SurgeParams(**{name: warning_setting("case_surge", name)
                          for name in ("days", "factor", "min_cases", "p_one", "p_two")})
