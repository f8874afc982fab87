"""What the case engine shows in the shell: its nav entry and tab bar, its home capabilities, the bell."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from commonground.core.permissions import can
from commonground.web.registry import HeaderTool, HomeCard, NavEntry, Tab

from .models import Notification

# (label, permission, URL name); the first tab a user may open is where "Cases" in the nav leads.
TABS: list[tuple[Any, str, str]] = [
    (_("My queue"), "case.view", "cases:queue"),
    (_("Map"), "case.view", "cases:map"),
    (_("My cases"), "case.add", "cases:mine"),
    (_("Report a matter"), "case.add", "cases:report"),
    (_("Figures"), "case.stats", "cases:dashboard"),
]


def tabs_for(user: Any, path: str) -> list[Tab]:
    """The case pages this user may open (no queries beyond the user's roles, loaded once per request)."""
    tabs = []
    for label, permission, name in TABS:
        if can(user, permission):
            url = reverse(name)
            tabs.append(Tab(str(label), url, path == url))
    return tabs


def bell(request: HttpRequest) -> dict[str, Any]:
    """The number of unread notifications: one query per page."""
    return {"unread": Notification.objects.filter(user=request.user, read_at__isnull=True).count()}


NAV = NavEntry("cases", _("Cases"), order=50, active_prefix=reverse_lazy("cases:queue"), tabs=tabs_for, icon="inbox",
               primary=True)
HOME_CARDS = (
    HomeCard("case.view", _("Work on the cases (事项) in your area"), ("cases:queue",), order=200),
    HomeCard("case.add", _("Report a matter and follow your cases"), ("cases:report",), order=210),
    HomeCard("case.stats", _("See case figures for your area"), ("cases:dashboard",), order=220),
)
HEADER_TOOLS = (HeaderTool("cases/_bell.html", bell),)
