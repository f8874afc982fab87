"""The home's work cards of the fieldwork, for renewal staff: today's planned visits and the households not
visited for the stale-visit days, per project under way, each leading to the project's fieldwork tab."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.web.registry import NORMAL, QUIET, URGENT, WorkCard

from .field_selectors import fieldwork_counts
from .home import has_projects
from .rules import stale_visit_days

GROUP = gettext_lazy("Renewal")


def fieldwork_cards(user: Any) -> list[WorkCard]:
    """Two tiles per project the user does fieldwork in (their buildings' households only)."""
    if not has_projects(user):  # asked once per request, with the nav
        return []
    cards = []
    for counts in fieldwork_counts(user):
        url = reverse("renewal:fieldwork", args=[counts.project.pk])
        detail = counts.project.name
        cards.append(WorkCard(f"renewal.planned-today-{counts.project.pk}", _("Visits planned for today"), url=url,
                              count=counts.planned_today, detail=detail, group=GROUP, order=45,
                              tone=NORMAL if counts.planned_today else QUIET))
        cards.append(WorkCard(f"renewal.stale-{counts.project.pk}",
                              _("Not visited for over %(days)d days") % {"days": stale_visit_days()},
                              url=f"{url}#stale", count=counts.stale, detail=detail, group=GROUP, order=46,
                              tone=URGENT if counts.stale else QUIET))
    return cards
