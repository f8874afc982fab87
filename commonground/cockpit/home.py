"""What the cockpit shows in the shell: the nav entry with the tabs of its parts, and the home cards."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from commonground.core.permissions import can
from commonground.web.registry import HomeCard, NavEntry, Tab

# (label, URL name, the permissions of which a user needs one somewhere to see the tab)
TABS: list[tuple[Any, str, tuple[str, ...]]] = [
    (_("Overview"), "cockpit:dashboard", ("cockpit.view",)),
    (_("Cockpit map"), "cockpit:map", ("cockpit.view",)),
    (_("3D view"), "cockpit:scene", ("cockpit.view",)),
    (_("Early warnings"), "cockpit:warnings", ("warning.view",)),
    (_("Commercial vitality"), "cockpit:vitality", ("cockpit.view",)),
    (_("Sensors and signals"), "cockpit:sensors", ("sensor.view",)),
    (_("Signal sources"), "cockpit:sources", ("signalsource.view",)),
    (_("Big screen"), "cockpit:big_screen", ("cockpit.view",)),
]


def nav_tabs(user: Any, path: str) -> list[Tab]:
    tabs = []
    for label, name, permissions in TABS:
        if not any(can(user, permission) for permission in permissions):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # a part not built yet
            continue
        tabs.append(Tab(str(label), url, path.startswith(url) and (name != "cockpit:dashboard" or path == url)))
    return tabs


NAV = NavEntry("cockpit", _("Digital cockpit"), order=25, active_prefix="/cockpit/", tabs=nav_tabs, icon="chart")

HOME_CARDS = (
    HomeCard("cockpit.view", _("Your area at a glance: cases, renewal, business and live signals"),
              ("cockpit:dashboard",), order=20),
    HomeCard("warning.manage", _("Early warnings waiting for you"), ("cockpit:warnings",), order=21),
)
