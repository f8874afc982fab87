from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenewalConfig(AppConfig):
    name = "commonground.renewal"
    label = "renewal"
    verbose_name = _("Renewal")

    def ready(self) -> None:
        from commonground.web.registry import register_nav, register_work_cards

        from . import home, progress_cards, report, rules  # noqa: F401  (permissions, the report's section)

        register_nav(home.NAV)
        register_work_cards(*progress_cards.WORK_CARDS)
