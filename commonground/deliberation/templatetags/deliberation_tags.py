"""Template words for deliberation: the header's "Deliberation" link and the app's tabs."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonground.cases.templatetags.cases_tags import Tab
from commonground.core.permissions import can

register = template.Library()

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


@register.simple_tag(takes_context=True)
def deliberation_tabs(context: template.Context) -> list[Tab]:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return tabs_for(request.user, request.path)


@register.simple_tag(takes_context=True)
def deliberation_nav_item(context: template.Context) -> Tab | None:
    """The header's "Deliberation" link, to the first tab the user may open."""
    tabs = deliberation_tabs(context)
    if not tabs:
        return None
    path = context["request"].path
    return Tab(str(_("Deliberation")), tabs[0].url, path.startswith("/deliberation/"))
