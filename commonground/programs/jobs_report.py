"""The report's `programs` key of the jobs part: `job_positions`.

Defined, decided: the positions offered by the job postings published in the period (their `published_at` on a
day of the period, Asia/Shanghai) and posted at a place inside the scope (the posting's `place_path`), summed by
posting. A posting counts whatever became of it afterwards (filled or closed, in a fair or not); drafts never
published do not count, and a posting counts once, in the period it was published. Positions are never typed in as
a total: a job fair's figure is the sum of its postings.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from commonground.core.models import Place
from commonground.core.models.places import within_q
from commonground.core.reporting import Period, count_text, report_section

from .models import JobPosting

UNIT_POSITIONS = pgettext_lazy("report unit", "positions")


def _bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    from django.utils import timezone

    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return start, end


def published_in(scope: Place, period: Period):
    """The postings counted: published in the period (local days), posted inside the scope."""
    start, end = _bounds(period)
    return JobPosting.objects.filter(within_q("place_path", [scope.path]), published_at__isnull=False,
                                     published_at__gte=start, published_at__lt=end)


def jobs_summary(section: Mapping[str, Any]) -> list[str]:
    positions = section.get("job_positions")
    if not positions:
        return []
    return [gettext("Employers posted %(positions)s positions here in the period (counted by posting, job fairs "
                    "included).") % {"positions": count_text(positions)}]


@report_section("programs", summary=jobs_summary, labels={"job_positions": _("Job positions posted")},
                units={"job_positions": UNIT_POSITIONS})
def programs_jobs(scope: Place, period: Period) -> dict[str, Any]:
    """Positions of the postings published in the period within the scope (see the module's docstring)."""
    figures = published_in(scope, period).aggregate(positions=Sum("positions"), postings=Count("pk"))
    return {"job_positions": int(figures["positions"] or 0)}
