"""The case page's forms post here; each calls one service. A refused move (ValidationError)
re-renders the page with the message and status 400; a forbidden one answers 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commonground.core.uploads import upload_response

from ..models import Case, ExtensionStatus, Level, Mediation
from ..selectors import access_case, case_for
from ..services.mediation import mediation_conclude, mediation_open, mediation_session_add
from ..services.workflow import (
    allowed_actions,
    case_accept,
    case_dispatch,
    case_escalate,
    case_feedback,
    case_merge,
    case_note,
    case_rate,
    case_reject,
    case_verify,
    extension_decide,
    extension_request,
    may_decide_extension,
)
from .detail import DONE_MESSAGES, case_context, make_form, needed
from .forms import ExtensionDecisionForm, apply_service_errors, handler_options


def _merge(case: Case, user: Any, data: dict[str, Any], files: Any) -> Any:
    main = case_for(user, data["into"].strip())
    if main is None:
        raise ValidationError({"into": _("No case with this number in your area.")})
    return case_merge(duplicate=case, into=main, actor=user)


def _parties(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


RUNS: dict[str, Callable[[Case, Any, dict[str, Any], Any], Any]] = {
    "accept": lambda case, user, d, f: case_accept(case=case, actor=user, note=d["note"]),
    "reject": lambda case, user, d, f: case_reject(case=case, actor=user, reason=d["reason"]),
    "dispatch": lambda case, user, d, f: case_dispatch(case=case, actor=user, level=d["level"],
                                                       handler=d["handler"], note=d["note"]),
    "note": lambda case, user, d, f: case_note(case=case, actor=user, note=d["note"],
                                               attachments=f.getlist("note-photos")),
    "feedback": lambda case, user, d, f: case_feedback(case=case, actor=user, note=d["note"]),
    "verify": lambda case, user, d, f: case_verify(case=case, actor=user, approved=d["decision"] == "close",
                                                   note=d["note"]),
    "rate": lambda case, user, d, f: case_rate(case=case, actor=user, rating=d["rating"], comment=d["comment"]),
    "extend": lambda case, user, d, f: extension_request(case=case, actor=user, hours=d["hours"], reason=d["reason"]),
    "escalate": lambda case, user, d, f: case_escalate(case=case, actor=user, reason=d["reason"]),
    "merge": _merge,
    "mediation_open": lambda case, user, d, f: mediation_open(case=case, actor=user, parties=_parties(d["parties"])),
    "mediation_session": lambda case, user, d, f: mediation_session_add(
        case=case, actor=user, held_on=d["held_on"], venue=d["venue"], attendees=d["attendees"], summary=d["summary"]),
    "mediation_conclude": lambda case, user, d, f: mediation_conclude(
        case=case, actor=user, outcome=d["outcome"], agreement_text=d["agreement_text"],
        referred_to=d["referred_to"], signed_agreement=d["signed_agreement"]),
}


def denied(request: HttpRequest, case: Case, error: PermissionDenied) -> HttpResponse:
    return render(request, "cases/denied.html", {"case": case, "message": str(error) or None}, status=403)


def refused(request: HttpRequest, case: Case, bound: dict[str, forms.Form]) -> HttpResponse:
    messages.error(request, _("Nothing was changed. Please correct the form below."))
    case = access_case(request.user, case.number)
    return render(request, "cases/detail.html", case_context(request, case, bound), status=400)


@require_POST
@login_required
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """Run one action on a case, if the page would have offered it to this user."""
    if action not in RUNS:
        raise Http404
    user = request.user
    case = access_case(user, number)
    if needed(action) not in allowed_actions(user, case):
        return denied(request, case, PermissionDenied(_("This action is not open to you on this case now.")))
    form = make_form(action, user, case, request.POST, request.FILES)
    if form.is_valid():
        try:
            RUNS[action](case, user, form.cleaned_data, request.FILES)
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            return denied(request, case, error)
        else:
            done = "verify_back" if action == "verify" and form.cleaned_data["decision"] == "back" else action
            messages.success(request, DONE_MESSAGES[done] % {"number": case.number})
            return redirect("cases:detail", number=case.number)
    return refused(request, case, {action: form})


@require_POST
@login_required
def decide_extension(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """Approve or refuse a pending extension: one level above the handling place."""
    user = request.user
    case = access_case(user, number)
    extension = get_object_or_404(case.extension_requests, pk=pk, status=ExtensionStatus.PENDING)
    if not case.handling_place_id or not may_decide_extension(user, case):
        return denied(request, case, PermissionDenied(_("An extension is approved one level above the handling "
                                                        "place.")))
    form = ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        return refused(request, case, {})
    try:
        extension_decide(request=extension, actor=user, approve=form.cleaned_data["decision"] == "approve")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return refused(request, case, {})
    except PermissionDenied as error:
        return denied(request, case, error)
    messages.success(request, _("The extension was approved.") if form.cleaned_data["decision"] == "approve"
                     else _("The extension was refused."))
    return redirect("cases:detail", number=case.number)


@require_GET
@login_required
def handlers(request: HttpRequest, number: str) -> HttpResponse:
    """htmx: the organisations that may handle the case at the chosen level."""
    user = request.user
    case = access_case(user, number)
    if "dispatch" not in allowed_actions(user, case):
        raise PermissionDenied
    level = request.GET.get("dispatch-level", "")
    level = level if level in Level.values else case.category.default_level
    return render(request, "cases/_handler_options.html", {"organisations": handler_options(user, case, level)})


@require_GET
@login_required
def attachment(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """A photo or file of a case, to those who may view the case."""
    case = access_case(request.user, number)
    item = get_object_or_404(case.attachments.exclude(file=""), pk=pk)
    return upload_response(item.file, content_type=item.content_type, name=f"{case.number}-{item.pk}")


@require_GET
@login_required
def signed_agreement(request: HttpRequest, number: str) -> FileResponse:
    """The signed mediation agreement of a dispute, to those who may view the case."""
    case = access_case(request.user, number)
    mediation = get_object_or_404(Mediation.objects.exclude(signed_agreement=""), case=case)
    return upload_response(mediation.signed_agreement, content_type=mediation.signed_agreement_type,
                           name=f"{case.number}-agreement")
