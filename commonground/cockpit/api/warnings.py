"""The warnings part of the cockpit API: /api/cockpit/warnings (list, one, acknowledge, assign, close, turn into a
case). Scoped like the pages: a warning outside the caller's area answers 404, one they see but may not handle 403."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from commonground.cases.models import Category
from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import ErrorOut, Id
from commonground.core.permissions import require

from ..services.warnings import alert_acknowledge, alert_assign, alert_close, alert_to_case
from ..warnings_schemas import AlertAssignIn, AlertCaseIn, AlertCaseOut, AlertDetailOut, AlertOut, AlertQuery
from ..warnings_selectors import (
    MANAGE,
    VIEW,
    AlertFilters,
    access_alert,
    alert_list,
    assignees,
    filter_places,
)

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.get("/warnings", response=Page[AlertOut])
def warning_list(request: HttpRequest, filters: AlertQuery = Query(...), pages: PageQuery = Query(...)
                 ) -> dict[str, Any]:
    """The warnings the caller sees, newest first; open ones unless state says otherwise."""
    require(request.user, VIEW)
    place = filter_places(request.user).filter(code=filters.place).first() if filters.place else None
    if filters.place and place is None:
        return {"count": 0, "capped": False, "items": []}
    return paginate(alert_list(request.user, AlertFilters(rule=filters.rule, severity=filters.severity,
                                                          state=filters.state, place=place)), pages)


@router.get("/warnings/{int:warning_id}", response={200: AlertDetailOut, **ERRORS})
def warning_detail(request: HttpRequest, warning_id: Id):
    return access_alert(request.user, warning_id)


@router.post("/warnings/{int:warning_id}/acknowledge", response={200: AlertOut, **ERRORS})
def warning_acknowledge(request: HttpRequest, warning_id: Id):
    return alert_acknowledge(actor=request.user, alert=access_alert(request.user, warning_id, MANAGE))


@router.post("/warnings/{int:warning_id}/assign", response={200: AlertOut, **ERRORS})
def warning_assign(request: HttpRequest, warning_id: Id, payload: AlertAssignIn):
    alert = access_alert(request.user, warning_id, MANAGE)
    assignee = assignees(alert).filter(pk=payload.assignee).first()
    if assignee is None:
        raise ValidationError({"assignee": _("Choose someone who may handle warnings at this place.")})
    return alert_assign(actor=request.user, alert=alert, assignee=assignee)


@router.post("/warnings/{int:warning_id}/close", response={200: AlertOut, **ERRORS})
def warning_close(request: HttpRequest, warning_id: Id):
    return alert_close(actor=request.user, alert=access_alert(request.user, warning_id, MANAGE))


@router.post("/warnings/{int:warning_id}/case", response={200: AlertCaseOut, **ERRORS})
def warning_to_case(request: HttpRequest, warning_id: Id, payload: AlertCaseIn):
    """Turn the warning into a case of the chosen category at its place (the case links back to it)."""
    alert = access_alert(request.user, warning_id, MANAGE)
    category = Category.objects.filter(pk=payload.category, is_active=True).first()
    if category is None:
        raise Http404
    case = alert_to_case(actor=request.user, alert=alert, category=category, description=payload.description)
    return {"warning": alert.pk, "case_number": case.number}
