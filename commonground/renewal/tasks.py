"""Celery tasks of the renewal app: idempotent wrappers around the services, run by beat
(commonground/config/celery.py) or, without a broker, from `commonground tick` (RenewalConfig.tick)."""

from __future__ import annotations

from celery import shared_task

from .services.signing import decide_all


@shared_task(name="renewal.decide_agreements")
def decide_agreements_task() -> dict[int, str]:
    """The agreements' switch for every pending project whose signing period has begun: in effect once the
    threshold is reached, lapsed after the period without it. Returns each project's state by its id."""
    return decide_all()
