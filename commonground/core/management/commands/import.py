"""`commonground import ROSTER FILE [--dry-run] [--user USERNAME]`: check every row, then write all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from commonground.core.rosters import ROSTERS, RosterFileError, read_table, roster_import
from commonground.core.rosters.cli import find_user, tqdm_progress


class Command(BaseCommand):
    help = "Import a roster (places, people, households, ownership) from a CSV or XLSX file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("roster", choices=sorted(ROSTERS))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and write nothing.")
        parser.add_argument("--user", help="Import as this user, within their permissions (default: the system).")

    def handle(self, *args: Any, roster: str, file: str, dry_run: bool, user: str | None, **options: Any) -> None:
        importer = find_user(user)
        try:
            table = read_table(file)
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}) from None
        except RosterFileError as error:
            raise CommandError(str(error)) from None
        progress = tqdm_progress(self.stderr._out)
        try:
            result = roster_import(roster=roster, table=table, actor=importer, dry_run=dry_run, progress=progress)
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        if result.ignored_columns:
            self.stderr.write(_("Ignored columns: %(columns)s") % {"columns": "、".join(result.ignored_columns)})
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("Nothing was imported: %(rows)d rows have errors.") % {"rows": result.error_rows}, returncode=1
            )
        self.stdout.write(result.summary())
        if not result.dry_run:
            self.stderr.write(_("Written in one transaction of %(seconds).2f s.") % {"seconds": result.write_seconds})

