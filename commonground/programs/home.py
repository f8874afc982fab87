"""What programmes show in the shell: the nav entry with the tabs of its parts, and the home cards."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from commonground.core.permissions import can
from commonground.web.registry import HomeCard, NavEntry, Tab

# (label, URL name, the permission a user needs somewhere to see the tab; None: everyone signed in)
TABS: list[tuple[Any, str, str | None]] = [
    (_("Activities and courses"), "programs:activities", None),
    (_("My sign-ups"), "programs:my_activities", None),
    (_("My participation record"), "programs:my_record", None),
    (_("Couriers' home"), "programs:couriers_home", None),
    (_("Job postings"), "programs:postings", None),
    (_("Participation figures"), "programs:participation", "participation.view"),
]


def nav_tabs(user: Any, path: str) -> list[Tab]:
    tabs = []
    for label, name, permission in TABS:
        if permission and not can(user, permission):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # a part not built yet
            continue
        tabs.append(Tab(str(label), url, path.startswith(url)))
    return tabs


NAV = NavEntry("programs", _("Programmes"), order=55, active_prefix="/programs/", tabs=nav_tabs, icon="calendar")

# Everyone with a role holds place.view: the noticeboard is for all of them (sign-up checks the audience).
HOME_CARDS = (
    HomeCard("place.view", _("Sign up for activities, courses and camps near you"), ("programs:activities",), order=270),
    HomeCard("attendance.record", _("Take attendance at activities and courses"), ("programs:attendance_sessions",),
             order=271),
)
