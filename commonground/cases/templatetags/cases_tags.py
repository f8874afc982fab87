"""Template words for the case engine: the header's "Cases" link, the notification bell, the tabs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonground.core.permissions import can

from ..models import Notification

register = template.Library()


@dataclass(frozen=True)
class Tab:
    label: str
    url: str
    active: bool


# (label, permission, URL name); the first tab a user may open is where "Cases" in the header leads.
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


@register.simple_tag(takes_context=True)
def case_tabs(context: template.Context) -> list[Tab]:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return tabs_for(request.user, request.path)


@register.simple_tag(takes_context=True)
def case_nav_item(context: template.Context) -> Tab | None:
    """The header's "Cases" link, for users who may view or report cases."""
    tabs = case_tabs(context)
    if not tabs:
        return None
    request = context["request"]
    return Tab(str(_("Cases")), tabs[0].url, request.path.startswith(reverse("cases:queue")))


@register.inclusion_tag("cases/_bell.html", takes_context=True)
def notification_bell(context: template.Context) -> dict[str, Any]:
    """A bell with the number of unread notifications: one query per page."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"show": False}
    unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return {"show": True, "unread": unread}
