"""`commonground export ROSTER [--format csv|xlsx] [--scope CODE] [--user USERNAME] [-o FILE]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from commonground.core.rosters import FORMATS, ROSTERS, ExportError, roster_export
from commonground.core.rosters.cli import find_user


class Command(BaseCommand):
    help = "Export a roster as CSV (UTF-8 with BOM, for Excel) or XLSX; personal data masked for --user as needed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("roster", choices=sorted(ROSTERS))
        parser.add_argument("--format", dest="fmt", choices=sorted(FORMATS), default="csv")
        parser.add_argument("--scope", help="Only rows under the place with this code.")
        parser.add_argument("--user", help="Export what this user may see (default: the system, everything).")
        parser.add_argument("-o", "--output", help="Write to this file (default: standard output).")

    def handle(self, *args: Any, roster: str, fmt: str, scope: str | None, user: str | None,
               output: str | None, **options: Any) -> None:
        try:
            data = roster_export(roster=roster, fmt=fmt, user=find_user(user), scope_code=scope)
        except (PermissionDenied, ExportError) as error:
            raise CommandError(str(error)) from None
        if output:
            Path(output).write_bytes(data)
            return
        binary = getattr(self.stdout._out, "buffer", None)
        if binary is not None:
            binary.write(data)
            binary.flush()
        elif fmt == "csv":
            self.stdout.write(data.decode("utf-8-sig"), ending="")
        else:
            raise CommandError(_("XLSX cannot be written to this output; use -o FILE."))
