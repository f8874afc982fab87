"""Renewal's cards on the home: for those who work on a campaign (a renewal role at or under its estate, or above
it: the office, the groups, the street), a card per project with where its signing stands, urgent when behind the
pace the threshold needs by the deadline; for an owner whose household is in a campaign, "my renewal plan"
leading to their household's page. A fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.core import clock
from commonground.core.permissions import scope_paths
from commonground.web.registry import NORMAL, QUIET, URGENT, WorkCard, WorkItem

from .home import has_projects
from .models import Household
from .progress_selectors import PACE_DAYS, Totals, day_start, forecast, pace_needed, rate
from .rules import needed
from .selectors import projects_for

LISTED = 5  # projects shown on the home; the rest are on the projects page
GROUP = gettext_lazy("Renewal")


def worked_on(paths: list[str] | None, estate_path: str) -> bool:
    """Whether a role at one of `paths` reaches the estate (above it, at it or at one of its buildings)."""
    return paths is None or any(estate_path.startswith(p) or p.startswith(estate_path) for p in paths)


def project_cards(user: Any) -> list[WorkCard]:
    """A card per campaign the user works on: signed of total and the rate, linked to the progress page."""
    if not has_projects(user):  # asked once per request, with the nav
        return []
    paths = scope_paths(user, "renewal.view")
    projects = [p for p in projects_for(user).order_by("-signing_from", "pk")[:LISTED * 2]
                if worked_on(paths, p.estate_path)][:LISTED]
    if not projects:
        return []
    today = clock.today()
    since = day_start(today - datetime.timedelta(days=PACE_DAYS - 1))
    counts = {row["project_id"]: row for row in Household.objects.filter(project__in=projects).order_by()
              .values("project_id").annotate(households=Count("pk"), signed=Count("pk", filter=Q(signed_at__isnull=False)),
                                             recent=Count("pk", filter=Q(signed_at__gte=since)))}
    cards = []
    for order, project in enumerate(projects):
        row = counts.get(project.pk, {"households": 0, "signed": 0, "recent": 0})
        totals = Totals(row["households"], row["signed"], needed=needed(row["households"], project.effect_threshold))
        needed_pace, days_left = pace_needed(totals, project, today)
        pace = forecast(totals.needed, totals.signed, row["recent"], today).pace
        behind = totals.left > 0 and days_left is not None and (days_left <= 0 or pace < (needed_pace or 0))
        url = reverse("renewal:progress", args=[project.pk])
        title = _("%(project)s: signed %(signed)s / %(households)s (%(rate)s)") % {
            "project": project.name, "signed": totals.signed, "households": totals.households,
            "rate": f"{rate(totals.signed, totals.households) * 100:.1f}%"}
        if totals.left == 0:
            detail = _("The effect threshold (%(needed)s households) is reached.") % {"needed": totals.needed}
        elif behind:
            detail = _("Behind: %(left)s more signatures are needed for effect by %(until)s.") % {
                "left": totals.left, "until": project.signing_until.isoformat()}
        else:
            detail = _("%(left)s more signatures are needed for effect.") % {"left": totals.left}
        tone = URGENT if behind else NORMAL if totals.left else QUIET
        cards.append(WorkCard(f"renewal.progress-{project.pk}", project.name, url=url, tone=tone, order=30 + order,
                              items=(WorkItem(title, url, detail=detail, tone=tone),), group=GROUP))
    return cards


def owner_cards(user: Any) -> list[WorkCard]:
    """"My renewal plan": the campaigns the user's households are in, each leading to the household's page."""
    if not getattr(user, "person_id", None):
        return []
    households = list(Household.objects.filter(owners__id=user.person_id).select_related("project", "flat")
                      .order_by("project_id", "place_path")[:LISTED])
    if not households:
        return []
    items = tuple(WorkItem(
        f"{h.project.name} · {h.flat.name}", reverse("renewal:household", args=[h.pk]),
        detail=(_("Signed, No. %(n)s.") % {"n": h.sequence}) if h.signed_at else _("Not signed yet."))
        for h in households)
    return [WorkCard("renewal.my-plan", gettext_lazy("My renewal plan"),
                     url=reverse("renewal:household", args=[households[0].pk]), items=items, order=8)]


WORK_CARDS = (project_cards, owner_cards)
