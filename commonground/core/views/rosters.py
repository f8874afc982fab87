"""Roster pages: upload a roster file (imported in the background), follow the import, download rosters."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods

from ..clock import today
from ..forms import apply_service_errors
from ..models import ImportJob, ImportStatus
from ..permissions import can, require, visible_to
from ..rosters import FORMATS, ROSTERS, ExportError, roster_export
from ..rosters.forms import RosterUploadForm
from ..rosters.jobs import import_job_start
from ..rosters.readers import EXTENSIONS

RECENT_JOBS = 10


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
    """Upload a roster: the file is stored and imported in the background; the job's page follows it."""
    require(request.user, "roster.import")
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_start(actor=request.user, roster=form.cleaned_data["roster"],
                                   upload=form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("core:roster-job", pk=job.pk)
    jobs = visible_to(request.user, "importjob.view", ImportJob.objects.filter(user=request.user))[:RECENT_JOBS]
    return render(request, "core/rosters/upload.html", {
        "form": form, "jobs": [(job, roster_title(job.roster)) for job in jobs], "rosters": ROSTERS.values(),
        "accept": ",".join(EXTENSIONS),
    }, status=400 if form.errors else 200)


def roster_title(name: str) -> str:
    return str(ROSTERS[name].title) if name in ROSTERS else name


@login_required
@require_GET
def roster_job(request: HttpRequest, pk: int) -> HttpResponse:
    """One import: its progress while it runs (the page polls itself), then its report."""
    job = get_object_or_404(visible_to(request.user, "importjob.view", ImportJob.objects.all()), pk=pk)
    errors = job.result.get("errors", [])
    return render(request, "core/rosters/job.html", {
        "job": job, "errors": errors, "more_errors": max(0, job.result.get("error_count", 0) - len(errors)),
        "title": roster_title(job.roster), "steps": import_steps(job),
    })


def import_steps(job: ImportJob) -> list[dict[str, str]]:
    """The steps an import goes through, each "done", "current", "failed" (a finished import with errors stops at
    the check) or "" (still to come)."""
    steps = [("upload", pgettext("import step", "Upload")), ("check", pgettext("import step", "Check every row")),
             *([] if job.dry_run else [("write", pgettext("import step", "Write"))]),
             ("done", pgettext("import step", "Done"))]
    failed = job.finished and not job.result.get("ok")
    at = "check" if failed or job.status in (ImportStatus.QUEUED, ImportStatus.CHECKING) else \
        "write" if job.status == ImportStatus.WRITING else None
    position = [key for key, _label in steps].index(at) if at else len(steps)
    return [{"key": key, "label": label,
             "state": "done" if index < position else ("failed" if failed else "current") if index == position else ""}
            for index, (key, label) in enumerate(steps)]


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
