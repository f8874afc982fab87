"""`commonground seed_categories`: load or refresh the seed category tree (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from commonground.cases.services.categories import category_seed


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  (argparse needs a str, translated at run time)
        return _("Create or update the seed case categories (by code); running it again changes nothing.")

    def handle(self, *args, **options) -> None:
        result = category_seed()
        self.stdout.write(_("Case categories: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                          % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged})
