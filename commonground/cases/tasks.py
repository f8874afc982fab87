"""Celery tasks of the case engine: idempotent wrappers around the services, run by beat
(commonground/config/celery.py) or inline when no broker is configured."""

from __future__ import annotations

from celery import shared_task

from .services.deadlines import tick
from .services.notifications import send_digests


@shared_task(name="cases.tick")
def tick_task() -> dict[str, int]:
    """The deadline job: warnings at 75% of the time limit, escalation of overdue cases."""
    result = tick()
    return {"warned": result.warned, "escalated": result.escalated}


@shared_task(name="cases.send_digests")
def send_digests_task() -> int:
    """One e-mail per user who asked for a daily digest; returns how many were sent."""
    return send_digests()
