"""Celery tasks of the deliberation app: idempotent wrappers around the services, run by beat
(commonground/config/celery.py) or inline when no broker is configured."""

from __future__ import annotations

from celery import shared_task

from .services.reminders import remind_committee_terms


@shared_task(name="deliberation.remind_terms")
def remind_committee_terms_task() -> int:
    """The daily reminder to the street office before an owners' committee's term ends; returns how many
    notifications were sent."""
    return remind_committee_terms()
