"""The district report as a page, a printable HTML document and an XLSX workbook.

The figures come from `core.reporting.build_report`; this module only lays them out:
every section becomes tables of labelled figures, whatever sections the apps register.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Place, PlaceKind
from ..permissions import require, visible_to
from ..reporting import build_report, default_report_scope
from ..selectors import access_place
from ..tables import Sheet, Styled, xlsx_book

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_LEVELS = (PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY)

LABELS = {
    "organisation": gettext_lazy("Party building and organisations"),
    "renewal": gettext_lazy("Old-housing renewal"),
    "coordination": gettext_lazy("Three-party coordination"),
    "business": gettext_lazy("Business communities"),
    "programs": gettext_lazy("New employment groups"),
    "estates": gettext_lazy("Estates"),
    "estate_party_organisations": gettext_lazy("Estate party organisations"),
    "corridor_party_branches": gettext_lazy("Corridor party branches"),
    "mass_associations": gettext_lazy("Mass associations"),
    "owners_committee_formation_rate": gettext_lazy("Owners' committee formation rate"),
    "property_service_coverage_rate": gettext_lazy("Professional property service coverage"),
    "three_party_offices": gettext_lazy("Three-party offices"),
    "district": gettext_lazy("District level"),
    "street": gettext_lazy("Street level"),
    "community": gettext_lazy("Community level"),
    "estate": gettext_lazy("Estate level"),
    "building": gettext_lazy("Building level"),
    "projects": gettext_lazy("Renewal projects"),
    "name": gettext_lazy("Name"),
    "households": gettext_lazy("Households"),
    "signed": gettext_lazy("Signed"),
    "signing_rate": gettext_lazy("Signing rate"),
    "days": gettext_lazy("Days"),
    "representatives": gettext_lazy("Representatives"),
    "threshold": gettext_lazy("Required signing rate"),
    "effective": gettext_lazy("Agreements in effect"),
    "work_groups": gettext_lazy("Work groups"),
    "buildings": gettext_lazy("Buildings"),
    "micro_fund_total": gettext_lazy("Micro-governance fund (yuan)"),
    "micro_fund_approved": gettext_lazy("Micro-governance fund approved (yuan)"),
    "micro_fund_disbursed": gettext_lazy("Micro-governance fund paid out (yuan)"),
    "meetings": gettext_lazy("Meetings"),
    "resolutions": gettext_lazy("Resolutions"),
    "disputes_resolved": gettext_lazy("Disputes resolved"),
    "cases_closed_by_level": gettext_lazy("Cases closed by level"),
    "business_communities": gettext_lazy("Business communities"),
    "enterprises": gettext_lazy("Enterprises"),
    "new_enterprises_1m": gettext_lazy("New enterprises with registered capital of ¥1m or more"),
    "new_enterprises_1m_yoy": gettext_lazy("Year-on-year change of new enterprises"),
    "new_enterprises_1m_registered_capital": gettext_lazy("Their registered capital (yuan)"),
    "building_tax": gettext_lazy("Building-economy tax (yuan)"),
    "building_tax_yoy": gettext_lazy("Year-on-year change of building-economy tax"),
    "communities": gettext_lazy("Business communities"),
    "office_buildings": gettext_lazy("Office buildings"),
    "apartment_buildings": gettext_lazy("Serviced-apartment buildings"),
    "floor_area_m2": gettext_lazy("Floor area (m²)"),
    "population": gettext_lazy("Working population"),
    "needs_met": gettext_lazy("Needs met"),
    "activities": gettext_lazy("Activities"),
    "problems_collected": gettext_lazy("Problems collected"),
    "matters_solved": gettext_lazy("Matters solved"),
    "couriers_residents": gettext_lazy("Couriers and family members in residence"),
    "courier_council_matters_solved": gettext_lazy("Matters solved by the couriers' council"),
    "courses": gettext_lazy("Courses"),
    "course_attendances": gettext_lazy("Course attendances"),
    "job_positions": gettext_lazy("Job positions offered"),
    "summer_camp_days": gettext_lazy("Summer camp days"),
    "couriers_home_area_m2": gettext_lazy("Couriers' home area (m²)"),
    "period": gettext_lazy("Period"),
    "from": gettext_lazy("From"),
    "to": gettext_lazy("To"),
}
MONEY_WORDS = ("fund", "tax", "capital", "yuan", "amount")


def label(key: str) -> str:
    return str(LABELS.get(key, key.replace("_", " ")))


def is_rate(key: str) -> bool:
    return key.endswith(("_rate", "_yoy", "_share")) or key == "threshold"


@dataclass
class Cell:
    text: str
    value: Any
    percent: bool = False

    @property
    def numeric(self) -> bool:
        return isinstance(self.value, (int, float)) and not isinstance(self.value, bool)


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    figures: bool = False  # a two-column table of labelled figures (else one row per record)


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table] = field(default_factory=list)


def cell(key: str, value: Any) -> Cell:
    """A figure as shown (grouped digits, percentages, yuan) with its raw value for spreadsheets."""
    if value is None:
        return Cell("—", None)
    if isinstance(value, bool):
        return Cell(_("yes") if value else _("no"), value)
    if isinstance(value, (int, float)) and is_rate(key):
        return Cell(f"{value * 100:.2f}%", value, percent=True)
    if isinstance(value, float) and any(word in key for word in MONEY_WORDS):
        return Cell(f"¥{value:,.2f}", value)
    if isinstance(value, (int, float)):
        return Cell(f"{value:,}", value)
    return Cell(str(value), value)


def is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def tables_of(title: str, data: dict[str, Any]) -> list[Table]:
    """Scalars of `data` as one figure table, then a table for each nested mapping or list."""
    figures = Table(title, [_("Figure"), _("Value")], figures=True)
    nested: list[Table] = []
    for key, value in data.items():
        if is_scalar(value):
            figures.rows.append([Cell(label(key), key), cell(key, value)])
        elif isinstance(value, dict):
            nested += tables_of(f"{title} · {label(key)}" if title else label(key), value)
        else:
            nested += list_tables(f"{title} · {label(key)}" if title else label(key), value)
    return ([figures] if figures.rows else []) + nested


def list_tables(title: str, items: list[Any]) -> list[Table]:
    """A list of records as one table with a column per figure; nested lists follow as their own tables."""
    records = [item if isinstance(item, dict) else {"value": item} for item in items]
    keys = list(dict.fromkeys(k for record in records for k, v in record.items() if is_scalar(v)))
    table = Table(title, [label(k) for k in keys])
    nested: list[Table] = []
    for record in records:
        table.rows.append([cell(k, record.get(k)) for k in keys])
        name = str(record.get("name", ""))
        for key, value in record.items():
            if isinstance(value, dict):
                nested += tables_of(f"{name} · {label(key)}", value)
            elif isinstance(value, list):
                nested += list_tables(f"{name} · {label(key)}", value)
    return [table, *nested]


def report_sections(report: dict[str, Any]) -> list[Section]:
    """Every section of the report (all keys but scope and period) laid out as tables."""
    return [
        Section(key, label(key), tables_of("", value) if isinstance(value, dict) else list_tables("", value))
        for key, value in report.items() if key not in ("scope", "period")
    ]


def report_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


def report_html(report: dict[str, Any], *, standalone: bool = True) -> str:
    """The printable document; standalone (a file) carries its stylesheet, a served page links it (the CSP)."""
    return render_to_string("core/report.html", {"report": report, "sections": report_sections(report),
                                                 "standalone": standalone})


def report_xlsx(report: dict[str, Any]) -> bytes:
    """A workbook with the scope and period first, then one sheet per section (through the one table writer)."""
    cover = Sheet(_("Report"), [[_("Scope"), report["scope"]["name"], report["scope"]["code"]],
                                [_("Period"), report["period"]["from"], report["period"]["to"]]])
    return xlsx_book([cover, *(Sheet(section.title, _section_rows(section), widths=(40,))
                               for section in report_sections(report))])


def _section_rows(section: Section) -> Iterator[list[Any]]:
    for table in section.tables:
        if table.title:
            yield [Styled(table.title, bold=True)]
        yield [Styled(column, bold=True) for column in table.columns]
        for row in table.rows:
            yield [Styled(c.value, number_format="0.00%") if c.percent else (c.value if c.numeric else c.text)
                   for c in row]
        yield []


def parse_day(value: str | None, name: str) -> datetime.date | None:
    """A YYYY-MM-DD parameter, or None when absent; ValidationError when it is no real date."""
    if not value:
        return None
    try:
        day = parse_date(value.strip())
    except ValueError:
        day = None
    if day is None:
        raise ValidationError(_("%(name)s must be a real date written YYYY-MM-DD, not “%(value)s”.")
                              % {"name": name, "value": value})
    return day


def report_scope(user: Any, code: str | None) -> Place:
    """The place to report on: the one asked for (404 outside the user's sight), or the user's highest."""
    if code:
        place = access_place(user, code)
    else:
        try:
            place = default_report_scope(user)
        except ValidationError:
            raise Http404(_("There are no places yet.")) from None
        if place is None:
            raise PermissionDenied(_("You do not have permission to do this here."))
    require(user, "report.view", place)
    return place


@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    """The report on screen (?format=json|xlsx|html to download or print it)."""
    place = report_scope(request.user, request.GET.get("scope"))
    context: dict[str, Any] = {
        "scope": place, "start": request.GET.get("from", ""), "end": request.GET.get("to", ""),
        "places": visible_to(request.user, "report.view", Place.objects.of_kind(*REPORT_LEVELS)).only(
            "code", "name", "depth"),
    }
    try:
        start = parse_day(request.GET.get("from"), _("From"))
        end = parse_day(request.GET.get("to"), _("To"))
        report = build_report(scope=place, start=start, end=end)
    except ValidationError as error:
        context["errors"] = error.messages
        return render(request, "core/report_page.html", context, status=400)
    output = request.GET.get("format", "")
    filename = f"report-{place.code}-{report['period']['from']}-{report['period']['to']}"
    if output == "json":
        response = HttpResponse(report_json(report), content_type="application/json; charset=utf-8")
    elif output == "xlsx":
        response = HttpResponse(report_xlsx(report), content_type=XLSX_TYPE)
    elif output == "html":
        return HttpResponse(report_html(report, standalone=False))
    else:
        context.update(report=report, sections=report_sections(report), start=report["period"]["from"],
                       end=report["period"]["to"])
        return render(request, "core/report_page.html", context)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{output}"'
    return response
