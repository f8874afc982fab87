"""The estate pages: the street's or district's list of estates by their warnings ("where to act first"), its
export, an estate's profile, and the forms recording a property contract and a committee's filing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from commonground.core.forms import apply_service_errors
from commonground.core.models import PlaceKind
from commonground.core.permissions import can, require
from commonground.core.tables import table_response

from ..evaluation_selectors import estate_evaluation
from ..fund_selectors import fund_projects_of_estate
from ..profile_forms import ContractForm, FilingForm
from ..profile_rules import LABELS
from ..profile_selectors import (
    EstateFilters,
    access_estate_profile,
    estate_committee,
    estate_profile,
    estates_by_warning,
    filter_places,
)
from ..services.profiles import committee_filing_record, property_contract_record

PAGE_SIZE = 50


@login_required
def estates(request: HttpRequest) -> HttpResponse:
    """Every estate the user reaches, most urgent first, with the counts of each warning and the formation rate."""
    require(request.user, "coordination.view")
    filters = EstateFilters.from_mapping(request.GET)
    found = estates_by_warning(request.user, None, filters)
    page = Paginator(found.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "coordination/estates.html", {
        "found": found, "page": page, "filters": filters,
        "kinds": [(kind, label, found.counts[kind]) for kind, label in LABELS.items()],
        "streets": filter_places(request.user, None, PlaceKind.STREET),
        "communities": filter_places(request.user, None, PlaceKind.COMMUNITY),
    })


@login_required
def estates_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The list as the user sees it (same scope and filters), as CSV or XLSX."""
    require(request.user, "coordination.view")
    found = estates_by_warning(request.user, None, EstateFilters.from_mapping(request.GET))
    headers = [_("Street"), _("Community"), _("Estate"), _("Warnings found"), _("Open cases"), _("Overdue cases"),
               _("Committee term to"), _("Contract ends on")]
    rows = ([row.street, row.community, row.name, "；".join(w.label for w in row.warnings), row.open_cases,
             row.facts.overdue, row.facts.term_to, row.facts.contract_ends_on] for row in found.rows)
    return table_response(fmt, headers, rows, filename="estates", title=_("Estates by warning"))


@login_required
def estate(request: HttpRequest, pk: int) -> HttpResponse:
    """An estate's governance profile."""
    place = access_estate_profile(request.user, pk)
    context = estate_profile(place, request.user)
    if can(request.user, "evaluation.view", place):
        context["evaluation"] = estate_evaluation(place, request.user)
    if can(request.user, "fund.view", place):
        context["fund_projects"] = fund_projects_of_estate(place)
    return render(request, "coordination/estate.html", context)


def _record(request: HttpRequest, pk: int, form_class, template: str, save) -> HttpResponse:
    place = access_estate_profile(request.user, pk)
    if not can(request.user, "coordination.manage", place):
        raise PermissionDenied
    kwargs = {"estate": place} if form_class is ContractForm else {}
    form = form_class(request.POST or None, **kwargs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                save(place, form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("coordination:estate", pk=place.pk)
        status = 400
    return render(request, template, {"estate": place, "form": form}, status=status)


@login_required
def contract_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the estate's property service contract."""
    def save(place, data):
        property_contract_record(actor=request.user, estate=place, **data)
    return _record(request, pk, ContractForm, "coordination/estate_contract_form.html", save)


@login_required
def filing_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the filing of the estate's owners' committee in force."""
    def save(place, data):
        committee = estate_committee(place)
        if committee is None:
            raise ValidationError({"term_from": _("The estate has no owners' committee to file.")})
        committee_filing_record(actor=request.user, committee=committee, **data)
    return _record(request, pk, FilingForm, "coordination/estate_filing_form.html", save)


urlpatterns: list[URLPattern] = [
    path("estates/", estates, name="estates"),
    path("estates/export.csv", estates_export, {"fmt": "csv"}, name="estates-csv"),
    path("estates/export.xlsx", estates_export, {"fmt": "xlsx"}, name="estates-xlsx"),
    path("estates/<int:pk>/", estate, name="estate"),
    path("estates/<int:pk>/contract/", contract_new, name="estate-contract"),
    path("estates/<int:pk>/filing/", filing_new, name="estate-filing"),
]
