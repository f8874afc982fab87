"""`commonground backup [-o FILE]`: the database, the uploaded files and the secret key in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonground.core import clock
from commonground.core.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Back up the database (a consistent snapshot, while the site keeps serving), the uploaded files and "
            "the secret key into one .tar.gz archive.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", help="The archive to write (default: var/backups/commonground-"
                                                   "YYYYMMDD-HHMMSS.tar.gz).")

    def handle(self, *args: Any, output: str | None, **options: Any) -> None:
        started = clock.real_now()  # operations run on the wall clock, whatever the deployment's clock says
        target = Path(output) if output else (
            Path(settings.VAR_DIR) / "backups" / f"commonground-{started:%Y%m%d-%H%M%S}.tar.gz")
        try:
            manifest = backup(target, real_now=started)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest.counts.values())
        self.stdout.write(f"{target}: {manifest.engine} database ({rows} rows in {len(manifest.counts)} tables), "
                          f"{manifest.media_files} uploaded files"
                          f"{', the secret key' if manifest.secret_key else ''}.")
