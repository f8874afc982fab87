"""The shell's small icon set (24×24 outlines drawn for CommonGround): nav entries name one by `icon`.

Icons are decoration beside a visible label, so they are hidden from assistive technology.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

STROKE = ('<svg class="icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="24" height="24" '
          'fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">'
          '<path d="{}"/></svg>')
ICONS = {
    "home": "M3.5 10.5 12 3.5l8.5 7M5.5 9v11h5v-6h3v6h5V9",
    "place": "M12 21s-6.5-6.6-6.5-11.5a6.5 6.5 0 0 1 13 0C18.5 14.4 12 21 12 21ZM12 12a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z",
    "chart": "M4 20h16M7 16v-5M12 16V6M17 16v-8",
    "table": "M4 5h16v14H4zM4 10h16M4 14.5h16M10 10v9",
    "inbox": "M4 13.5V5h16v8.5M4 13.5V19h16v-5.5M4 13.5h4.5l1.5 2.5h4l1.5-2.5H20",
    "people": "M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7ZM2.5 20c.5-3.5 3.2-5.5 6.5-5.5s6 2 6.5 5.5M16 4.3a3.4 3.4 0 0 1 0 6.4"
              "M18 14.8c2 .8 3.2 2.6 3.5 5.2",
    "settings": "M4 7h9M17 7h3M15 5v4M4 17h3M11 17h9M9 15v4",
    "more": "M5 12h.01M12 12h.01M19 12h.01",
    "person": "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8ZM4.5 20.5c.7-3.9 3.7-6 7.5-6s6.8 2.1 7.5 6",
    "language": "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18ZM3.5 9h17M3.5 15h17M12 3c-2.4 2.4-3.6 5.4-3.6 9s1.2 6.6 3.6 9"
                "M12 3c2.4 2.4 3.6 5.4 3.6 9s-1.2 6.6-3.6 9",
    "dot": "M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6Z",
    "calendar": "M4.5 6h15v14h-15zM4.5 10.5h15M8.5 3.5v4M15.5 3.5v4M8 14h2M14 14h2M8 17h2",
}


def icon(name: str) -> SafeString:
    """The icon `name` as inline SVG (a plain dot for a name the set does not have)."""
    return format_html(STROKE, ICONS.get(name, ICONS["dot"]))
