from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenewalConfig(AppConfig):
    name = "commonground.renewal"
    label = "renewal"
    verbose_name = _("Renewal")

    def ready(self) -> None:
        from commonground.web.registry import register_home_cards, register_nav, register_work_cards

        from . import field_home, field_rules, home, rules  # noqa: F401  (permissions)

        register_nav(home.NAV)
        register_home_cards(*home.HOME_CARDS)
        register_work_cards(field_home.fieldwork_cards)
