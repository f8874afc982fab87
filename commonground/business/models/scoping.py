"""What the business models share: the scope columns of a row about a firm or a building, and who reaches such a
row without a role's scope (a commissioner through their assigned buildings, a contact through their own firm)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from commonground.core.models import TimeStampedModel

from .. import rules

__all__ = ["BusinessScoped", "firm_reach_q"]


class BusinessScoped(TimeStampedModel):
    """A business row placed in the place tree (mostly at a firm's building): its path, its street's and its
    business community's, kept by the services (place moves rewrite them); lists read them through indexes."""

    place_path = models.CharField(max_length=255, editable=False)
    street_path = models.CharField(max_length=255, editable=False, default="")
    community_path = models.CharField(max_length=255, editable=False, default="")  # the business community's

    scope_path = "place_path"
    place_path_fields = ("place_path",)
    scope_prefixes = {"street_path": 2, "community_path": 3}

    class Meta:
        abstract = True


def firm_reach_q(user, action: str, *, firm: str = "enterprise", commissioner_actions=None,
                 contact_actions=None) -> Q:
    """The rows a commissioner reaches for `action` through their assigned buildings (the row's `place_path`) and
    an enterprise contact through their own firm (the row's `firm` lookup to its enterprise). Subqueries, never
    joins: a join would repeat a row once per contact person of the firm."""
    from .ledgers import EnterpriseContact
    from .visits import assigned_buildings_q

    if not getattr(user, "pk", None):
        return Q(pk__in=[])
    commissioner_actions = rules.COMMISSIONER_ACTIONS if commissioner_actions is None else commissioner_actions
    contact_actions = rules.CONTACT_ACTIONS if contact_actions is None else contact_actions
    condition = Q(pk__in=[])
    if action in commissioner_actions:
        condition |= Q(place_path__in=assigned_buildings_q(user).values("path"))
    if action in contact_actions:
        own_firms = EnterpriseContact.objects.filter(user=user).values("enterprise")
        condition |= Q(**{f"{firm}__in" if firm != "pk" else "pk__in": own_firms})
    return condition
