"""What core's people pages show in the shell: the tab bar of the residents entry (web/entries.py registers it)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonground.core.permissions import can

# (label, permission, URL name); the first tab a user may open is where "Residents" in the nav leads.
PEOPLE_TABS: list[tuple[Any, str, str]] = [
    (_("Residents"), "person.view", "core:person-list"),
    (_("Households"), "household.view", "core:household-list"),
]


def people_tabs(user: Any, path: str) -> list:
    """The people pages this user may open (no queries beyond the user's roles, loaded once per request)."""
    from commonground.web.registry import Tab

    tabs = []
    for label, permission, name in PEOPLE_TABS:
        if can(user, permission):
            url = reverse(name)
            tabs.append(Tab(str(label), url, path.startswith(url)))
    return tabs
