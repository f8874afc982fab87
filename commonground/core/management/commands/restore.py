"""`commonground restore ARCHIVE [--replace]`: put a backup back (stop the site first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonground.core.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore a backup made by `commonground backup` into the configured database, media folder and var/. "
            "Refuses a database that holds data unless --replace. Stop the site first.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="The .tar.gz written by `commonground backup`.")
        parser.add_argument("--replace", action="store_true",
                            help="Overwrite a database that holds data (and replace the uploaded files).")

    def handle(self, *args: Any, archive: str, replace: bool, **options: Any) -> None:
        try:
            report = restore(Path(archive), replace=replace)
        except (BackupError, FileNotFoundError) as error:
            raise CommandError(str(error)) from None
        if report.differences:
            raise CommandError("restored, but the row counts differ from the backup's: " + ", ".join(
                f"{table} {expected}→{found}" for table, (expected, found) in report.differences.items()))
        self.stdout.write(f"Restored {sum(report.counts.values())} rows in {len(report.counts)} tables and "
                          f"{report.media_files} uploaded files; every table's count matches the backup.")
