"""What renewal shows in the shell: its nav entry and the tab bar of a project's pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonground.core.permissions import can
from commonground.web.registry import HomeCard, NavEntry, Tab

from .selectors import projects_for

# (label, URL name taking the project's id, the permission a user needs somewhere to see the tab: "" for everyone
# who sees the project, owners included)
PROJECT_TABS: list[tuple[Any, str, str]] = [
    (_("Overview"), "renewal:project", ""),
    (_("Households"), "renewal:households", ""),
    (_("Fieldwork"), "renewal:fieldwork", "renewal.visit"),
    (_("Consent survey"), "renewal:consent", ""),
    (_("Compensation rules"), "renewal:rulesets", ""),
    (_("Agreements"), "renewal:agreements", ""),
    (_("Flat choice"), "renewal:flats", ""),
    (_("Signing progress"), "renewal:progress", ""),
]


def project_tabs(project_pk: int, path: str, user: Any) -> list[Tab]:
    """The project's tabs the user may open; the one whose address is the longest prefix of `path` is current."""
    tabs = [(str(label), reverse(name, args=[project_pk])) for label, name, permission in PROJECT_TABS
            if not permission or can(user, permission)]
    current = max((url for _label, url in tabs if path.startswith(url)), key=len, default=None)
    return [Tab(label, url, url == current) for label, url in tabs]


def has_projects(user: Any) -> bool:
    """Whether a campaign lies in the user's area (the nav shows Renewal only then); asked once per request."""
    if not hasattr(user, "_cg_renewal_projects"):
        user._cg_renewal_projects = can(user, "renewal.view") and projects_for(user).exists()
    return user._cg_renewal_projects


def nav_tabs(user: Any, path: str) -> list[Tab]:
    if not has_projects(user):
        return []
    url = reverse("renewal:projects")
    return [Tab(str(_("Renewal projects")), url, path.startswith(url))]


NAV = NavEntry("renewal", _("Renewal"), order=55, active_prefix="/renewal/", tabs=nav_tabs, icon="home")

HOME_CARDS = (
    HomeCard("renewal.view", _("Follow the renewal campaigns in your area"), ("renewal:projects",), order=230),
    HomeCard("renewal.visit", _("Record door-to-door visits of a renewal campaign"), ("renewal:projects",), order=231),
)
