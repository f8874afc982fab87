"""The warnings pages of the cockpit: the list (scoped; filters by rule, severity, state, place; CSV/XLSX), one
warning with its evidence chart and its actions (acknowledge, give to a colleague, close, turn into a case). Thin:
selectors read, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core.forms import apply_service_errors
from commonground.core.pagination import CappedPaginator
from commonground.core.permissions import can, require
from commonground.core.tables import table_response

from ..models.warnings import OPEN_STATES
from ..services.warnings import alert_acknowledge, alert_assign, alert_close, alert_to_case, default_category
from ..warnings_forms import AlertAssignForm, AlertCaseForm, AlertFilterForm
from ..warnings_selectors import (
    MANAGE,
    VIEW,
    AlertFilters,
    access_alert,
    alert_list,
    assignees,
    filter_places,
)

PAGE_SIZE = 30


def _filters(request: HttpRequest) -> tuple[AlertFilterForm, AlertFilters]:
    form = AlertFilterForm(request.GET or None)
    if not form.is_valid():
        return form, AlertFilters()
    data = form.cleaned_data
    place = None
    if data["place"]:
        place = filter_places(request.user).filter(code=data["place"]).first()
    return form, AlertFilters(rule=data["rule"], severity=data["severity"], state=data["state"] or "open",
                              place=place)


@login_required
def warnings_list(request: HttpRequest) -> HttpResponse:
    """The warnings of the viewer's area, newest first."""
    require(request.user, VIEW)
    form, filters = _filters(request)
    page = CappedPaginator(alert_list(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cockpit/warnings_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "places": list(filter_places(request.user)[:200]),
        "map_url": _map_url()})


def _map_url() -> str:
    try:
        return reverse("cockpit:map") + "?layer=warnings"
    except Exception:  # noqa: BLE001 — the map is another part's page; without it there is no link
        return ""


@login_required
def warnings_export(request: HttpRequest, fmt: str) -> HttpResponse:
    require(request.user, VIEW)
    _form, filters = _filters(request)
    headers = [_("Warning began at"), _("warning rule"), _("severity"), _("warning title"), _("Place of the warning"),
               _("warning state"), _("Warning given to"), _("Case number")]
    rows = ([timezone.localtime(a.began_at).strftime("%Y-%m-%d %H:%M"), a.get_rule_display(),
             a.get_severity_display(), a.title, a.place.name, a.get_state_display(),
             (a.assignee.get_full_name() or a.assignee.username) if a.assignee else "",
             a.case.number if a.case else ""] for a in alert_list(request.user, filters).iterator(chunk_size=1000))
    return table_response(fmt, headers, rows, filename="early-warnings", title=_("Early warnings"))


def _chart(alert) -> dict:
    evidence = dict(alert.evidence or {})
    evidence.setdefault("labels", [])
    evidence["names"] = {"values": _("Reading"), "baseline": _("Usual for this hour"), "band": _("Usual range"),
                         "capacity": _("Capacity"), "marked": _("Unusual")}
    return evidence


@login_required
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One warning: what, where, since when, its evidence chart and what may be done with it."""
    alert = access_alert(request.user, pk)
    may_manage = can(request.user, MANAGE, alert) and alert.state in OPEN_STATES
    context = {"alert": alert, "may_manage": may_manage, "chart": _chart(alert),
               "evidence_rows": _evidence_rows(alert), "evidence_figures": _evidence_figures(alert),
               "assign_form": AlertAssignForm(users=assignees(alert)) if may_manage else None,
               "case_form": AlertCaseForm(initial={"category": default_category(alert)}) if may_manage else None}
    return render(request, "cockpit/warning_detail.html", context)


def _evidence_rows(alert) -> list[tuple[str, object, bool]]:
    evidence = alert.evidence or {}
    labels, values = evidence.get("labels") or [], evidence.get("values") or []
    marked = set(evidence.get("marked") or [])
    return [(label, value, label in marked) for label, value in zip(labels, values, strict=False)]


def _evidence_figures(alert) -> list[tuple[str, object]]:
    """The figures of a warning without a series (risk, expiry, pile-up), labelled for people."""
    labels = {"enterprises": _("Enterprises at or above the risk threshold"), "top_score": _("Highest risk score"),
              "ends_on": _("Ends on"), "overdue": _("Overdue cases"), "open": _("Open cases")}
    evidence = alert.evidence or {}
    if evidence.get("kind") != "figures":
        return []
    return [(labels.get(key, key), value) for key, value in evidence.items() if key != "kind"]


def _act(request: HttpRequest, pk: int, act, done: str) -> HttpResponse:
    alert = access_alert(request.user, pk, MANAGE)
    try:
        act(alert)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("cockpit:warning", pk=alert.pk)


@login_required
@require_POST
def warning_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda alert: alert_acknowledge(actor=request.user, alert=alert),
                _("The warning is acknowledged."))


@login_required
@require_POST
def warning_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda alert: alert_close(actor=request.user, alert=alert), _("The warning is closed."))


@login_required
@require_POST
def warning_assign(request: HttpRequest, pk: int) -> HttpResponse:
    alert = access_alert(request.user, pk, MANAGE)
    form = AlertAssignForm(request.POST, users=assignees(alert))
    if form.is_valid():
        return _act(request, pk, lambda a: alert_assign(actor=request.user, alert=a,
                                                        assignee=form.cleaned_data["assignee"]),
                    _("The warning is given to your colleague."))
    messages.error(request, _("Choose someone who may handle warnings at this place."))
    return redirect("cockpit:warning", pk=alert.pk)


@login_required
def warning_to_case(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn the warning into a case: the clerk chooses the category (the rule's by default)."""
    alert = access_alert(request.user, pk, MANAGE)
    form = AlertCaseForm(request.POST or None, initial={"category": default_category(alert)})
    if request.method == "POST" and form.is_valid():
        try:
            case = alert_to_case(actor=request.user, alert=alert, category=form.cleaned_data["category"],
                                 description=form.cleaned_data["description"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Case %(number)s is opened from the warning.") % {"number": case.number})
            return redirect("cases:detail", case.number)
    return render(request, "cockpit/warning_case_form.html", {"alert": alert, "form": form},
                  status=400 if form.errors else 200)


urlpatterns: list[URLPattern] = [
    path("warnings/", warnings_list, name="warnings"),
    path("warnings/export.csv", warnings_export, {"fmt": "csv"}, name="warnings-export-csv"),
    path("warnings/export.xlsx", warnings_export, {"fmt": "xlsx"}, name="warnings-export-xlsx"),
    path("warnings/<int:pk>/", warning_detail, name="warning"),
    path("warnings/<int:pk>/acknowledge/", warning_acknowledge, name="warning-acknowledge"),
    path("warnings/<int:pk>/assign/", warning_assign, name="warning-assign"),
    path("warnings/<int:pk>/close/", warning_close, name="warning-close"),
    path("warnings/<int:pk>/case/", warning_to_case, name="warning-case"),
]
