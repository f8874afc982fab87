from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "commonground.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from commonground.web.registry import register_header_tools, register_home_cards, register_nav

        from . import home, report, rules  # noqa: F401  (permissions and report sections)

        register_nav(home.NAV)
        register_home_cards(*home.HOME_CARDS)
        register_header_tools(*home.HEADER_TOOLS)
