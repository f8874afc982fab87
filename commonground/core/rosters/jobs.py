"""Roster imports from the web run as background jobs: the request stores the file and returns; a worker
imports it (core.background), and the page polls the job's progress and shows its report."""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from .. import background, clock
from ..models import ImportJob, ImportStatus, User
from ..permissions import require
from .importing import roster_import
from .readers import RosterFileError, check_roster_file, read_table
from .results import ImportResult
from .specs import ROSTERS

logger = logging.getLogger(__name__)
ERRORS_KEPT = 500  # a report lists this many problems, then counts the rest
PROGRESS_SECONDS = 0.5  # how often a running job writes its progress


@transaction.atomic
def import_job_start(*, actor: User, roster: str, upload: UploadedFile, dry_run: bool = False) -> ImportJob:
    """Store the file and queue its import; the import itself runs after the commit, off the request."""
    require(actor, "roster.import")
    if roster not in ROSTERS:
        raise ValidationError({"roster": _("There is no such roster.")})
    check_roster_file(upload)
    suffix = Path(upload.name or "").suffix.lower()
    job = ImportJob(user=actor, roster=roster, file_name=(upload.name or "")[:255], dry_run=dry_run)
    job.file.save(secrets.token_hex(16) + suffix, upload, save=False)
    job.save()
    transaction.on_commit(lambda: background.start("core.run_import", job.pk))
    return job


class JobProgress:
    """The ProgressFactory an import reports to: the checking phase's rows go to the job row (at most every
    PROGRESS_SECONDS); the writing phase runs in the import's own short transaction and is shown as such."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.written_at = 0.0

    def __call__(self, *, desc: str, total: int) -> JobProgress:
        self.writing = desc == _("Writing")
        status = ImportStatus.WRITING if self.writing else ImportStatus.CHECKING
        self.job.done, self.job.total, self.job.status = 0, total, status
        ImportJob.objects.filter(pk=self.job.pk).update(done=0, total=total, status=status)
        return self

    def update(self, n: int = 1) -> None:
        self.job.done = min(self.job.done + n, self.job.total)
        if not self.writing and time.monotonic() - self.written_at >= PROGRESS_SECONDS:
            self.written_at = time.monotonic()
            ImportJob.objects.filter(pk=self.job.pk).update(done=self.job.done)

    def close(self) -> None:
        if not self.writing:
            ImportJob.objects.filter(pk=self.job.pk).update(done=self.job.done)


def import_job_run(*, job_id: int) -> str:
    """Import one queued job's file (running it twice does nothing), keep its report, delete the file."""
    if not ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(status=ImportStatus.CHECKING):
        return "skipped"
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    try:
        with job.file.open("rb") as handle:
            table = read_table(handle.read(), job.file_name)
        result = roster_import(roster=job.roster, table=table, actor=job.user, dry_run=job.dry_run,
                               progress=JobProgress(job))
        report, status = result_report(result), ImportStatus.DONE
    except RosterFileError as error:
        report, status = {"ok": False, "errors": [{"row": 0, "column": "", "message": str(error)}],
                          "error_count": 1, "error_rows": 1}, ImportStatus.FAILED
    except Exception:
        logger.exception("roster import job %s failed", job_id)
        report, status = {"ok": False, "errors": [{"row": 0, "column": "", "message": _(
            "The import stopped on an unexpected error; nothing was imported. The error has been recorded.")}],
            "error_count": 1, "error_rows": 1}, ImportStatus.FAILED
    job.file.delete(save=False)  # the roster held ID numbers; the report is what stays
    ImportJob.objects.filter(pk=job_id).update(status=status, result=report, file="", finished_at=clock.now())
    return status


def result_report(result: ImportResult) -> dict[str, Any]:
    """The import's report as the job keeps it (the first ERRORS_KEPT problems, and how many there were)."""
    return {
        "ok": result.ok, "dry_run": result.dry_run, "created": result.created, "updated": result.updated,
        "unchanged": result.unchanged, "summary": result.summary(), "ignored_columns": result.ignored_columns,
        "error_count": len(result.errors), "error_rows": result.error_rows,
        "errors": [asdict(error) for error in result.errors[:ERRORS_KEPT]],
    }
