"""What coordination shows in the shell: its nav entry with the tabs of its parts, and its home cards."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from commonground.core.permissions import can
from commonground.web.registry import HomeCard, NavEntry, Tab

# (label, URL name, the permission a user needs somewhere to see the tab)
TABS: list[tuple[Any, str, str]] = [
    (_("Estates"), "coordination:estates", "coordination.view"),
    (_("Three-party offices"), "coordination:offices", "coordination.view"),
    (_("Party and associations"), "coordination:network", "coordination.view"),
    (_("Property evaluation"), "coordination:evaluations", "evaluation.view"),
    (_("Micro-governance fund"), "coordination:funds", "fund.view"),
]


def nav_tabs(user: Any, path: str) -> list[Tab]:
    tabs = []
    for label, name, permission in TABS:
        if not can(user, permission):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # a part not built yet
            continue
        tabs.append(Tab(str(label), url, path.startswith(url)))
    return tabs


NAV = NavEntry("coordination", _("Coordination"), order=50, active_prefix="/coordination/", tabs=nav_tabs,
               icon="people")

HOME_CARDS = (
    HomeCard("coordination.view", _("See where the estates' three parties need help first"),
             ("coordination:estates",), order=220),
    HomeCard("fund.apply", _("Apply to the micro-governance fund for an estate project"),
             ("coordination:funds",), order=221),
)
