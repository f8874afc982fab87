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
