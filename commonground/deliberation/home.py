"""What deliberation shows in the shell: its nav entry and tab bar."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonground.core.permissions import can
from commonground.web.registry import NavEntry, Tab

# (label, permission or "own" for owners with a person record, URL name)
TABS: list[tuple[Any, str, str]] = [
    (_("My votes"), "own", "deliberation:my-votes"),
    (_("Votes and elections"), "vote.manage", "deliberation:votes"),
    (_("Notices"), "notice.view", "deliberation:notices"),
    (_("Meetings"), "meeting.view", "deliberation:meetings"),
    (_("Renewal representatives"), "representative.view", "deliberation:representatives"),
]


def tabs_for(user: Any, path: str) -> list[Tab]:
    """The deliberation pages this user may open; the tab whose address is the longest prefix of the
    current path is current (a meeting's page keeps "Meetings" lit)."""
    allowed = []
    for label, permission, name in TABS:
        if bool(getattr(user, "person_id", None)) if permission == "own" else can(user, permission):
            allowed.append((str(label), reverse(name)))
    current = max((url for _label, url in allowed if path.startswith(url)), key=len, default=None)
    return [Tab(label, url, url == current) for label, url in allowed]


NAV = NavEntry("deliberation", _("Deliberation"), order=60, active_prefix="/deliberation/", tabs=tabs_for,
               icon="people", primary=True)
