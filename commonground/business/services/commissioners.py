"""Writes about commissioners: appoint one at a business community, assign them buildings."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import Place, PlaceKind, RoleAssignment, RoleKind, User
from commonground.core.permissions import require

from ..models import Commissioner, CommissionerAssignment
from .ledgers import business_building_check


@transaction.atomic
def commissioner_appoint(*, actor: User, user: User, business_community: Place, display_name: str,
                         daily_capacity: int = 6, phone: str = "") -> Commissioner:
    """Make `user` (who holds the building-commissioner role at the business community) one of its commissioners."""
    require(actor, "commissioner.manage", business_community)
    if business_community.kind != PlaceKind.BUSINESS_COMMUNITY:
        raise ValidationError({"business_community": _("Commissioners serve a business community.")})
    holds_role = RoleAssignment.objects.active().filter(
        user=user, role=RoleKind.BUILDING_COMMISSIONER, scope__path__in=[
            business_community.path[:n] for n in range(len(business_community.path), 0, -1)]).exists()
    if not holds_role:
        raise ValidationError({"user": _("This account does not hold the building-commissioner role here.")})
    if not 1 <= daily_capacity <= 30:
        raise ValidationError({"daily_capacity": _("A commissioner makes 1 to 30 visits a day.")})
    if Commissioner.objects.filter(user=user).exists():
        raise ValidationError({"user": _("This account is a commissioner already.")})
    return Commissioner.objects.create(user=user, business_community=business_community,
                                       display_name=display_name.strip(), daily_capacity=daily_capacity, phone=phone)


@transaction.atomic
def commissioner_assign(*, actor: User, commissioner: Commissioner, building: Place,
                        valid_from: datetime.date | None = None) -> CommissionerAssignment:
    """Assign a building of the commissioner's business community to them from a day (today by default)."""
    require(actor, "commissioner.manage", commissioner)
    business_building_check(building, "building")
    if building.parent_id != commissioner.business_community_id:
        raise ValidationError({"building": _("The building is not in the commissioner's business community.")})
    day = valid_from or clock.today()
    if CommissionerAssignment.objects.filter(commissioner=commissioner, building=building).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)).exists():
        raise ValidationError({"building": _("The commissioner is assigned this building already.")})
    return CommissionerAssignment.objects.create(commissioner=commissioner, building=building, valid_from=day)


# Added by the visits part: the commissioner pages' other writes.

@transaction.atomic
def commissioner_unassign(*, actor: User, assignment: CommissionerAssignment,
                          valid_to: datetime.date | None = None) -> CommissionerAssignment:
    """End a commissioner's assignment of a building on a day (today by default; the day stays in the record)."""
    assignment = CommissionerAssignment.objects.select_for_update().select_related("commissioner").get(
        pk=assignment.pk)
    require(actor, "commissioner.manage", assignment.commissioner)
    day = valid_to or clock.today()
    if assignment.valid_to is not None and assignment.valid_to < clock.today():
        raise ValidationError({"valid_to": _("This assignment has ended already.")})
    if day < assignment.valid_from:
        raise ValidationError({"valid_to": _("An assignment cannot end before it began.")})
    assignment.valid_to = day
    assignment.save(update_fields=["valid_to", "updated_at"])
    return assignment


@transaction.atomic
def commissioner_capacity_set(*, actor: User, commissioner: Commissioner, daily_capacity: int) -> Commissioner:
    """How many visits the commissioner makes in a day (the planner's capacity)."""
    commissioner = Commissioner.objects.select_for_update().get(pk=commissioner.pk)
    require(actor, "commissioner.manage", commissioner)
    if daily_capacity is None or not 1 <= daily_capacity <= 30:
        raise ValidationError({"daily_capacity": _("A commissioner makes 1 to 30 visits a day.")})
    commissioner.daily_capacity = daily_capacity
    commissioner.save(update_fields=["daily_capacity", "updated_at"])
    return commissioner


@transaction.atomic
def commissioner_deactivate(*, actor: User, commissioner: Commissioner) -> Commissioner:
    """The commissioner stops serving: their open assignments end today (their visits stay)."""
    commissioner = Commissioner.objects.select_for_update().get(pk=commissioner.pk)
    require(actor, "commissioner.manage", commissioner)
    if not commissioner.is_active:
        raise ValidationError({"is_active": _("This commissioner is no longer serving.")})
    day = clock.today()
    for assignment in commissioner.assignments.select_for_update().filter(Q(valid_to__isnull=True)
                                                                          | Q(valid_to__gt=day)):
        assignment.valid_to = max(day, assignment.valid_from)
        assignment.save(update_fields=["valid_to", "updated_at"])
    commissioner.is_active = False
    commissioner.save(update_fields=["is_active", "updated_at"])
    return commissioner
