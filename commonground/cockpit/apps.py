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

    def tick(self) -> str:
        """`commonground tick`'s cockpit work without a broker: the early warnings' scan (idempotent); a line when
        warnings were raised, else nothing."""
        from django.utils.translation import gettext as _

        from .tasks import scan_warnings_task

        run = scan_warnings_task()
        if not run["raised"]:
            return ""
        return _("Early warnings: %(raised)d raised.") % {"raised": run["raised"]}

    def daily(self) -> str:
        """`commonground tick --digests`' cockpit work without a broker: the vitality index of yesterday (complete
        now) and today so far, written where it changed."""
        from django.utils.translation import gettext as _

        from .tasks import compute_vitality_task

        return _("Vitality index: %(rows)d unit-days computed.") % {"rows": compute_vitality_task()}
