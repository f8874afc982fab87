"""`commonground tallies [--rebuild]`: compare the case roll-ups with a recount of the cases (exit status 1 when
they differ); `--rebuild` replaces them by the recount first."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from commonground.cases.services.tallies import tallies_compare, tallies_rebuild


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  (argparse needs a str, translated at run time)
        return _("Check that the case counts kept for figures and reports equal a recount of the cases.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rebuild", action="store_true",
                            help=_("Recount every case into the roll-ups first."))

    def handle(self, *args, **options) -> None:
        if options["rebuild"]:
            written = tallies_rebuild()
            self.stdout.write(_("Rebuilt: %(rows)s.") % {"rows": _rows(written)})
        differences = tallies_compare()
        if any(differences.values()):
            raise CommandError(_("The roll-ups differ from a recount: %(rows)s.") % {"rows": _rows(differences)})
        self.stdout.write(_("The roll-ups equal a recount of the cases."))


def _rows(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count:,}" for name, count in counts.items())
