"""Reads of the early warnings: the list the viewer may see (filtered by rule, severity, state and place), one
warning, and the colleagues a warning may be given to. Scoped by the resolver on the warning's place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from commonground.core.models import Place, RoleAssignment, RoleKind, User
from commonground.core.models.places import within_q
from commonground.core.permissions import access_object, visible_to

from .models import Alert
from .models.warnings import OPEN_STATES, WarningState

VIEW = "warning.view"
MANAGE = "warning.manage"
HANDLERS = (RoleKind.STREET_STAFF, RoleKind.COMMUNITY_WORKER)


@dataclass(frozen=True)
class AlertFilters:
    rule: str = ""
    severity: int | None = None
    state: str = "open"  # "open" (new, acknowledged, assigned), "all", or one state
    place: Place | None = None


def alerts_visible(actor: Any) -> QuerySet[Alert]:
    return visible_to(actor, VIEW, Alert.objects.all())


def alert_list(actor: Any, filters: AlertFilters = AlertFilters()) -> QuerySet[Alert]:
    """The warnings `actor` sees, newest first, with their place, sensor, assignee and case."""
    rows = alerts_visible(actor)
    if filters.rule:
        rows = rows.filter(rule=filters.rule)
    if filters.severity:
        rows = rows.filter(severity=filters.severity)
    if filters.state == "open":
        rows = rows.filter(state__in=OPEN_STATES)
    elif filters.state in WarningState.values:
        rows = rows.filter(state=filters.state)
    if filters.place is not None:
        rows = rows.filter(within_q("place_path", [filters.place.path]))
    return rows.select_related("place", "sensor", "assignee", "case").order_by("-began_at", "-pk")


def access_alert(actor: Any, pk: int, action: str = VIEW) -> Alert:
    """The warning `pk` for `action`: 404 when the actor does not see it, 403 when they see it but may not act."""
    return access_object(actor, alerts_visible(actor).select_related("place", "sensor", "assignee", "case",
                                                                      "handled_by"),
                         action, view_action=VIEW, pk=pk)


def assignees(alert: Alert) -> QuerySet[User]:
    """Active street staff and community workers whose area holds the warning's place."""
    prefixes = [alert.place_path[:n] for n in range(10, len(alert.place_path) + 1, 10)]
    users = (RoleAssignment.objects.active().filter(role__in=HANDLERS, scope__path__in=prefixes)
             .values("user_id"))
    return User.objects.filter(pk__in=users, is_active=True).order_by("username")


def filter_places(actor: Any) -> QuerySet[Place]:
    """Streets and communities the viewer sees, for the place filter."""
    return visible_to(actor, VIEW, Place.objects.filter(kind__in=["street", "community", "business_community"])
                      ).order_by("path")
