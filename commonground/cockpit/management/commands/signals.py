"""`commonground signals --check | --rebuild`: compare the signal roll-ups (per sensor-day, unit-hour, unit-day)
with a recount of the readings (exit status 1 when they differ); `--rebuild` replaces them by the recount first."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from commonground.cockpit.services.signals import rollups_compare, rollups_rebuild


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  (argparse needs a str, translated at run time)
        return _("Check that the signal roll-ups the cockpit reads equal a recount of the readings.")

    def add_arguments(self, parser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--check", action="store_true", help=_("Only compare (the default)."))
        group.add_argument("--rebuild", action="store_true", help=_("Recount every reading into the roll-ups first."))

    def handle(self, *args, **options) -> None:
        if options["rebuild"]:
            rollups_rebuild()
            self.stdout.write(_("The signal roll-ups were rebuilt from the readings."))
        differences = rollups_compare()
        if any(differences.values()):
            raise CommandError(_("The signal roll-ups differ from a recount: %(rows)s.")
                               % {"rows": ", ".join(f"{name} {count:,}" for name, count in differences.items())})
        self.stdout.write(_("The signal roll-ups equal a recount of the readings."))
