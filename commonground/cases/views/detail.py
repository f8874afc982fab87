"""The case page: what, where, who, the timeline, mediation, extensions, merges, and the actions
this user may take (exactly those `allowed_actions` lists, plus deciding a pending extension)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from commonground.core.masking import in_full, shown
from commonground.core.models import Place, PlaceKind
from commonground.core.permissions import can

from ..models import OPEN_STAGES, Case, ExtensionStatus, Mediation
from ..presentation import (
    RESIDENT_STEP_OF,
    RESIDENT_STEPS,
    place_label,
    resident_event_label,
    resident_status,
)
from ..selectors import access_case, visible_cases
from ..services.allowed import (
    allowed_actions,
    may_decide_extension,
    mediation_of,
    mediation_steps,
    primary_action,
)
from ._common import basemap, is_late, point_of
from .forms import (
    AcceptForm,
    DispatchForm,
    EscalateForm,
    ExtendForm,
    FeedbackForm,
    MediationConcludeForm,
    MediationOpenForm,
    MediationSessionForm,
    MergeForm,
    NoteForm,
    RateForm,
    RejectForm,
    VerifyForm,
)

AROUND_KINDS = (PlaceKind.ESTATE, PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY)


@dataclass
class ActionForm:
    name: str
    title: Any
    button: Any
    form: forms.Form
    secondary: bool = False
    multipart: bool = False
    errors: bool = False
    primary: bool = False
    help: Any = ""
    extra: dict = field(default_factory=dict)


# What the page says after each action succeeded.
DONE_MESSAGES: dict[str, Any] = {
    "accept": _("Case %(number)s is accepted. Dispatch it next."),
    "reject": _("Case %(number)s is not accepted; the reporter is told why."),
    "dispatch": _("Case %(number)s is dispatched; the handlers are notified."),
    "feedback": _("Case %(number)s is reported done; it waits for an independent check."),
    "note": _("Progress on case %(number)s is recorded."),
    "mediation_open": _("The mediation record is opened."),
    "mediation_session": _("The mediation session is recorded."),
    "mediation_conclude": _("The mediation outcome is recorded."),
    "verify": _("Case %(number)s is verified and closed; the reporter is asked to rate it."),
    "verify_back": _("Case %(number)s is sent back to the handler."),
    "rate": _("Thank you for rating case %(number)s."),
    "extend": _("Your request for more time is sent one level up."),
    "escalate": _("Case %(number)s is escalated one level up."),
    "merge": _("Case %(number)s is merged into the main case."),
}

# (action, title, button, form class, secondary, multipart): in the order the page shows them.
ACTION_SPECS: list[tuple[str, Any, Any, type[forms.Form], bool, bool]] = [
    ("accept", _("Accept the case (立案)"), _("Accept"), AcceptForm, False, False),
    ("reject", _("Do not accept"), _("Do not accept"), RejectForm, True, False),
    ("dispatch", _("Dispatch"), _("Dispatch"), DispatchForm, False, False),
    ("feedback", _("Report done"), _("Report done"), FeedbackForm, False, False),
    ("note", _("Record progress"), _("Save progress"), NoteForm, True, True),
    ("mediation_open", _("Open the mediation record"), _("Open record"), MediationOpenForm, False, False),
    ("mediation_session", _("Add a mediation session"), _("Add session"), MediationSessionForm, False, False),
    ("mediation_conclude", _("Record the mediation outcome"), _("Record outcome"), MediationConcludeForm, False,
     True),
    ("verify", _("Check and close"), _("Submit the check"), VerifyForm, False, False),
    ("rate", _("Rate how it was handled"), _("Send rating"), RateForm, False, False),
    ("extend", _("Ask for more time"), _("Ask"), ExtendForm, True, False),
    ("escalate", _("Escalate one level up"), _("Escalate"), EscalateForm, True, False),
    ("merge", _("Merge into another case (repeat report)"), _("Merge"), MergeForm, True, False),
]
# Which entry of `allowed_actions` lets the user post each form.
NEEDS = {"mediation_open": "mediate", "mediation_session": "mediate", "mediation_conclude": "mediate"}


def needed(action: str) -> str:
    return NEEDS.get(action, action)


def make_form(action: str, user: Any, case: Case, data: Any = None, files: Any = None) -> forms.Form:
    form_class = {spec[0]: spec[3] for spec in ACTION_SPECS}[action]
    if form_class is DispatchForm:
        form = DispatchForm(data, user=user, case=case, prefix=action, label_suffix="")
        form.fields["level"].widget.attrs.update({
            "hx-get": reverse("cases:handler-options", args=[case.number]), "hx-target": f"#id_{action}-handler",
            "hx-trigger": "change"})
        return form
    return form_class(data, files, prefix=action, label_suffix="")


def action_forms(user: Any, case: Case, mediation: Mediation | None,
                 bound: dict[str, forms.Form] | None = None) -> list[ActionForm]:
    """The forms of the steps `allowed_actions` offers, the one that moves the case on now (`primary_action`)
    first and open; a mediation shows only its next step."""
    allowed = allowed_actions(user, case, mediation=mediation)
    steps = mediation_steps(mediation) if "mediate" in allowed else []
    primary = primary_action(allowed)
    if primary == "mediate":
        primary = steps[-1] if steps else None
    result = []
    for name, title, button, _form_class, secondary, multipart in ACTION_SPECS:
        if needed(name) not in allowed or (name.startswith("mediation_") and name not in steps):
            continue
        form = (bound or {}).get(name) or make_form(name, user, case)
        result.append(ActionForm(name, title, button, form, secondary and name != primary, multipart,
                                 errors=form.is_bound, primary=name == primary))
    result.sort(key=lambda item: not item.primary)
    return result


def answers_of(case: Case) -> list[tuple[str, Any]]:
    labels = {q.key: q.label for q in case.category.questions.all()}
    shown = []
    for key, value in case.answers.items():
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
        shown.append((labels.get(key, key), value))
    return shown


def contact_of(user: Any, case: Case) -> dict[str, str] | None:
    """Who to call back, masked unless the user may see personal data where the case lies."""
    person = case.reporter.person if case.reporter_id and case.reporter.person_id else None
    name = case.contact_name or (person.name if person else "")
    phone = case.contact_phone or (person.phone if person else "")
    if not (name or phone):
        return None
    full = in_full(user, case)
    return {"name": shown("name", name, in_full=full), "phone": shown("phone", phone, in_full=full)}


def case_context(request: HttpRequest, case: Case, bound: dict[str, forms.Form] | None = None) -> dict[str, Any]:
    user = request.user
    events = list(case.events.select_related("actor").prefetch_related("attachments"))
    staff_view = can(user, "case.view") and not case.is_own(user, "case.view")
    for event in events:
        event.label = event.get_action_display() if staff_view else resident_event_label(event)
    if not staff_view:
        events = [event for event in events if event.label]
    reported = next((e for e in events if e.action == "reported"), None)
    duplicates = (reported.data.get("possible_duplicates", []) if reported else [])
    duplicates_count = (reported.data.get("possible_duplicates_count", len(duplicates)) if reported else 0)
    merged = list(case.merged_cases.order_by("created_at").values_list("number", flat=True))
    linkable = set(
        visible_cases(user).filter(number__in=[*duplicates, *merged]).values_list("number", flat=True)
    ) if duplicates or merged else set()
    mediation = mediation_of(case)
    extensions = list(case.extension_requests.select_related("requested_by", "decided_by").order_by("-created_at"))
    pending = next((x for x in extensions if x.status == ExtensionStatus.PENDING), None)
    point = point_of(case)
    return {
        "case": case,
        "late": is_late(case),
        "is_open": case.stage in OPEN_STAGES,
        "events": events,
        "answers": answers_of(case),
        "photos": [a for a in case.attachments.all() if a.event_id is None],
        "duplicates": [(number, number in linkable) for number in duplicates],
        "more_duplicates": max(0, duplicates_count - len(duplicates)),
        "merged": [(number, number in linkable) for number in merged],
        "mediation": mediation,
        "extensions": extensions,
        "may_decide": bool(pending and case.handling_place_id and may_decide_extension(user, case)),
        "pending": pending,
        "actions": action_forms(user, case, mediation, bound),
        "contact": contact_of(user, case) if staff_view else None,
        "staff_view": staff_view,
        "is_reporter": case.is_own(user, "case.view"),
        "where": place_label(case.place),
        "status": None if staff_view else resident_status(case, events),
        "steps": RESIDENT_STEPS, "step": RESIDENT_STEP_OF.get(case.stage),
        "map": {"lat": point[0], "lng": point[1], "name": case.place.name, "outline": None, "children": [],
                "code": case.place.code, "areas": areas_around(user, case.place), **basemap()} if point else None,
    }


def areas_around(user: Any, place: Place) -> str:
    """Where the case map reads the areas drawn around the case: its community's, or, for a user who may not view
    the community (a resident), its estate's; none when the user may view neither."""
    around = [p for p in place.get_ancestors(include_self=True).filter(kind__in=AROUND_KINDS).order_by("-depth")
              if can(user, "place.view", p)]
    return f"{reverse('core:place-areas')}?{urlencode({'within': around[-1].code})}" if around else ""


@login_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = access_case(request.user, number)
    return render(request, "cases/detail.html", case_context(request, case))
