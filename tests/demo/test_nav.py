"""The header, the main navigation, the app tab bars and the "What can I do?" page's capabilities of every demo
account, compared with `nav_snapshot.json`: the shell builds them from what the apps register, and a change
to that machinery must not change what a user sees (items, order, links, which one is current).

After a deliberate change to the navigation, rewrite the snapshot with
`CG_WRITE_NAV_SNAPSHOT=1 pytest tests/demo/test_nav.py` and read the diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from commonground.core.models import User
from commonground.demo.accounts import USERNAMES

SNAPSHOT = Path(__file__).with_name("nav_snapshot.json")
# Pages each app's nav entry or tab leads to, and a page below each (a detail page keeps its entry current).
PAGES = ("home", "abilities", "password-change", "core:place-list", "core:person-list", "core:household-list",
         "core:report", "core:roster-index", "core:roster-upload",
         "cases:queue", "cases:map", "cases:mine", "cases:report", "cases:dashboard", "cases:notifications",
         "deliberation:my-votes", "deliberation:votes", "deliberation:notices", "deliberation:meetings",
         "deliberation:representatives")
TAB_BARS = ("cases/_tabs.html", "deliberation/_tabs.html")


def squeezed(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html.strip()))


def header(html: str) -> tuple[str, str]:
    """The header tools (without the CSRF token and the language form's return address) and the main nav."""
    tools = re.search(r'<div class="site-tools">(.*?)</div>\s*</div>\s*(?:<nav|</header)', html, re.S)
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
    tools_html = re.sub(r'<input type="hidden" name="(csrfmiddlewaretoken|next)" value="[^"]*">', "",
                        tools.group(1) if tools else "")
    return squeezed(tools_html), squeezed(nav.group(0)) if nav else ""


def tab_bar(html: str) -> dict[str, object] | None:
    """A tab bar as its label and its tabs ("label url"); None when not shown."""
    bar = re.search(r'aria-label="([^"]*)">\s*<ul>(.*?)</ul>', html, re.S)
    if bar is None:
        return None
    tabs = re.findall(r'<li><a href="([^"]*)"(?: aria-current="page")?>([^<]*)</a></li>', bar.group(2))
    return {"label": bar.group(1), "tabs": [f"{label} {url}" for url, label in tabs]}


def current(html: str) -> str:
    """The labels marked current (a nav item the phone's "More" menu repeats counted once)."""
    labels = [re.sub(r"<[^>]+>", "", label) for label in re.findall(r'aria-current="page">(.*?)</a>', html, re.S)]
    return " · ".join(dict.fromkeys(labels)) or "-"


def seen_by(user: User) -> dict[str, object]:
    """At "/" the header, the nav and the tab bars; on every page which nav item and tabs are current (the rest
    of the nav and of the tab bars is the same on every page)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    abilities = client.get(reverse("abilities")).content.decode()
    can = re.search(r'<section class="panel" aria-labelledby="can-heading">.*?</section>', abilities, re.S)
    seen: dict[str, object] = {"abilities": squeezed(can.group(0)), "current": {}}
    unmarked = set()
    with translation.override("en"):
        for name in PAGES:
            for path in (reverse(name), f"{reverse(name)}123/"):
                request = RequestFactory().get(path)
                request.user = user
                tools, nav = header(render_to_string("web/base.html", request=request))
                bars = [render_to_string(bar, request=request) for bar in TAB_BARS]
                if path == "/":
                    seen.update(tools=tools, nav=nav, tabs=[tab_bar(bar) for bar in bars])
                else:
                    assert [tab_bar(bar) for bar in bars] == seen["tabs"] and tools == seen["tools"], path
                unmarked.add(nav.replace(' aria-current="page"', ""))
                seen["current"][path] = " | ".join(current(part) for part in (nav, *bars))
    assert len(unmarked) == 1  # the same items on every page
    return seen


@pytest.mark.slow
def test_nav__each_demo_user__as_in_the_snapshot(demo_built, db):
    seen = {username: seen_by(User.objects.get(username=username)) for username in USERNAMES}
    if os.environ.get("CG_WRITE_NAV_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(seen, ensure_ascii=False, indent=1) + "\n")
    expected = json.loads(SNAPSHOT.read_text())
    for username in USERNAMES:
        assert seen[username] == expected[username], username
