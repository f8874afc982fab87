"""What renewal shows in the shell: its nav entry and the tab bar of a project's pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonground.core.permissions import can
from commonground.web.registry import NavEntry, Tab

# (label, URL name taking the project's id): the tabs of a project's pages
PROJECT_TABS: list[tuple[Any, str]] = [
    (_("Overview"), "renewal:project"),
    (_("Households"), "renewal:households"),
    (_("Compensation rules"), "renewal:rulesets"),
]


def project_tabs(project_pk: int, path: str) -> list[Tab]:
    """The project's tabs; the one whose address is the longest prefix of `path` is current."""
    tabs = [(str(label), reverse(name, args=[project_pk])) for label, name in PROJECT_TABS]
    current = max((url for _label, url in tabs if path.startswith(url)), key=len, default=None)
    return [Tab(label, url, url == current) for label, url in tabs]


def nav_tabs(user: Any, path: str) -> list[Tab]:
    if not can(user, "renewal.view"):
        return []
    url = reverse("renewal:projects")
    return [Tab(str(_("Renewal projects")), url, path.startswith(url))]


NAV = NavEntry("renewal", _("Renewal"), order=55, active_prefix="/renewal/", tabs=nav_tabs, icon="home")
