from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "commonground.coordination"
    label = "coordination"
    verbose_name = _("Three-party coordination")

    def ready(self) -> None:
        from commonground.web.registry import register_home_cards, register_nav, register_work_cards

        from . import fund_report, home, report, rules  # noqa: F401  (permissions, the report's keys)
        from .evaluation_home import evaluation_cards
        from .fund_home import fund_review_cards

        register_nav(home.NAV)
        register_home_cards(*home.HOME_CARDS)
        register_work_cards(evaluation_cards, fund_review_cards)
