from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenewalConfig(AppConfig):
    name = "commonground.renewal"
    label = "renewal"
    verbose_name = _("Renewal")

    def ready(self) -> None:
        from commonground.web.registry import register_home_cards, register_nav, register_work_cards

        # permissions, the report's section
        from . import field_home, field_rules, home, progress_cards, report, rules  # noqa: F401

        register_nav(home.NAV)
        register_home_cards(*home.HOME_CARDS)
        register_work_cards(field_home.fieldwork_cards, *progress_cards.WORK_CARDS)

    def tick(self) -> str:
        """`commonground tick`'s renewal work without a broker: the agreements' switch (renewal.decide_agreements);
        a line when a project's agreements took effect or lapsed, else nothing."""
        from django.utils.translation import gettext as _

        from .models import AgreementsState
        from .services.signing import decide_all

        decided = [state for state in decide_all().values() if state != AgreementsState.PENDING]
        if not decided:
            return ""
        return _("Renewal agreements: %(effective)d projects in effect, %(lapsed)d lapsed.") % {
            "effective": decided.count(AgreementsState.EFFECTIVE), "lapsed": decided.count(AgreementsState.LAPSED)}
