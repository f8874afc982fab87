"""`commonground demo`: build the demo district (拱墅区) and print its logins."""

from __future__ import annotations

import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from commonground.core.models import Place, User
from commonground.demo.accounts import USERNAMES, account_rows
from commonground.demo.builder import DEFAULT_SEED, build_demo


def width(text: str) -> int:
    """Columns `text` takes in a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        lines.append("  ".join(cell + " " * (w - width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  (argparse needs a str, translated at run time)
        return _("Build the demo district (拱墅区) into an empty database and print the demo logins.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true",
                            help=_("Do nothing when the database already holds places."))
        parser.add_argument("--accounts", action="store_true",
                            help=_("Only print the demo logins (username, password, role, scope)."))
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help=_("Seed of the random choices (the same seed builds the same district)."))
        parser.add_argument("--no-progress", action="store_true", help=_("Do not show a progress bar."))

    def handle(self, *args, if_empty: bool, accounts: bool, seed: int, no_progress: bool, **options) -> None:
        if accounts:
            self.print_accounts()
            return
        if Place.objects.exists():
            if if_empty:
                self.stdout.write(_("The database already holds places: the demo district was not built."))
                return
            raise CommandError(_("The database already holds places; the demo district is only built into an "
                                 "empty database. Use --if-empty to skip quietly."))
        taken = list(User.objects.filter(username__in=USERNAMES).values_list("username", flat=True))
        if taken:
            raise CommandError(_("These demo usernames are already taken: %(names)s.") % {"names": ", ".join(taken)})
        started = time.perf_counter()
        ctx = build_demo(seed=seed, progress=not no_progress and options["verbosity"] > 0)
        elapsed = time.perf_counter() - started
        self.stdout.write(_("demo built in %(seconds).1f s") % {"seconds": elapsed})
        self.stdout.write(", ".join(f"{name} {n}" for name, n in sorted(ctx.counts.items())))
        self.print_accounts()

    def print_accounts(self) -> None:
        rows = account_rows()
        if not rows:
            self.stdout.write(_("There are no demo logins in this database."))
            return
        header = (_("username"), _("password"), _("role"), _("scope"))
        self.stdout.write(table(header, rows))
