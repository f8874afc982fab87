"""The home's work card of the evaluation: a household member asked to rate their property company while a round
is open over their estate and their household has not answered."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.web.registry import NORMAL, WorkCard, WorkLink

from .evaluation_selectors import open_round_for

GROUP = gettext_lazy("Property evaluation")


def evaluation_cards(user: Any) -> list[WorkCard]:
    found = open_round_for(user)
    if found is None:
        return []
    round, _household = found
    url = reverse("coordination:evaluation-answer", args=[round.pk])
    return [WorkCard("coordination.evaluation-answer", _("Rate your property company"), url=url,
                     detail=_("%(round)s: open until %(day)s") % {"round": round.name,
                                                                  "day": round.closes_on.strftime("%Y-%m-%d")},
                     action=WorkLink(_("Rate the property service"), url), tone=NORMAL, order=30, group=GROUP)]
