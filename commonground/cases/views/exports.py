"""Downloads for users who may "case.export": cases in scope as CSV or XLSX (the queue's filters
apply; all stages unless one is chosen), open cases as GeoJSON."""

from __future__ import annotations

import json
from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from commonground.core import clock
from commonground.core.permissions import require, visible_to
from commonground.core.tables import table_response

from ..exports import case_table, open_cases_geojson
from ..models import Case
from ..selectors import case_queue, visible_cases
from .queue import queue_filters


def exported_cases(request: HttpRequest) -> QuerySet[Case]:
    require(request.user, "case.export")
    _form, filters = queue_filters(request)
    if filters is None:
        return Case.objects.none()
    if "stage" not in request.GET:
        filters = replace(filters, stage="all")
    if "scope" not in request.GET:  # a download is of the area unless it asks for what waits at the user's level
        filters = replace(filters, mine=False)
    return visible_to(request.user, "case.export", case_queue(request.user, filters))


def _attachment(response: HttpResponse, extension: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="cases-{clock.today():%Y%m%d}.{extension}"'
    return response


def _table(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    headers, rows, widths = case_table(request.user, exported_cases(request))
    return table_response(fmt, headers, rows, filename=f"cases-{clock.today():%Y%m%d}", title=_("Cases"),
                          widths=widths)


@require_GET
@login_required
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    return _table(request, "csv")


@require_GET
@login_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    return _table(request, "xlsx")


@require_GET
@login_required
def export_geojson(request: HttpRequest) -> HttpResponse:
    require(request.user, "case.export")
    collection = open_cases_geojson(visible_cases(request.user, "case.export"))
    response = HttpResponse(json.dumps(collection, ensure_ascii=False), content_type="application/geo+json")
    return _attachment(response, "geojson")
