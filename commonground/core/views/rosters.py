"""Roster pages: upload a roster file, download rosters. Permission-checked with the one resolver."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ..clock import today
from ..permissions import can, require
from ..rosters import FORMATS, ROSTERS, ExportError, RosterFileError, read_table, roster_export, roster_import
from ..rosters.forms import RosterUploadForm

MAX_ERRORS_SHOWN = 500


@login_required
@require_GET
def roster_index(request: HttpRequest) -> HttpResponse:
    """Export links for each roster, and the way to the upload page."""
    may_import, may_export = can(request.user, "roster.import"), can(request.user, "roster.export")
    if not (may_import or may_export):
        raise PermissionDenied(_("You do not have permission to do this here."))
    return render(request, "core/rosters/index.html", {
        "rosters": ROSTERS.values(), "formats": FORMATS, "may_import": may_import, "may_export": may_export,
    })


@login_required
@require_http_methods(["GET", "POST"])
def roster_upload(request: HttpRequest) -> HttpResponse:
    """Upload a roster: every bad cell is listed and nothing is written, or the summary is shown."""
    require(request.user, "roster.import")
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload, upload.name)
        except RosterFileError as error:
            form.add_error("file", str(error))
        else:
            result = roster_import(roster=form.cleaned_data["roster"], table=table, user=request.user,
                                   dry_run=form.cleaned_data["dry_run"])
    return render(request, "core/rosters/upload.html", {
        "form": form, "result": result, "errors": result.errors[:MAX_ERRORS_SHOWN] if result else [],
        "more_errors": max(0, len(result.errors) - MAX_ERRORS_SHOWN) if result else 0,
    })


@login_required
@require_GET
def roster_download(request: HttpRequest, roster: str) -> HttpResponse:
    """The roster as CSV or XLSX (?format=), optionally under one place (?scope=CODE)."""
    fmt = request.GET.get("format", "csv")
    if roster not in ROSTERS or fmt not in FORMATS:
        raise Http404
    require(request.user, "roster.export")
    try:
        data = roster_export(roster=roster, fmt=fmt, user=request.user, scope_code=request.GET.get("scope") or None)
    except ExportError as error:
        raise Http404(str(error)) from None
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{roster}-{today():%Y%m%d}.{fmt}"'
    return response
