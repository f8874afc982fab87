from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "commonground.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from commonground.core.models.places import place_moved
        from commonground.web.registry import (
            register_header_tools,
            register_home_cards,
            register_nav,
            register_quick_actions,
            register_work_cards,
        )

        from . import home, report, rules  # noqa: F401  (permissions and report sections)
        from .services.tallies import tallies_place_moved

        place_moved.connect(tallies_place_moved, dispatch_uid="cases.tallies")

        register_nav(home.NAV)
        register_home_cards(*home.HOME_CARDS)
        register_work_cards(*home.WORK_CARDS)
        register_quick_actions(*home.QUICK_ACTIONS)
        register_header_tools(*home.HEADER_TOOLS)
