"""Reads of the ledgers: who may see which enterprise (one access function, used by pages, API and exports)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from commonground.core.models import User
from commonground.core.permissions import access_object, visible_to

from .models import Enterprise


def enterprises_visible(actor: User, action: str = "enterprise.view") -> QuerySet[Enterprise]:
    """The enterprises `actor` may do `action` on: staff by scope, a commissioner their buildings' firms, an
    enterprise contact their own firm."""
    return visible_to(actor, action, Enterprise.objects.all())


def access_enterprise(actor: User, credit_code: str, action: str = "enterprise.view") -> Enterprise:
    """The enterprise with this credit code for `action`: 404 when the actor may not see it, 403 when they see it
    but may not do `action`."""
    visible = enterprises_visible(actor).select_related("building", "registered_building")
    return access_object(actor, visible, action, view_action="enterprise.view",
                         missing=_("No such enterprise."), credit_code=(credit_code or "").strip().upper())
