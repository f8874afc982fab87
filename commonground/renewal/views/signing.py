"""The signing and flat-choice pages: a household's agreement section (draw, sign per co-owner, scan, PDF,
cancel), the project's Agreements tab and its Flat choice tab with the live board.

Each form posts to one view that calls one service; a refusal re-renders the page with the message (400), a
forbidden action answers 403, what the user may not see 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commonground.core.forms import apply_service_errors
from commonground.core.pagination import CappedPaginator
from commonground.core.permissions import can
from commonground.core.uploads import upload_response

from ..agreement_pdf import agreement_pdf_bytes
from ..home import project_tabs
from ..models import AgreementStatus, Household, NewFlat, Project, WorkGroupKind
from ..selectors import access_household, access_project, households_for
from ..services.flats import area_tolerance, flat_choose, flat_turn_skip, new_flat_rows, new_flats_import
from ..services.signing import (
    agreement_allowed_actions,
    agreement_cancel,
    agreement_draw,
    agreement_scan_attach,
    agreement_sign,
)
from ..signing_forms import CancelForm, ChooseForm, DrawForm, FlatsImportForm, ScanForm, SignForm, SkipForm
from ..signing_selectors import (
    AgreementFilters,
    access_agreement,
    agreement_for,
    agreement_list,
    agreements_standing,
    cancelled_agreements,
    choosers_for,
    flat_board,
    new_flats,
    next_in_turn,
    passed_over,
    published_offers,
)

PAGE_SIZE = 50


# The household's section -------------------------------------------------------------------------------------------

def agreement_section(user: Any, household: Household, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the household page's agreement section shows `user`, with `bound` forms after a refusal."""
    bound = bound or {}
    agreement = agreement_for(household)
    actions = agreement_allowed_actions(user, household, agreement)
    offers = published_offers(household) if agreement is None else []
    signatures = {s.person_id: s for s in agreement.signatures.all()} if agreement else {}
    owners = list(household.owners.order_by("pk"))
    return {
        "household": household, "agreement": agreement, "actions": actions, "offers": offers,
        "owner_rows": [(owner, signatures.get(owner.pk)) for owner in owners],
        "cancelled": list(cancelled_agreements(household)),
        "draw_form": bound.get("draw") or DrawForm(options=[o.option for o in offers]),
        "sign_form": bound.get("sign") or SignForm(agreement=agreement, household=household),
        "scan_form": bound.get("scan") or ScanForm(),
        "cancel_form": bound.get("cancel") or CancelForm(),
        "may_choose_flat": agreement is not None and agreement.status in (AgreementStatus.SIGNED,
                                                                          AgreementStatus.EFFECTIVE),
        "new_flat": NewFlat.objects.filter(chosen_by=household).first(),
    }


def household_refused(request: HttpRequest, household: Household, name: str, form: Any) -> HttpResponse:
    messages.error(request, _("Nothing was changed. Please correct the form below."))
    return render(request, "renewal/household.html", {
        "household": household, "project": household.project, "owners": household.owners.all(),
        "tabs": project_tabs(household.project_id, request.path, request.user), "signing_forms": {name: form},
    }, status=400)


def back_to(household: Household) -> HttpResponse:
    return redirect(reverse("renewal:household", args=[household.pk]) + "#agreement")


@require_POST
@login_required
def draw(request: HttpRequest, pk: int) -> HttpResponse:
    household = access_household(request.user, pk, "renewal.sign")
    form = DrawForm(request.POST, options=[o.option for o in published_offers(household)])
    if form.is_valid():
        try:
            agreement_draw(actor=request.user, household=household, option=form.cleaned_data["option"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The agreement was drawn; every owner signs it now."))
            return back_to(household)
    return household_refused(request, household, "draw", form)


@require_POST
@login_required
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk, "renewal.sign")
    household = agreement.household
    form = SignForm(request.POST, agreement=agreement, household=household)
    if form.is_valid():
        person = household.owners.filter(pk=form.cleaned_data["person"]).first()
        try:
            if person is None:
                raise ValidationError({"person": _("Only an owner of this flat signs its agreement.")})
            signed = agreement_sign(actor=request.user, agreement=agreement, person=person,
                                    witness=form.cleaned_data["witness"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if signed.sequence:
                messages.success(request, _("Every owner has signed: signing number %(n)d.") % {"n": signed.sequence})
            else:
                messages.success(request, _("%(name)s has signed.") % {"name": person.name})
            return back_to(household)
    return household_refused(request, household, "sign", form)


@require_POST
@login_required
def scan(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk, "renewal.sign")
    form = ScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            agreement_scan_attach(actor=request.user, agreement=agreement, scan=form.cleaned_data["scan"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The scan of the signed agreement was attached."))
            return back_to(agreement.household)
    return household_refused(request, agreement.household, "scan", form)


@require_POST
@login_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk, "renewal.sign")
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            agreement_cancel(actor=request.user, agreement=agreement, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The agreement was cancelled; its history is kept."))
            return back_to(agreement.household)
    return household_refused(request, agreement.household, "cancel", form)


@require_GET
@login_required
def scan_file(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.user, pk)
    if not agreement.scan:
        raise Http404
    return upload_response(agreement.scan, content_type=agreement.scan_type, name=f"agreement-{agreement.pk}")


@require_GET
@login_required
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement as a PDF, with its figures and who has signed."""
    agreement = access_agreement(request.user, pk)
    response = HttpResponse(agreement_pdf_bytes(agreement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agreement-{agreement.pk}.pdf"'
    return response


# The project's Agreements tab --------------------------------------------------------------------------------------

@login_required
def agreements(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the project's agreements stand (pending, in effect, lapsed) and its agreements the user sees, in
    signing order."""
    project = access_project(request.user, pk)
    status = request.GET.get("status", "")
    group = request.GET.get("group", "")
    filters = AgreementFilters(status=status if status in AgreementStatus.values else "",
                               group=int(group) if group.isdigit() else None, q=request.GET.get("q", "").strip()[:50])
    page = CappedPaginator(agreement_list(request.user, project, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "renewal/agreements.html", {
        "project": project, "tabs": project_tabs(project.pk, request.path, request.user), "standing": agreements_standing(project),
        "page": page, "filters": filters, "statuses": AgreementStatus.choices,
        "groups": project.work_groups.filter(kind=WorkGroupKind.FIELD).order_by("name"),
    })


# The project's Flat choice tab -------------------------------------------------------------------------------------

def flats_context(request: HttpRequest, project: Project, *, choose_form: ChooseForm | None = None,
                  import_form: FlatsImportForm | None = None) -> dict[str, Any]:
    user = request.user
    staff = can(user, "renewal.visit")  # campaign staff; owners see what is left, not who chose
    choosers = choosers_for(user, project)
    wanted = request.POST.get("household") or request.GET.get("household")
    current = next((a for a in choosers if str(a.household_id) == wanted), choosers[0] if choosers else None)
    flats = []
    if current is not None and current.entitled_area_m2 is not None:
        flats = list(new_flats(project, left_only=True, max_area=current.entitled_area_m2 + area_tolerance()))
    form = choose_form or ChooseForm(initial={"household": current.household_id if current else None}, flats=flats)
    if choose_form is not None:
        form.fields["flat"].widget.choices = ChooseForm(flats=flats).fields["flat"].widget.choices
    queue = next_in_turn(project, 5) if staff else []
    passed = passed_over(project) if staff else []
    # a household's flat is named only to those who reach it; the others see its signing number
    reachable = set(households_for(user, project).filter(pk__in=[a.household_id for a in queue + passed])
                    .values_list("pk", flat=True))
    return {
        "project": project, "tabs": project_tabs(project.pk, request.path, request.user),
        "board": flat_board(project, chosen_by=staff), "show_chosen_by": staff,
        "queue": queue, "passed": passed, "reachable": reachable,
        "choosers": choosers, "current": current, "choose_form": form, "fitting": flats,
        "skip_form": SkipForm(initial={"household": current.household_id if current else None}),
        "may_import": can(user, "renewal.manage", project),
        "import_form": import_form or FlatsImportForm(), "tolerance": area_tolerance(),
    }


@login_required
def flats(request: HttpRequest, pk: int) -> HttpResponse:
    """The flat choice: the live board, whose turn it is, choosing for the household in turn."""
    project = access_project(request.user, pk)
    return render(request, "renewal/flats.html", flats_context(request, project))


@require_GET
@login_required
def board(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the board alone, polled every few seconds."""
    project = access_project(request.user, pk)
    staff = can(request.user, "renewal.visit")
    return render(request, "renewal/_flat_board.html", {
        "project": project, "board": flat_board(project, chosen_by=staff), "show_chosen_by": staff})


def flats_refused(request: HttpRequest, project: Project, **forms: Any) -> HttpResponse:
    messages.error(request, _("Nothing was changed. Please correct the form below."))
    return render(request, "renewal/flats.html", flats_context(request, project, **forms), status=400)


@require_POST
@login_required
def choose(request: HttpRequest, pk: int) -> HttpResponse:
    project = access_project(request.user, pk)
    form = ChooseForm(request.POST)
    if form.is_valid():
        household = access_household(request.user, form.cleaned_data["household"], "renewal.select")
        if household.project_id != project.pk:
            raise Http404
        flat = NewFlat.objects.filter(project=project, pk=form.cleaned_data["flat"]).first()
        try:
            if flat is None:
                raise ValidationError({"flat": _("This flat is not one of this project's new flats.")})
            flat_choose(actor=request.user, household=household, flat=flat)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(household)s chose %(building)s %(number)s.") % {
                "household": household.flat.name, "building": flat.building, "number": flat.number})
            return redirect("renewal:flats", pk=project.pk)
    return flats_refused(request, project, choose_form=form)


@require_POST
@login_required
def skip(request: HttpRequest, pk: int) -> HttpResponse:
    project = access_project(request.user, pk)
    form = SkipForm(request.POST)
    if not form.is_valid():
        return flats_refused(request, project)
    household = access_household(request.user, form.cleaned_data["household"], "renewal.select")
    if household.project_id != project.pk:
        raise Http404
    try:
        flat_turn_skip(actor=request.user, household=household)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return render(request, "renewal/flats.html", flats_context(request, project), status=400)
    messages.success(request, _("%(household)s was passed over; they may choose when they come.") % {
        "household": household.flat.name})
    return redirect("renewal:flats", pk=project.pk)


@require_POST
@login_required
def flats_import(request: HttpRequest, pk: int) -> HttpResponse:
    project = access_project(request.user, pk, "renewal.manage")
    form = FlatsImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = new_flats_import(actor=request.user, project=project,
                                     rows=new_flat_rows(form.cleaned_data["file"]))
        except ValidationError as error:
            apply_service_errors(form, ValidationError({"file": error.messages}))
        else:
            messages.success(request, _("%(n)d new flats added to the inventory.") % {"n": len(added)})
            return redirect("renewal:flats", pk=project.pk)
    return flats_refused(request, project, import_form=form)
