"""`commonground report`: the district report (shared/domain/REPORT.md) as JSON, HTML, XLSX or PDF."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from commonground.core.models import Place
from commonground.core.report_pdf import report_pdf
from commonground.core.report_render import report_html, report_json, report_xlsx
from commonground.core.reporting import build_report, parse_day

FORMATS = ("json", "html", "xlsx", "pdf")


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  (argparse needs a str, translated at run time)
        return _("Compute the district report for a place and a period.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scope", metavar="CODE",
                            help=_("Code of the place to report on (default: the top place)."))
        parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD",
                            help=_("First day of the period (default: 1 January of the end's year)."))
        parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD",
                            help=_("Last day of the period (default: today)."))
        parser.add_argument("--format", choices=FORMATS, default="json", help=_("Output format."))
        parser.add_argument("-o", "--output", metavar="FILE",
                            help=_("Write to this file instead of standard output."))

    def handle(self, *args, scope: str | None, start: str | None, end: str | None, format: str,
               output: str | None, **options) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            try:
                first, last = parse_day(start, "--from"), parse_day(end, "--to")
                place = self.scope(scope)
                report = build_report(scope=place, start=first, end=last)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            if format in ("xlsx", "pdf"):
                if not output:
                    raise CommandError(_("An XLSX workbook or a PDF needs a file: add -o FILE."))
                Path(output).write_bytes(report_xlsx(report) if format == "xlsx" else report_pdf(report))
                return
            text = report_json(report) if format == "json" else report_html(report)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)

    def scope(self, code: str | None) -> Place | None:
        if not code:
            return None
        place = Place.objects.filter(code=code.strip()).first()
        if place is None:
            raise CommandError(_("No place has the code “%(code)s”.") % {"code": code})
        return place
