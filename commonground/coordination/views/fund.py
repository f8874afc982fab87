"""The fund pages: the funds, a fund with its projects by stage and its money, a project with the steps the user
may take, the project form with its budget lines, the ledger export, and the public page per fund (no login)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core import clock
from commonground.core.forms import apply_service_errors
from commonground.core.models import Place
from commonground.core.pagination import CappedPaginator
from commonground.core.permissions import can, require
from commonground.core.tables import table_response
from commonground.core.uploads import upload_response
from commonground.deliberation.models import Resolution, Vote

from ..fund_forms import (
    AcceptanceForm,
    BudgetLineFormSet,
    DisbursementForm,
    FundProjectForm,
    NewFundForm,
    PhotoForm,
    ReviewForm,
)
from ..fund_selectors import (
    ProjectFilters,
    access_fund,
    access_fund_project,
    apply_estates,
    decision_choices,
    fund_figures,
    fund_places,
    fund_project_detail,
    fund_project_list,
    fund_projects_for,
    funds_for,
    ledger_headers,
    ledger_rows,
    public_photo,
    public_projects,
)
from ..models import Fund, FundStage, ReviewLevel
from ..services.fund import (
    disbursement_record,
    fund_create,
    fund_project_accept,
    fund_project_allowed_actions,
    fund_project_complete,
    fund_project_create,
    fund_project_review,
    fund_project_submit,
    fund_project_update,
    fund_project_withdraw,
    project_photo_add,
    review_permission,
)

PAGE_SIZE = 50


@login_required
def funds(request: HttpRequest) -> HttpResponse:
    """The funds the user sees, with their money, and the projects the user sees across them."""
    stage = request.GET.get("stage", "")
    stage = stage if stage in FundStage.values else ""
    awaiting = request.GET.get("awaiting") == "1"
    rows = fund_project_list(request.user, ProjectFilters(stage=stage, awaiting=awaiting))
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "coordination/fund_list.html", {
        "funds": list(funds_for(request.user)[:20]), "page": page, "stage": stage, "stages": FundStage.choices,
        "awaiting": awaiting, "may_open": bool(fund_places(request.user))})


@login_required
def fund_new(request: HttpRequest) -> HttpResponse:
    """The fund office opens a fund (a year's money) at a place where it holds "fund.approve"."""
    places = fund_places(request.user)
    if not places:
        raise PermissionDenied
    form = NewFundForm(request.POST or None, places=places,
                       initial={"year": clock.today().year, "place": str(places[0].pk)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        place = next(place for place in places if str(place.pk) == data["place"])
        try:
            created = fund_create(actor=request.user, place=place, name=data["name"], year=data["year"],
                                  total=data["total"], opens_on=data["opens_on"], closes_on=data["closes_on"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("coordination:fund", pk=created.pk)
    return render(request, "coordination/fund_new.html", {"form": form},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def fund(request: HttpRequest, pk: int) -> HttpResponse:
    """A fund: its money bar, its projects (those the user sees) by stage, and the way to apply."""
    item = access_fund(request.user, pk)
    visible = fund_projects_for(request.user).filter(fund=item)
    stage = request.GET.get("stage", "")
    stage = stage if stage in FundStage.values else ""
    rows = fund_project_list(request.user, ProjectFilters(fund=item.pk, stage=stage))
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "coordination/fund_detail.html", {
        "fund": item, "figures": fund_figures(item, visible), "money": fund_figures(item, visible.none()),
        "page": page, "stage": stage, "may_apply": apply_estates(request.user, item).exists(),
    })


@login_required
def ledger(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The fund ledger (projects and their payments) as the user sees it, as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    item = access_fund(request.user, pk)
    return table_response(fmt, ledger_headers(), ledger_rows(request.user, item), filename=f"fund-{item.pk}-ledger",
                          title=_("Fund ledger"), widths=(30, 16, 12, 16, 12, 12, 12, 12, 12, 12, 12, 12, 12, 20))


def _project_form(request: HttpRequest, fund: Fund, project=None) -> tuple[FundProjectForm, Any]:
    estates_qs = apply_estates(request.user, fund) if project is None else None
    estates = [(e.pk, e.name) for e in estates_qs[:1000]] if estates_qs is not None else None
    scope = estates_qs if project is None else Place.objects.filter(pk=project.estate_id)
    resolutions, votes = decision_choices(scope)
    data = request.POST if request.method == "POST" else None
    initial = {}
    lines_initial = []
    if project is not None:
        initial = {"title": project.title, "description": project.description,
                   "resolution": project.resolution_id or "", "vote": project.vote_id or ""}
        lines_initial = [{"item": line.item, "quantity": line.quantity, "unit": line.unit,
                          "unit_price": line.unit_price} for line in project.budget_lines.all()]
    form = FundProjectForm(data, initial=initial, estates=estates, resolutions=resolutions, votes=votes)
    lines = BudgetLineFormSet(data, initial=lines_initial, prefix="lines")
    return form, lines


def _save_project(request: HttpRequest, fund: Fund, form: FundProjectForm, lines: Any, project=None):
    if not (form.is_valid() and lines.is_valid()):
        return None
    data = form.cleaned_data
    rows = [line.cleaned_data for line in lines.forms if line.cleaned_data and not line.cleaned_data.get("DELETE")]
    resolution = Resolution.objects.filter(pk=data["resolution"]).first() if data["resolution"] else None
    vote = Vote.objects.filter(pk=data["vote"]).first() if data["vote"] else None
    try:
        if project is None:
            estate = get_object_or_404(apply_estates(request.user, fund), pk=data["estate"])
            return fund_project_create(actor=request.user, fund=fund, estate=estate, title=data["title"],
                                       description=data["description"], resolution=resolution, vote=vote,
                                       lines=rows)
        return fund_project_update(actor=request.user, project=project, title=data["title"],
                                   description=data["description"], resolution=resolution, vote=vote, lines=rows)
    except ValidationError as error:
        apply_service_errors(form, error)
        return None


@login_required
def project_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A new draft project on the fund, with its budget lines."""
    item = access_fund(request.user, pk)
    if not apply_estates(request.user, item).exists():
        access_fund(request.user, pk, "fund.apply")  # 403
    form, lines = _project_form(request, item)
    if request.method == "POST":
        project = _save_project(request, item, form, lines)
        if project is not None:
            return redirect("coordination:fund-project", project.pk)
    return render(request, "coordination/fund_project_form.html", {"fund": item, "form": form, "lines": lines},
                  status=400 if request.method == "POST" else 200)


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft project and its budget lines."""
    project = access_fund_project(request.user, pk, "fund.apply")
    if "edit" not in fund_project_allowed_actions(request.user, project):
        return redirect("coordination:fund-project", project.pk)
    form, lines = _project_form(request, project.fund, project)
    if request.method == "POST":
        saved = _save_project(request, project.fund, form, lines, project)
        if saved is not None:
            return redirect("coordination:fund-project", saved.pk)
    return render(request, "coordination/fund_project_form.html", {
        "fund": project.fund, "project": project, "form": form, "lines": lines},
        status=400 if request.method == "POST" else 200)


def _action_forms(project, actions: list[str], bound: dict[str, Any] | None = None) -> dict[str, Any]:
    bound = bound or {}
    forms: dict[str, Any] = {}
    if "review" in actions:
        forms["review"] = bound.get("review") or ReviewForm()
        if review_permission(project)[0] != ReviewLevel.FUND_OFFICE:
            del forms["review"].fields["amount"]
    if "disburse" in actions:
        forms["disburse"] = bound.get("disburse") or DisbursementForm()
    if "photo" in actions:
        forms["photo"] = bound.get("photo") or PhotoForm()
    if "accept" in actions:
        forms["accept"] = bound.get("accept") or AcceptanceForm()
    return forms


def _project_page(request: HttpRequest, project, *, bound: dict[str, Any] | None = None,
                  error: str = "", status: int = 200) -> HttpResponse:
    actions = fund_project_allowed_actions(request.user, project)
    return render(request, "coordination/fund_project.html", {
        "project": project, "fund": project.fund, **fund_project_detail(project), "actions": actions,
        "forms": _action_forms(project, actions, bound), "error": error,
        "review_level": (review_permission(project) or ("",))[0],
        "may_see_decision": project.resolution_id and can(request.user, "meeting.view", project.resolution.meeting),
    }, status=status)


@login_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    """A project: its facts, budget, supporting decision, review trail, payments, photos, acceptance and the
    steps the user may take."""
    return _project_page(request, access_fund_project(request.user, pk))


def _require_for(actor: Any, project: Any, action: str) -> None:
    if action == "review":
        needed = review_permission(project)
        if needed is not None:
            require(actor, needed[1], needed[2])
    elif action == "disburse":
        require(actor, "fund.approve", project.fund)
    elif action in ("photo", "accept"):
        if not (can(actor, "fund.apply", project) or can(actor, "fund.review_community", project)):
            require(actor, "fund.apply", project)
    else:
        require(actor, "fund.apply", project)


ACTIONS = ("submit", "withdraw", "review", "disburse", "photo", "complete", "accept")
FORMS = {"review": ReviewForm, "disburse": DisbursementForm, "photo": PhotoForm, "accept": AcceptanceForm}


@login_required
@require_POST
def project_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step on the project (submit, withdraw, review, disburse, photo, complete, accept) through its service;
    a refusal shows the page again with the reason."""
    if action not in ACTIONS:
        raise Http404
    project = access_fund_project(request.user, pk)
    if action not in fund_project_allowed_actions(request.user, project):
        _require_for(request.user, project, action)  # 403 when the step is not theirs at all
        return _project_page(request, project, error=_("This step is not open on the project now."), status=400)
    form = FORMS[action](request.POST, request.FILES) if action in FORMS else None
    if form is not None and action == "review" and review_permission(project)[0] != ReviewLevel.FUND_OFFICE:
        del form.fields["amount"]
    if form is not None and not form.is_valid():
        return _project_page(request, project, bound={action: form}, status=400)
    data = form.cleaned_data if form is not None else {}
    try:
        if action == "submit":
            fund_project_submit(actor=request.user, project=project)
        elif action == "withdraw":
            fund_project_withdraw(actor=request.user, project=project)
        elif action == "review":
            fund_project_review(actor=request.user, project=project, decision=data["decision"],
                                comment=data["comment"], amount=data.get("amount"))
        elif action == "disburse":
            disbursement_record(actor=request.user, project=project, amount=data["amount"],
                                paid_on=data["paid_on"], receipt=data["receipt"], note=data["note"])
        elif action == "photo":
            project_photo_add(actor=request.user, project=project, kind=data["kind"], image=data["image"],
                              caption=data["caption"])
        elif action == "complete":
            fund_project_complete(actor=request.user, project=project)
        elif action == "accept":
            fund_project_accept(actor=request.user, project=project, result=data["result"], note=data["note"],
                                accepted_on=data["accepted_on"])
    except ValidationError as error:
        if form is not None:
            apply_service_errors(form, error)
            return _project_page(request, project, bound={action: form}, status=400)
        return _project_page(request, project, error=" ".join(error.messages), status=400)
    return redirect("coordination:fund-project", project.pk)


@login_required
def project_photo(request: HttpRequest, pk: int, photo: int) -> HttpResponse:
    project = access_fund_project(request.user, pk)
    item = get_object_or_404(project.photos, pk=photo)
    return upload_response(item.image, content_type=item.image_type, name=f"fund-photo-{item.pk}")


@login_required
def project_receipt(request: HttpRequest, pk: int, payment: int) -> HttpResponse:
    project = access_fund_project(request.user, pk)
    item = get_object_or_404(project.disbursements, pk=payment)
    return upload_response(item.receipt, content_type=item.receipt_type, name=f"fund-receipt-{item.pk}")


def public(request: HttpRequest, pk: int) -> HttpResponse:
    """The public page of a fund (公开透明, no login): its money and every project ever submitted, with its
    estate, amounts and stage; no names of people."""
    item = get_object_or_404(Fund.objects.select_related("place"), pk=pk)
    return render(request, "coordination/fund_public.html", {
        "fund": item, "money": fund_figures(item, item.projects.none()), "projects": public_projects(item)})


def public_photo_view(request: HttpRequest, pk: int, photo: int) -> HttpResponse:
    item = public_photo(get_object_or_404(Fund, pk=pk), photo)
    if item is None:
        raise Http404
    return upload_response(item.image, content_type=item.image_type, name=f"fund-photo-{item.pk}")


urlpatterns = [
    path("funds/", funds, name="funds"),
    path("funds/new/", fund_new, name="fund-new"),
    path("funds/<int:pk>/", fund, name="fund"),
    path("funds/<int:pk>/ledger.<str:fmt>", ledger, name="fund-ledger"),
    path("funds/<int:pk>/projects/new/", project_new, name="fund-project-new"),
    # published for everyone, no login (公开透明): under /coordination/public/, which the crawl knows as public
    path("public/funds/<int:pk>/", public, name="fund-public"),
    path("public/funds/<int:pk>/photos/<int:photo>/", public_photo_view, name="fund-public-photo"),
    path("fund-projects/<int:pk>/", project, name="fund-project"),
    path("fund-projects/<int:pk>/edit/", project_edit, name="fund-project-edit"),
    path("fund-projects/<int:pk>/photos/<int:photo>/", project_photo, name="fund-project-photo"),
    path("fund-projects/<int:pk>/receipts/<int:payment>/", project_receipt, name="fund-project-receipt"),
    path("fund-projects/<int:pk>/<str:action>/", project_act, name="fund-project-act"),
]
