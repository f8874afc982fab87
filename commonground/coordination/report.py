"""The report's `coordination` keys this app fills: `meetings` and `resolutions` (deliberation's meetings held in
the scope in the period, and what they resolved). The case keys come from the case engine; the fund's from
`fund_report.py`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from commonground.core.models import Place
from commonground.core.models.places import within_q
from commonground.core.reporting import Period, count_text, report_section
from commonground.deliberation.models import Meeting, MeetingStatus

UNIT_MEETINGS = pgettext_lazy("report unit", "meetings")  # 场
UNIT_RESOLUTIONS = pgettext_lazy("report unit", "resolutions")  # 项


def meetings_summary(section: Mapping[str, Any]) -> list[str]:
    if "meetings" not in section:
        return []
    if not section["meetings"]:
        return [gettext("No deliberation meeting was held in the period.")]
    return [ngettext("%(meetings)s deliberation meeting was held and adopted %(resolutions)s resolutions.",
                     "%(meetings)s deliberation meetings were held and adopted %(resolutions)s resolutions.",
                     section["meetings"]) % {
        "meetings": count_text(section["meetings"]), "resolutions": count_text(section["resolutions"])}]


@report_section("coordination", summary=meetings_summary, labels={
    "meetings": _("Deliberation meetings held"),
    "resolutions": _("Resolutions adopted"),
}, units={"meetings": UNIT_MEETINGS, "resolutions": UNIT_RESOLUTIONS})
def coordination_meetings(scope: Place, period: Period) -> dict[str, Any]:
    """Meetings held (not planned or cancelled) that started in the period, at places inside the scope."""
    figures = Meeting.objects.filter(
        within_q("place__path", [scope.path]), status=MeetingStatus.HELD,
        starts_at__date__gte=period.start, starts_at__date__lte=period.end,
    ).aggregate(meetings=Count("pk", distinct=True), resolutions=Count("resolutions"))
    return {"meetings": figures["meetings"], "resolutions": figures["resolutions"]}
