"""`commonground tick`: the deadline job (warnings at 75% of the time limit, escalation of overdue
cases), every app's periodic work (an AppConfig's `tick()`, returning a line to print when it did something) and, with --digests,
the daily notification digests and every app's once-a-day work (an AppConfig's `daily()`). Idempotent: run it from cron every few
minutes (and with --digests once a day), or let Celery beat do both (commonground/config/celery.py)."""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.cases.services.deadlines import tick
from commonground.cases.services.notifications import send_digests
from commonground.core import clock


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  (argparse needs a str, translated at run time)
        return _("Warn about approaching deadlines and escalate overdue cases; with --digests, also send the "
                 "daily notification digests. Safe to run again.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--digests", action="store_true",
                            help=_("Also send the daily e-mail digests (once a day, e.g. at 08:00)."))

    def handle(self, *args, digests: bool, **options) -> None:
        now = clock.now()
        result = tick()
        self.stdout.write(_("Deadlines at %(now)s: %(warned)d warned, %(escalated)d escalated.") % {
            "now": f"{timezone.localtime(now):%Y-%m-%d %H:%M}", "warned": result.warned,
            "escalated": result.escalated})
        for config in apps.get_app_configs():  # the other apps' periodic work: an AppConfig with a tick()
            hook = getattr(config, "tick", None)
            said = hook() if callable(hook) and config.label != "cases" else ""
            if said:
                self.stdout.write(str(said))
        if digests:
            for config in apps.get_app_configs():  # the apps' once-a-day work: an AppConfig with a daily()
                hook = getattr(config, "daily", None)
                said = hook() if callable(hook) else ""
                if said:
                    self.stdout.write(str(said))
            sent = send_digests()
            self.stdout.write(_("Digests: %(sent)d sent.") % {"sent": sent})
