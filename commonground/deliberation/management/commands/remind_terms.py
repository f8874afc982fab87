"""`commonground remind_terms`: tell the street office about owners' committees whose term ends within the
reminder window (3 months in Hangzhou). Idempotent: run it daily from cron, or let Celery beat do it."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from commonground.deliberation.services.reminders import remind_committee_terms


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  (argparse needs a str, translated at run time)
        return _("Remind the street office of owners' committees whose term is ending. Safe to run again.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", metavar="YYYY-MM-DD", help=_("Count from this day instead of today."))

    def handle(self, *args, on: str | None, **options) -> None:
        try:
            day = datetime.date.fromisoformat(on) if on else None
        except ValueError as error:
            raise CommandError(_("--on must be a date like 2025-06-30.")) from error
        sent = remind_committee_terms(on=day)
        self.stdout.write(_("Committee terms: %(sent)d reminders sent.") % {"sent": sent})
