"""Celery tasks of the business app: idempotent wrappers around the services, run by beat
(commonground/config/celery.py) or inline when no broker is configured."""

from __future__ import annotations

from celery import shared_task

from .services.risk import risk_assess_all


@shared_task(name="business.assess_risks")
def assess_risks_task() -> dict[str, int]:
    """The nightly retention assessment of every firm: warnings opened, updated, cleared and tasks opened."""
    run = risk_assess_all(actor=None)
    return {"assessed": run.assessed, "opened": run.opened, "updated": run.updated, "cleared": run.cleared,
            "handled": run.handled, "tasks": len(run.tasks)}
