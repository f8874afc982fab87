from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    name = "commonground.cockpit"
    label = "cockpit"
    verbose_name = _("Digital cockpit")

    def ready(self) -> None:
        from commonground.web.registry import register_home_cards, register_nav

        from . import home, rules  # noqa: F401  (permissions)
        from .services import signals  # noqa: F401  (place moves rebuild the roll-ups of the sensors moved)

        register_nav(home.NAV)
        register_home_cards(*home.HOME_CARDS)
