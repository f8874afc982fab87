from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenewalConfig(AppConfig):
    name = "commonground.renewal"
    label = "renewal"
    verbose_name = _("Renewal")

    def ready(self) -> None:
        from commonground.web.registry import register_nav

        from . import home, rules  # noqa: F401  (permissions)

        register_nav(home.NAV)

    def tick(self) -> str:
        """`commonground tick`'s renewal work without a broker: the agreements' switch (renewal.decide_agreements)."""
        from django.utils.translation import gettext as _

        from .services.signing import decide_all

        states = decide_all()
        return _("Renewal agreements: %(count)d pending projects decided.") % {"count": len(states)}
