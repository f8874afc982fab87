"""The district report as a page, and as a download or a printable document of that page's scope and period."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ..models import Place, PlaceKind
from ..permissions import require, visible_to
from ..report_pdf import report_pdf
from ..report_render import report_context, report_html, report_json, report_xlsx
from ..reporting import build_report, default_report_scope, parse_day
from ..selectors import access_place

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_LEVELS = (PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY)


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


def report_places(user: Any) -> list[Place]:
    """The places the user may report on, by name, indented under the one above them (no codes: people read
    names)."""
    places = list(visible_to(user, "report.view", Place.objects.of_kind(*REPORT_LEVELS)).only(
        "code", "name", "depth", "path"))
    top = min((place.depth for place in places), default=0)
    for place in places:
        place.indent = "\u3000" * (place.depth - top)
    return places


@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    """The report on screen (?format=json|xlsx|pdf|html to download or print it)."""
    place = report_scope(request.user, request.GET.get("scope"))
    context: dict[str, Any] = {
        "scope": place, "start": request.GET.get("from", ""), "end": request.GET.get("to", ""),
        "places": report_places(request.user),
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
    elif output == "pdf":
        response = HttpResponse(report_pdf(report), content_type="application/pdf")
    elif output == "html":
        return HttpResponse(report_html(report, standalone=False))
    else:
        context.update(report_context(report), start=report["period"]["from"], end=report["period"]["to"])
        return render(request, "core/report_page.html", context)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{output}"'
    return response
