"""Pages of the ledgers part: the enterprise ledger (list, new, edit, contacts, tax records), the building ledger
(list with counts per business community, a building's page with its ledger form and its firms), exports and
imports. Thin: reads through ledgers_selectors, writes through the services, refusals re-render with the
message (400), what the user may not see answers 404, what they see but may not do 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.forms import apply_service_errors
from commonground.core.models import Place, PlaceKind
from commonground.core.pagination import CappedPaginator
from commonground.core.permissions import can
from commonground.core.tables import table_response

from ..ledgers_forms import BuildingLedgerForm, ContactForm, EnterpriseForm, LedgerImportForm, TaxForm
from ..ledgers_selectors import (
    EnterpriseFilters,
    access_building,
    access_enterprise,
    building_counts,
    building_ledger,
    buildings_visible,
    contact_shown,
    enterprise_list,
    enterprises_of_building,
    enterprises_visible,
    tax_records_of,
)
from ..models import BuildingLedger, EnterpriseContact, EnterpriseStatus, EnterpriseTier
from ..services.ledgers import building_ledger_set, enterprise_create, enterprise_update, tax_record_set
from ..services.ledgers_contacts import enterprise_contact_add, enterprise_contact_update
from ..services.ledgers_import import (
    ENTERPRISE_COLUMNS,
    TAX_COLUMNS,
    building_columns,
    ledger_import,
    template_headers,
)

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000
IMPORT_KINDS = {"enterprises": "enterprise.manage", "tax": "taxrecord.manage", "buildings": "buildingledger.manage"}


def profile_url_name() -> str:
    """The enterprise's own page (the profile part's) when it exists, else its edit page here."""
    try:
        reverse("business:enterprise", args=["91330105MA0000001P"])
    except NoReverseMatch:
        return "business:enterprise_edit"
    return "business:enterprise"


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 1990 <= int(text) <= 2100 else clock.today().year


def _communities(request: HttpRequest) -> Any:
    return Place.objects.filter(kind=PlaceKind.BUSINESS_COMMUNITY,
                                pk__in=buildings_visible(request.user).values("parent")).order_by("path")


def _contact_cells(row: Any) -> tuple[str, str]:
    contact = row.primary_contacts[0] if row.primary_contacts else None
    return contact_shown(contact, row.personal_in_full)


# The enterprise ledger ---------------------------------------------------------------------------------------------

@login_required
def enterprises(request: HttpRequest) -> HttpResponse:
    """The enterprise ledger the user sees, filtered, a page at a time (the count stops at 10,000). An
    enterprise's contact is sent to their own firm's page."""
    if not (can(request.user, "enterprise.view") or can(request.user, "commissioner.work")):
        own = enterprises_visible(request.user).order_by("pk").first() if can(request.user, "enterprise.self") \
            else None
        if own is None:
            raise PermissionDenied
        return redirect(profile_url_name(), credit_code=own.credit_code)
    filters = EnterpriseFilters.from_mapping(request.GET)
    page = CappedPaginator(enterprise_list(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(row, *_contact_cells(row)) for row in page.object_list]
    buildings = buildings_visible(request.user).order_by("path")
    if filters.community:
        buildings = buildings.filter(parent__code=filters.community)
    return render(request, "business/ledgers_enterprises.html", {
        "page": page, "rows": rows, "filters": filters, "communities": _communities(request),
        "buildings": buildings, "statuses": EnterpriseStatus.choices, "tiers": EnterpriseTier.choices,
        "may_manage": can(request.user, "enterprise.manage"), "profile_url": profile_url_name()})


@login_required
def enterprises_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The enterprise ledger as the user sees it (same scope, filters and masking), as CSV or XLSX."""
    if not (can(request.user, "enterprise.view") or can(request.user, "commissioner.work")):
        raise PermissionDenied
    found = enterprise_list(request.user, EnterpriseFilters.from_mapping(request.GET))[:EXPORT_LIMIT]
    headers = [*template_headers(ENTERPRISE_COLUMNS)[:-1], "联系人", "联系电话"]

    def rows():
        for row in found.iterator(chunk_size=2000):
            name, phone = _contact_cells(row)
            yield [row.credit_code, row.name, row.industry_code, row.registered_capital, row.registered_on,
                   row.registered_address, row.building.code if row.building else "",
                   row.registered_building.code if row.registered_building else "", row.floor, row.room,
                   row.headcount, row.get_status_display(), row.get_tier_display(), row.moved_in_on, name, phone]
    if fmt not in ("csv", "xlsx"):
        raise Http404
    return table_response(fmt, headers, rows(), filename="enterprise-ledger", title=_("Enterprise ledger"))


def _enterprise_form(request: HttpRequest, form: EnterpriseForm, enterprise: Any = None) -> HttpResponse:
    return render(request, "business/ledgers_enterprise_form.html", {
        "form": form, "enterprise": enterprise, "profile_url": profile_url_name()},
        status=400 if form.errors else 200)


@login_required
def enterprise_new(request: HttpRequest) -> HttpResponse:
    """Enter an enterprise in the ledger."""
    if not can(request.user, "enterprise.manage"):
        raise PermissionDenied
    buildings = buildings_visible(request.user).order_by("path")
    form = EnterpriseForm(request.POST or None, buildings=buildings)
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        try:
            enterprise = enterprise_create(actor=request.user, credit_code=form.cleaned_data["credit_code"],
                                           name=data.pop("name"), registered_on=data.pop("registered_on"), **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is in the ledger.") % {"name": enterprise.name})
            return redirect("business:enterprise_edit", credit_code=enterprise.credit_code)
    return _enterprise_form(request, form)


@login_required
def enterprise_edit(request: HttpRequest, credit_code: str) -> HttpResponse:
    """An enterprise's ledger facts (editable for those who manage it), its contacts and a link to its tax."""
    enterprise = access_enterprise(request.user, credit_code)
    if request.method == "POST" and not can(request.user, "enterprise.manage", enterprise):
        raise PermissionDenied
    buildings = buildings_visible(request.user).order_by("path")
    initial = {field: getattr(enterprise, field) for field in EnterpriseForm.base_fields
               if field not in ("building", "registered_building")}
    initial.update(building=enterprise.building.code if enterprise.building else None,
                   registered_building=enterprise.registered_building.code if enterprise.registered_building
                   else None)
    form = EnterpriseForm(request.POST or None, initial=initial, buildings=buildings, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise_update(actor=request.user, enterprise=enterprise, **form.changes())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The ledger facts of %(name)s are saved.") % {"name": enterprise.name})
            return redirect("business:enterprise_edit", credit_code=enterprise.credit_code)
    in_full = can(request.user, "enterprise.view_personal_data", enterprise)
    contacts = [(contact, *contact_shown(contact, in_full)) for contact in enterprise.contacts.all()]
    return render(request, "business/ledgers_enterprise_form.html", {
        "form": form, "enterprise": enterprise, "contacts": contacts, "profile_url": profile_url_name(),
        "may_manage": can(request.user, "enterprise.manage", enterprise),
        "may_see_tax": can(request.user, "taxrecord.view", enterprise)}, status=400 if form.errors else 200)


@login_required
def enterprise_contact(request: HttpRequest, credit_code: str, pk: int | None = None) -> HttpResponse:
    """Add a contact person to an enterprise, or change one."""
    enterprise = access_enterprise(request.user, credit_code, "enterprise.manage")
    contact = get_object_or_404(EnterpriseContact, pk=pk, enterprise=enterprise) if pk else None
    initial = {"name": contact.name, "phone": contact.phone, "title": contact.title,
               "is_primary": contact.is_primary} if contact else None
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if contact:
                enterprise_contact_update(actor=request.user, contact=contact, **form.cleaned_data)
            else:
                enterprise_contact_add(actor=request.user, enterprise=enterprise, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The contact person is saved."))
            return redirect("business:enterprise_edit", credit_code=enterprise.credit_code)
    return render(request, "business/ledgers_contact_form.html", {
        "form": form, "enterprise": enterprise, "contact": contact}, status=400 if form.errors else 200)


@login_required
def enterprise_tax(request: HttpRequest, credit_code: str) -> HttpResponse:
    """An enterprise's tax records, and (for those who manage them) a month's figure to set."""
    enterprise = access_enterprise(request.user, credit_code, "taxrecord.view")
    may_manage = can(request.user, "taxrecord.manage", enterprise)
    if request.method == "POST" and not may_manage:
        raise PermissionDenied
    today = clock.today()
    form = TaxForm(request.POST or None, initial={"year": today.year, "month": today.month})
    if request.method == "POST" and form.is_valid():
        try:
            tax_record_set(actor=request.user, enterprise=enterprise, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The tax figure is saved."))
            return redirect("business:enterprise_tax", credit_code=enterprise.credit_code)
    return render(request, "business/ledgers_tax.html", {
        "enterprise": enterprise, "records": tax_records_of(enterprise), "form": form, "may_manage": may_manage,
        "profile_url": profile_url_name()}, status=400 if form.errors else 200)


# The building ledger -----------------------------------------------------------------------------------------------

@login_required
def buildings(request: HttpRequest) -> HttpResponse:
    """The building ledger: per business community its buildings' figures and their subtotal."""
    if not (can(request.user, "buildingledger.view") or can(request.user, "commissioner.work")):
        raise PermissionDenied
    year = _year(request)
    community = request.GET.get("community", "")[:64]
    return render(request, "business/ledgers_buildings.html", {
        "groups": building_ledger(request.user, year, community=community), "year": year,
        "community": community, "communities": _communities(request),
        "may_import": can(request.user, "buildingledger.manage")})


@login_required
def buildings_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The building ledger as the user sees it, with each business community's subtotal, as CSV or XLSX."""
    if not (can(request.user, "buildingledger.view") or can(request.user, "commissioner.work")):
        raise PermissionDenied
    year = _year(request)
    groups = building_ledger(request.user, year, community=request.GET.get("community", "")[:64])
    headers = ["商务社区", "楼宇编码", "楼宇", "建筑面积（m²）", "空置面积（m²）", "入驻率", "入驻且注册在本楼",
               "入驻但注册在外", "注册在本楼但未入驻", f"{year}年有税收", f"{year}年无税收", "楼宇等级", "评分"]

    def line(community: str, code: str, name: str, counts: Any) -> list[Any]:
        return [community, code, name, counts.floor_area_m2, counts.vacant_area_m2, counts.occupancy,
                counts.here_registered, counts.here_registered_elsewhere, counts.registered_not_present,
                counts.with_tax, counts.without_tax, counts.grade, counts.grade_score]

    def rows():
        for group in groups:
            for place, counts in group.rows:
                yield line(group.community.name, place.code, place.name, counts)
            yield line(group.community.name, "", _("subtotal of the business community"), group.total)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    return table_response(fmt, headers, rows(), filename="building-ledger", title=_("Building ledger"))


@login_required
def building(request: HttpRequest, code: str) -> HttpResponse:
    """A building's ledger: its figures, the ledger form (vacant area, grading indicators → grade) and its firms."""
    place = access_building(request.user, code)
    may_manage = can(request.user, "buildingledger.manage", place)
    if request.method == "POST" and not may_manage:
        raise PermissionDenied
    ledger = BuildingLedger.objects.filter(building=place).first()
    initial: dict[str, Any] = {"vacant_area_m2": ledger.vacant_area_m2 if ledger else 0}
    if ledger:
        initial.update({f"indicator_{code}": value for code, value in ledger.indicators.items()})
    form = BuildingLedgerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        vacant, indicators = form.values()
        try:
            building_ledger_set(actor=request.user, building=place, vacant_area_m2=vacant, indicators=indicators)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The building's ledger is saved."))
            return redirect("business:building", code=place.code)
    from ..ledgers_selectors import building_ledger_rows

    row = building_ledger_rows(buildings_visible(request.user).filter(pk=place.pk), _year(request)).get()
    page = CappedPaginator(enterprises_of_building(request.user, place), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "business/ledgers_building.html", {
        "building": place, "counts": building_counts(row), "ledger": ledger, "form": form,
        "may_manage": may_manage, "page": page, "rows": [(e, *_contact_cells(e)) for e in page.object_list],
        "profile_url": profile_url_name(), "year": _year(request)}, status=400 if form.errors else 200)


# Imports -----------------------------------------------------------------------------------------------------------

def _import_columns(kind: str) -> dict[str, tuple[str, ...]]:
    return {"enterprises": ENTERPRISE_COLUMNS, "tax": TAX_COLUMNS}.get(kind) or building_columns()


@login_required
def ledger_import_page(request: HttpRequest, kind: str) -> HttpResponse:
    """Upload a ledger file; all or nothing, with every error by row and column, or a summary of what changed."""
    if kind not in IMPORT_KINDS:
        raise Http404
    if not can(request.user, IMPORT_KINDS[kind]):
        raise PermissionDenied
    form = LedgerImportForm(request.POST or None, request.FILES or None)
    summary = None
    if request.method == "POST" and form.is_valid():
        try:
            summary = ledger_import(actor=request.user, kind=kind, upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file" if "file" in error.message_dict else None,
                           error.message_dict.get("file") or error.message_dict.get("rows") or error.messages)
    titles = {"enterprises": _("Import the enterprise ledger"), "tax": _("Import tax records"),
              "buildings": _("Import the building ledger")}
    return render(request, "business/ledgers_import.html", {
        "form": form, "kind": kind, "title": titles[kind], "summary": summary,
        "headers": template_headers(_import_columns(kind))}, status=400 if form.errors else 200)


@login_required
def ledger_import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """An empty import file with the headers the import reads."""
    if kind not in IMPORT_KINDS:
        raise Http404
    if not can(request.user, IMPORT_KINDS[kind]):
        raise PermissionDenied
    if fmt not in ("csv", "xlsx"):
        raise Http404
    return table_response(fmt, template_headers(_import_columns(kind)), [], filename=f"{kind}-template",
                          title=_("Ledger import template"))


urlpatterns: list = [
    path("enterprises/", enterprises, name="enterprises"),
    path("enterprises/export.<str:fmt>", enterprises_export, name="enterprises_export"),
    path("enterprises/new/", enterprise_new, name="enterprise_new"),
    path("enterprises/<str:credit_code>/ledger/", enterprise_edit, name="enterprise_edit"),
    path("enterprises/<str:credit_code>/contacts/new/", enterprise_contact, name="enterprise_contact_new"),
    path("enterprises/<str:credit_code>/contacts/<int:pk>/", enterprise_contact, name="enterprise_contact_edit"),
    path("enterprises/<str:credit_code>/tax/", enterprise_tax, name="enterprise_tax"),
    path("buildings/", buildings, name="buildings"),
    path("buildings/export.<str:fmt>", buildings_export, name="buildings_export"),
    path("buildings/<str:code>/", building, name="building"),
    path("ledger-import/<str:kind>/", ledger_import_page, name="ledger_import"),
    path("ledger-import/<str:kind>/template.<str:fmt>", ledger_import_template, name="ledger_import_template"),
]
