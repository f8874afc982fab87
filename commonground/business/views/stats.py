"""Pages of the stats part: the building-economy statistics of a place in the user's scope over a period, with
charts, the business communities' table, and its export (XLSX/CSV through core/tables.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from commonground.core.reporting import Period, resolve_period
from commonground.core.tables import table_response

from ..models import EnterpriseStatus
from ..stats_forms import StatsForm
from ..stats_selectors import BusinessStats, access_stats_scope, business_stats, monthly_series

CENT = Decimal("0.01")


def _filters(request: HttpRequest) -> tuple[StatsForm, BusinessStats]:
    """The form and the statistics it asks for (the user's highest place and this year to today by default);
    a place outside the user's scope is a 404."""
    form = StatsForm(request.GET or None, user=request.user)
    start = end = code = None
    if form.is_bound and form.is_valid():
        start, end, code = form.cleaned_data.get("start"), form.cleaned_data.get("end"), form.cleaned_data["scope"]
    elif form.is_bound and "scope" in form.errors:
        raise Http404(_("No such place in your area."))
    scope = access_stats_scope(request.user, code)
    period: Period = resolve_period(start, end)
    if not form.is_bound:
        form = StatsForm(user=request.user, initial={"scope": scope.code, "start": period.start, "end": period.end})
    return form, business_stats(scope, period)


def _chart(stats: BusinessStats) -> dict[str, Any]:
    year = stats.period.end.year
    series = monthly_series(stats.scope, year)
    return {
        "months": [_("Month %(number)s") % {"number": month} for month in range(1, 13)],
        "years": [str(year), str(year - 1)],
        "new_1m": [series["new_1m"][year], series["new_1m"][year - 1]],
        "tax": [series["tax"][year], series["tax"][year - 1]],
        "grades": [{"name": _("Grade A"), "value": stats.total.grades["grade_a"]},
                   {"name": _("Grade B"), "value": stats.total.grades["grade_b"]},
                   {"name": _("Grade C"), "value": stats.total.grades["grade_c"]},
                   {"name": _("Not graded"), "value": stats.total.grades["ungraded"]}],
        "labels": {"new_1m": _("New ¥1m+ enterprises by month of registration"),
                   "tax": _("Building-economy tax by month (yuan)")},
    }


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def change(value: float | None) -> str:
    return "" if value is None else f"{value * 100:+.2f}%"


def amount(value: Any, places: int = 2) -> str:
    return "—" if value is None else f"{value:,.{places}f}"


def _key_figures(stats: BusinessStats) -> list[dict[str, Any]]:
    """The page's key figures: label, the figure as shown, its change on the year before (None: not compared,
    "" with `no_base`: the year before had none)."""
    total = stats.total
    return [
        {"key": "new_enterprises_1m", "label": _("New enterprises with registered capital of ¥1m or more"),
         "value": f"{total.new_1m:,}", "change": change(total.new_1m_yoy), "no_base": total.new_1m_yoy is None,
         "last": f"{total.new_1m_last_year:,}"},
        {"key": "new_enterprises_1m_registered_capital", "label": _("Their registered capital (10,000 yuan)"),
         "value": amount(total.new_1m_capital / 10000)},
        {"key": "building_tax", "label": _("Building-economy tax (10,000 yuan)"), "value": amount(total.tax / 10000),
         "change": change(total.tax_yoy), "no_base": total.tax_yoy is None,
         "last": amount(total.tax_last_year / 10000)},
        {"key": "occupancy_rate", "label": _("Occupancy of the business buildings"),
         "value": percent(total.occupancy_rate)},
        {"key": "registered_here_rate", "label": _("Firms present registered at their building"),
         "value": percent(total.registered_here_rate)},
        {"key": "tax_per_m2", "label": _("Tax per m² in use (yuan)"), "value": amount(total.tax_per_m2)},
        {"key": "enterprises", "label": _("Operating enterprises"), "value": f"{total.enterprises:,}"},
        {"key": "buildings", "label": _("Office buildings"), "value": f"{total.office_buildings:,}"},
    ]


def _rows(stats: BusinessStats) -> list[dict[str, Any]]:
    return [{"stats": row, "floor_area": amount(row.floor_area_m2, 0), "occupancy": percent(row.occupancy_rate),
             "registered_here": percent(row.registered_here_rate), "tax": amount(row.tax / 10000),
             "tax_change": change(row.tax_yoy), "tax_per_m2": amount(row.tax_per_m2),
             "first_year": (row.cases_from, row.cases_to) != (stats.period.start, stats.period.end)}
            for row in stats.communities]


def _month_rows(chart: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The charts' figures as a table: per month the new firms of both years, then the tax of both years."""
    return [(month, [f"{chart['new_1m'][0][i]:,}", f"{chart['new_1m'][1][i]:,}", amount(chart["tax"][0][i]),
                     amount(chart["tax"][1][i])]) for i, month in enumerate(chart["months"])]


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """Key figures with their change on the year before, charts by month, grades and the business communities."""
    form, stats = _filters(request)
    chart = _chart(stats)
    return render(request, "business/stats.html", {
        "form": form, "stats": stats, "total": stats.total, "chart": chart, "month_rows": _month_rows(chart),
        "figures": _key_figures(stats), "rows": _rows(stats),
        "statuses": [(label, stats.total.by_status[value]) for value, label in EnterpriseStatus.choices],
        "tax_first": stats.tax_months[0] if stats.tax_months else None,
        "tax_last": stats.tax_months[-1] if stats.tax_months else None,
    })


def export_headers() -> list[str]:
    return [_("Business community"), _("Office buildings"), _("Serviced-apartment buildings"),
            _("Floor area (m²)"), _("Occupancy rate"), _("Operating enterprises"), _("Working population"),
            _("New ¥1m+ enterprises"), _("A year earlier"), _("Their registered capital (yuan)"),
            _("Building-economy tax (yuan)"), _("Tax a year earlier (yuan)"), _("Registered where present"),
            _("Tax per m² in use (yuan)"), _("Grade A"), _("Grade B"), _("Grade C"), _("Not graded"),
            _("Disputes resolved"), _("Enterprise needs met"), _("Problems collected"), _("Matters solved")]


def cents(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def export_rows(stats: BusinessStats) -> list[list[Any]]:
    rows = []
    for row in [*stats.communities, stats.total]:
        name = row.name or _("Total: %(place)s") % {"place": stats.scope.name}
        rows.append([name, row.office_buildings, row.apartment_buildings, cents(row.floor_area_m2),
                     row.occupancy_rate, row.enterprises, row.population, row.new_1m, row.new_1m_last_year,
                     cents(row.new_1m_capital), cents(row.tax), cents(row.tax_last_year), row.registered_here_rate, row.tax_per_m2, row.grades["grade_a"],
                     row.grades["grade_b"], row.grades["grade_c"], row.grades["ungraded"], row.disputes_resolved,
                     row.needs_met, row.problems_collected, row.matters_solved])
    return rows


@login_required
def statistics_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("No such format."))
    _form, stats = _filters(request)
    return table_response(fmt, export_headers(), export_rows(stats),
                          filename=f"business-statistics-{stats.period.start}-{stats.period.end}",
                          title=_("Building-economy statistics"))


urlpatterns: list[URLPattern] = [
    path("statistics/", statistics, name="statistics"),
    path("statistics/export.<str:fmt>", statistics_export, name="statistics_export"),
]
