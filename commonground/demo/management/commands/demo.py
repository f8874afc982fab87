"""`commonground demo`: build the demo district (拱墅区) and print its logins."""

from __future__ import annotations

import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from commonground.cases.demo.synthetic import add_cases
from commonground.cases.models import Case
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
        parser.add_argument("--cases", type=int, default=0, metavar="N",
                            help=_("Then add N cases cloned from the demo's, spread over 2019-09 to the demo's "
                                   "today, to measure at a district's size (also into a database holding the "
                                   "demo)."))

    def handle(self, *args, if_empty: bool, accounts: bool, seed: int, no_progress: bool, cases: int,
               **options) -> None:
        if accounts:
            self.print_accounts()
            return
        if cases < 0:
            raise CommandError(_("--cases takes a number of cases, 0 or more."))
        show = not no_progress and options["verbosity"] > 0
        if cases and Place.objects.exists():
            self.add_cases(cases, seed, show)
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
        ctx = build_demo(seed=seed, progress=show)
        elapsed = time.perf_counter() - started
        self.stdout.write(_("demo built in %(seconds).1f s") % {"seconds": elapsed})
        self.stdout.write(", ".join(f"{name} {n}" for name, n in sorted(ctx.counts.items())))
        self.stdout.write(", ".join(f"{name} {s:.1f} s" for name, s in ctx.seconds.items()))
        if cases:
            self.add_cases(cases, seed, show)
        self.print_accounts()

    def add_cases(self, count: int, seed: int, show: bool) -> None:
        if not Case.objects.filter(closed_at__isnull=False).exists():
            raise CommandError(_("There are no closed cases to clone: build the demo first."))
        started = time.perf_counter()
        with tqdm(total=count, unit=_("cases"), disable=not show) as bar:
            events = add_cases(count, seed=seed, progress=bar.update)
        self.stdout.write(_("%(cases)d cases and %(events)d events added in %(seconds).1f s") % {
            "cases": count, "events": events, "seconds": time.perf_counter() - started})

    def print_accounts(self) -> None:
        rows = account_rows()
        if not rows:
            self.stdout.write(_("There are no demo logins in this database."))
            return
        header = (_("username"), _("password"), _("role"), _("scope"))
        self.stdout.write(table(header, rows))
