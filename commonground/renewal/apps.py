from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenewalConfig(AppConfig):
    name = "commonground.renewal"
    label = "renewal"
    verbose_name = _("Renewal")

    def ready(self) -> None:
        from . import rules  # noqa: F401  (permissions)
