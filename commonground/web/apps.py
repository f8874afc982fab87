from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "commonground.web"
    label = "web"
    verbose_name = _("Web pages")

    def ready(self) -> None:
        from .entries import HOME_CARDS, NAV
        from .registry import register_home_cards, register_nav

        register_nav(*NAV)
        register_home_cards(*HOME_CARDS)
