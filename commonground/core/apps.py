from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "commonground.core"
    label = "core"
    verbose_name = _("Places, people and roles")

    def ready(self) -> None:
        from . import report_sections  # noqa: F401  (registers the report's first sections)
