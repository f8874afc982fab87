"""Template words for CommonGround pages: permission checks and the navigation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import template
from django.contrib.staticfiles import finders
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from commonground.core.permissions import can

register = template.Library()


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


# (label, permissions of which one suffices, URL names tried in order). Pages built by other
# apps may not exist yet: an entry whose URL names all fail to resolve is left out.
NAV: list[tuple[Any, tuple[str, ...], tuple[str, ...]]] = [
    (_("Home"), (), ("home",)),
    (_("Places"), ("place.view",), ("core:place-list",)),
    (_("Report"), ("report.view",), ("core:report", "cockpit:report")),
    (_("Rosters"), ("roster.import", "roster.export"), ("core:roster-index", "core:roster-upload")),
]


def first_url(names: tuple[str, ...]) -> str | None:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def nav_for(user: Any, path: str) -> list[NavItem]:
    """The links this user may follow, in menu order."""
    items: list[NavItem] = []
    for label, permissions, names in NAV:
        if permissions and not any(can(user, permission) for permission in permissions):
            continue
        url = first_url(names)
        if url is None:
            continue
        active = path == url if url == "/" else path.startswith(url)
        items.append(NavItem(str(label), url, active))
    return items


@register.simple_tag(takes_context=True)
def nav_items(context: template.Context) -> list[NavItem]:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return nav_for(request.user, request.path)


@register.simple_tag(takes_context=True)
def can_do(context: template.Context, action: str, obj: Any = None) -> bool:
    """`{% can_do "history.view" place as may_see_history %}`."""
    request = context.get("request")
    return bool(request) and can(request.user, action, obj)


@register.simple_tag(takes_context=True)
def admin_url(context: template.Context) -> str:
    """The admin index for staff who may use the admin, else ""."""
    request = context.get("request")
    if request is None or not request.user.is_staff or not can(request.user, "admin.access"):
        return ""
    return reverse("admin:index")


@register.simple_tag
def inline_stylesheet(path: str) -> SafeString:
    """A static stylesheet inside the document, for a document that must stand alone (a report written to a file).

    Pages served to a browser link their stylesheets instead: the CSP refuses inline styles.
    """
    found = finders.find(path)
    if not found:
        raise template.TemplateSyntaxError(f"no static file {path}")
    return mark_safe(f"<style>\n{Path(found).read_text(encoding='utf-8')}</style>")  # our own file, never user data
