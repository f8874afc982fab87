from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "commonground.coordination"
    label = "coordination"
    verbose_name = _("Three-party coordination")

    def ready(self) -> None:
        from commonground.web.registry import register_home_cards, register_nav

        from . import home, report, rules  # noqa: F401  (permissions, the report's keys)

        register_nav(home.NAV)
        register_home_cards(*home.HOME_CARDS)

        from commonground.web.registry import register_work_cards

        from .evaluation_home import evaluation_cards

        register_work_cards(evaluation_cards)
