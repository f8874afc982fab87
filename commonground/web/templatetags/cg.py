"""Template words for CommonGround pages: permission checks, and the nav, tab bars and header tools the apps
register (web/registry.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import template
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from commonground.core.permissions import can

from .. import icons, registry
from ..registry import Tab

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_items(context: template.Context) -> list[Tab]:
    """The main nav, from the entries the apps registered."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return registry.nav_for(request.user, request.path)


@register.filter
def phone_overflow(nav: list[Tab]) -> list[Tab]:
    """`{% with more=nav|phone_overflow %}`: the nav items the phone's bottom bar moves into "More"."""
    return registry.phone_overflow(nav)


@register.simple_tag
def icon(name: str) -> SafeString:
    """`{% icon "home" %}`: an icon of web/icons.py, hidden from assistive technology."""
    return icons.icon(name)


@register.simple_tag(takes_context=True)
def tab_bar(context: template.Context, name: str) -> dict[str, Any]:
    """The tab bar of the nav entry `name`: its label and the tabs this user may open."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {}
    entry = registry.nav_entry(name)
    return {"label": str(entry.label), "tabs": entry.tabs(request.user, request.path) if entry.tabs else []}


@register.simple_tag(takes_context=True)
def header_tools(context: template.Context) -> str:
    """The registered header tools, for a signed-in user."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    return mark_safe("".join(render_to_string(tool.template, tool.context(request))  # our templates, escaped
                             for tool in registry.HEADER_TOOLS))


@register.simple_tag(takes_context=True)
def can_do(context: template.Context, action: str, obj: Any = None) -> bool:
    """`{% can_do "history.view" place as may_see_history %}`."""
    request = context.get("request")
    return bool(request) and can(request.user, action, obj)


@register.simple_tag
def inline_stylesheet(path: str) -> SafeString:
    """A static stylesheet inside the document, for a document that must stand alone (a report written to a file).

    Pages served to a browser link their stylesheets instead: the CSP refuses inline styles.
    """
    found = finders.find(path)
    if not found:
        raise template.TemplateSyntaxError(f"no static file {path}")
    return mark_safe(f"<style>\n{Path(found).read_text(encoding='utf-8')}</style>")  # our own file, never user data
