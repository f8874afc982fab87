"""The home's work card of the fund for its reviewers: the projects waiting for their review (community, street or
fund office), leading to the list of just those."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.web.registry import NORMAL, QUIET, WorkCard

from .fund_selectors import awaiting_review, may_review_somewhere

GROUP = gettext_lazy("Micro-governance fund")


def fund_review_cards(user: Any) -> list[WorkCard]:
    """One tile: how many fund projects wait for this user's review (one query; none for who reviews nowhere)."""
    if not may_review_somewhere(user):
        return []
    count = awaiting_review(user).count()
    return [WorkCard("coordination.fund-reviews", _("Fund projects waiting for your review"),
                     url=reverse("coordination:funds") + "?awaiting=1", count=count, group=GROUP, order=60,
                     tone=NORMAL if count else QUIET)]
