from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    name = "commonground.deliberation"
    label = "deliberation"
    verbose_name = _("Deliberation")

    def ready(self) -> None:
        from commonground.web.registry import (
            register_home_cards,
            register_nav,
            register_quick_actions,
            register_work_cards,
        )

        from . import home, rules  # noqa: F401  (permissions)

        register_nav(home.NAV)
        register_home_cards(*home.HOME_CARDS)
        register_work_cards(*home.WORK_CARDS)
        register_quick_actions(*home.QUICK_ACTIONS)
