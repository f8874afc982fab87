from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusinessConfig(AppConfig):
    name = "commonground.business"
    label = "business"
    verbose_name = _("Business communities and the building economy")

    def ready(self) -> None:
        from commonground.web.registry import register_home_cards, register_nav

        from . import home, report, rules  # noqa: F401  (permissions, report keys)

        register_nav(home.NAV)
        register_home_cards(*home.HOME_CARDS)
