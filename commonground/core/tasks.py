"""Celery tasks of core: idempotent wrappers around the services."""

from __future__ import annotations

from celery import shared_task

from .rosters.jobs import import_job_run


@shared_task(name="core.run_import")
def run_import_task(job_id: int) -> str:
    """Import the roster of one queued job (a job already started or finished is left alone)."""
    return import_job_run(job_id=job_id)
