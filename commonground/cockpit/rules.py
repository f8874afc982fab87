"""The digital cockpit: permissions per role kind and its settings (`CG_COCKPIT_*`).

Staff see the cockpit of their scope (a street officer their street, a community worker their community, the district
all): `cockpit.view` opens the dashboards, the map and the big screen; every panel reads other apps through their
selectors with the viewer's own permissions, so a panel of a module the viewer may not see stays empty.
Signal sources (their API keys) and sensors are master data of the district (`signalsource.*`) and of the street
(`sensor.*`); readings arrive through a source's API key, never a person's session. Warnings are the street's and the
community's work: acknowledge, assign, turn into a case (`warning.*`).
"""

from __future__ import annotations

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
