from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "commonground.programs"
    label = "programs"
    verbose_name = _("Programmes and new employment groups")

    def ready(self) -> None:
        from commonground.web.registry import register_home_cards, register_nav

        from . import attendance_report, groups_report, home, jobs_report, rules  # noqa: F401  (permissions, report keys)

        register_nav(home.NAV)
        register_home_cards(*home.HOME_CARDS)
