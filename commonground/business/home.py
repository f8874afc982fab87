"""What business communities show in the shell: the nav entry with the tabs of its parts, and the home cards."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from commonground.core.permissions import can
from commonground.web.registry import HomeCard, NavEntry, Tab

# (label, URL name, the permissions of which a user needs one somewhere to see the tab). A commissioner's work
# pages open with `commissioner.work` and an enterprise's own pages with `enterprise.self`: the firms themselves
# reach them through their assigned buildings or their own firm (the models' own_q).
TABS: list[tuple[Any, str, tuple[str, ...]]] = [
    (_("Today's visits"), "business:my_day", ("commissioner.work",)),
    (_("My enterprise"), "business:my_enterprise", ("enterprise.self",)),
    (_("Enterprise ledger"), "business:enterprises", ("enterprise.view", "commissioner.work")),
    (_("Building ledger"), "business:buildings", ("buildingledger.view",)),
    (_("Visit records"), "business:visits", ("visit.view", "commissioner.work")),
    (_("Visit plans"), "business:plans", ("visitplan.view",)),
    (_("Policies for enterprises"), "business:policies", ("policy.view", "enterprise.self")),
    (_("Retention warnings"), "business:risks", ("risk.view", "commissioner.work")),
    (_("Building-economy statistics"), "business:statistics", ("businessstats.view",)),
]


def nav_tabs(user: Any, path: str) -> list[Tab]:
    tabs = []
    for label, name, permissions in TABS:
        if not any(can(user, permission) for permission in permissions):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # a part not built yet
            continue
        tabs.append(Tab(str(label), url, path.startswith(url)))
    return tabs


NAV = NavEntry("business", _("Business communities"), order=58, active_prefix="/business/", tabs=nav_tabs,
               icon="chart")

HOME_CARDS = (
    HomeCard("commissioner.work", _("Today's enterprise visits and recording them"), ("business:my_day",), order=280),
    HomeCard("enterprise.self", _("File a demand of your enterprise and see the policies it qualifies for"),
             ("business:my_enterprise",), order=281),
    HomeCard("enterprise.view", _("The enterprise and building ledgers of the business communities"),
             ("business:enterprises",), order=282),
    HomeCard("businessstats.view", _("Building-economy statistics by business community"),
             ("business:statistics",), order=283),
)
