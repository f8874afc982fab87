"""What the case engine shows in the shell: its nav entry and tab bar, its work cards on the home (staff: the
queues that wait for them; reporters: their cases and what happens next), its capabilities, the bell."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from commonground.core.models import PlaceKind, RoleKind
from commonground.core.permissions import active_roles, can
from commonground.web.registry import (
    NORMAL,
    QUIET,
    URGENT,
    HeaderTool,
    HomeCard,
    NavEntry,
    QuickAction,
    Tab,
    WorkCard,
    WorkItem,
    first_rows,
)

from .models import OPEN_STAGES, Case, Notification, Stage
from .selectors import DUE_TODAY, QueueFilters, queue_counts, reports_to_follow

# (label, permission, URL name); the first tab a user may open is where "Cases" in the nav leads.
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


def bell(request: HttpRequest) -> dict[str, Any]:
    """The number of unread notifications: one query per page."""
    return {"unread": Notification.objects.filter(user=request.user, read_at__isnull=True).count()}


# The staff's queues on the home: (key, label, the queue's filter, the permission that makes it their work,
# whether a number there is urgent). Each tile counts exactly what its link lists, one count query each.
STAFF_QUEUES: list[tuple[str, Any, dict[str, Any], str, bool]] = [
    ("cases.to-accept", _("To accept"), {"stage": Stage.COLLECT}, "case.accept", False),
    ("cases.to-dispatch", _("To dispatch"), {"stage": Stage.CREATE}, "case.dispatch", False),
    ("cases.to-handle", _("Dispatched, not started"), {"stage": Stage.DISPATCH}, "case.handle", False),
    ("cases.overdue", _("Overdue"), {"overdue": "on"}, "case.view", True),
    ("cases.due-today", _("Due today"), {"due": DUE_TODAY}, "case.view", True),
]
FOLLOWED = 5  # a reporter's cases shown on the home; the rest are on "My cases"


def staff_cards(user: Any) -> list[WorkCard]:
    """One tile per queue the user works on: its count (one query each) and the link to the filtered queue."""
    queues = [queue for queue in STAFF_QUEUES if can(user, queue[3])]
    if not queues or not can(user, "case.view"):
        return []
    counts = queue_counts(user, {key: QueueFilters.from_mapping(params) for key, _l, params, _p, _u in queues})
    cards = []
    for order, (key, label, params, _permission, urgent) in enumerate(queues, start=20):
        count = counts[key]
        tone = QUIET if not count else URGENT if urgent else NORMAL
        cards.append(WorkCard(key, label, group=_("Cases"), url=f"{reverse('cases:queue')}?{urlencode(params)}",
                              count=count, tone=tone, order=order))
    return cards


def _when(moment: Any) -> str:
    return date_format(timezone.localtime(moment), str(_("M j, H:i")))


def _who(case: Case) -> str:
    """The organisation handling it, or the staff of the handling place (a building named with its estate)."""
    if case.handler_id:
        return case.handler.name
    place = case.handling_place
    if place is None:
        return str(_("Staff"))
    name = f"{place.parent.name}{place.name}" if place.kind == PlaceKind.BUILDING and place.parent_id else place.name
    return str(_("Staff of %(place)s") % {"place": name})


def next_step(case: Case) -> str:
    """Where a reported case stands and what happens next, in a reporter's words: who handles it, by when."""
    if case.stage == Stage.COLLECT:
        return str(_("Received. Staff will check it and take it on."))
    if case.stage == Stage.CREATE:
        return str(_("Taken on. It is being passed to the people who will handle it."))
    if case.stage == Stage.FEEDBACK:
        return str(_("%(who)s reports it done; staff are checking the result.") % {"who": _who(case)})
    if case.stage == Stage.CLOSED:
        return str(_("Done. Tell us how well it was handled."))
    if case.is_overdue:
        return str(_("%(who)s is handling it; it is past its deadline (%(when)s).")
                   % {"who": _who(case), "when": _when(case.deadline)})
    if case.deadline:
        return str(_("%(who)s is handling it, to be done by %(when)s.")
                   % {"who": _who(case), "when": _when(case.deadline)})
    return str(_("%(who)s is handling it.") % {"who": _who(case)})


def _is_enterprise(user: Any) -> bool:
    return any(role.role == RoleKind.ENTERPRISE_CONTACT for role in active_roles(user))


def reporter_cards(user: Any) -> list[WorkCard]:
    """A resident's or an enterprise's own cases still under way, each with what happens next (staff follow
    cases in their queue instead)."""
    if can(user, "case.view") or not getattr(user, "pk", None):
        return []
    cases, total = first_rows(reports_to_follow(user), FOLLOWED)
    if not cases:
        return []
    items = tuple(
        WorkItem(f"{case.category.name} · {case.place.name}", reverse("cases:detail", args=[case.number]),
                 detail=next_step(case), meta=case.get_stage_display(),
                 tone=URGENT if case.stage == Stage.CLOSED or (case.stage in OPEN_STAGES and case.is_overdue)
                 else NORMAL)
        for case in cases)
    label = _("My demands") if _is_enterprise(user) else _("My cases")
    return [WorkCard("cases.mine", label, reverse("cases:mine"), count=total, items=items, order=30)]


NAV = NavEntry("cases", _("Cases"), order=50, active_prefix=reverse_lazy("cases:queue"), tabs=tabs_for, icon="inbox",
               primary=True)
WORK_CARDS = (staff_cards, reporter_cards)
QUICK_ACTIONS = (QuickAction("case.add", _("Report a matter"), ("cases:report",), order=10),)
HOME_CARDS = (
    HomeCard("case.view", _("Work on the cases (事项) in your area"), ("cases:queue",), order=200),
    HomeCard("case.add", _("Report a matter and follow your cases"), ("cases:report",), order=210),
    HomeCard("case.stats", _("See case figures for your area"), ("cases:dashboard",), order=220),
)
HEADER_TOOLS = (HeaderTool("cases/_bell.html", bell),)
