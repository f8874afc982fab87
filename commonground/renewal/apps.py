from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenewalConfig(AppConfig):
    name = "commonground.renewal"
    label = "renewal"
    verbose_name = _("Renewal")

    def ready(self) -> None:
        from commonground.web.registry import register_home_cards, register_nav

        from . import home, rules  # noqa: F401  (permissions)

        register_nav(home.NAV)
        register_home_cards(*home.HOME_CARDS)
