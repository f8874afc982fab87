"""The report's `programs` keys this part fills, and the business communities' `activities` count, from the
attendance records and sessions in scope and period.

- `courses`: courses (kind course, not cancelled) of places inside the scope with a session in the period.
- `course_attendances`: attendance records of those courses' sessions in the period.
- `summer_camp_days`: days in the period on which a camp (kind camp) of a place inside the scope held a session
  that recorded attendance — a day the camp ran, however many groups met that day; a day of two camps counts once.
- `business.communities`: per business community inside the scope (in path order), {"name", "activities"}: its
  activities (at the business community or its office buildings, not cancelled) with a session in the period. The
  business section's other keys come from its own app; `core.reporting` merges lists of named rows by "name", so
  this part adds "activities" to the row of the same community.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from commonground.core.models import Place, PlaceKind
from commonground.core.models.places import within_q
from commonground.core.reporting import Period, count_text, report_section

from .models import Activity, ActivityKind, ActivitySession, ActivityStatus, Attendance

UNIT_COURSES = pgettext_lazy("report unit", "courses")
UNIT_ATTENDANCES = pgettext_lazy("report unit", "attendances")
UNIT_DAYS = pgettext_lazy("report unit", "days")
UNIT_ACTIVITIES = pgettext_lazy("report unit", "activities")


def _held_in(period: Period) -> Exists:
    """The activity has a session whose (local) day lies in the period."""
    return Exists(ActivitySession.objects.filter(
        activity=OuterRef("pk"), starts_at__date__gte=period.start, starts_at__date__lte=period.end))


def programs_summary(section: Mapping[str, Any]) -> list[str]:
    if "courses" not in section:
        return []
    sentences = [gettext("%(courses)s courses were held in the period, with %(attendances)s attendances recorded.")
                 % {"courses": count_text(section["courses"]),
                    "attendances": count_text(section["course_attendances"])}]
    if section.get("summer_camp_days"):
        sentences.append(gettext("The summer camp ran on %(days)s days.")
                         % {"days": count_text(section["summer_camp_days"])})
    return sentences


def business_activities_summary(section: Mapping[str, Any]) -> list[str]:
    rows = [row for row in section.get("communities", []) if row.get("activities")]
    if not rows:
        return []
    return [gettext("Business communities held %(total)s activities in the period; the most, %(top)s, in %(name)s.")
            % {"total": count_text(sum(row["activities"] for row in rows)),
               "top": count_text(max(row["activities"] for row in rows)),
               "name": max(rows, key=lambda row: row["activities"])["name"]}]


@report_section("programs", title=_("Programmes and new employment groups"), summary=programs_summary, labels={
    "courses": _("Courses held"),
    "course_attendances": _("Course attendances"),
    "summer_camp_days": _("Summer camp days"),
}, units={"courses": UNIT_COURSES, "course_attendances": UNIT_ATTENDANCES, "summer_camp_days": UNIT_DAYS})
def programs_attendance(scope: Place, period: Period) -> dict[str, Any]:
    """Courses held, their attendances and the summer camp's days, inside the scope in the period."""
    courses = Activity.objects.filter(within_q("place_path", [scope.path]), kind=ActivityKind.COURSE).exclude(
        status=ActivityStatus.CANCELLED)
    attendances = Attendance.objects.filter(within_q("place_path", [scope.path]), day__gte=period.start,
                                            day__lte=period.end)
    return {
        "courses": courses.filter(_held_in(period)).count(),
        "course_attendances": attendances.filter(activity__kind=ActivityKind.COURSE).exclude(
            activity__status=ActivityStatus.CANCELLED).count(),
        "summer_camp_days": attendances.filter(activity__kind=ActivityKind.CAMP).exclude(
            activity__status=ActivityStatus.CANCELLED).values("day").distinct().count(),
    }


@report_section("business", summary=business_activities_summary, labels={
    "activities": _("Activities held"),
}, units={"activities": UNIT_ACTIVITIES})
def business_activities(scope: Place, period: Period) -> dict[str, Any]:
    """Per business community inside the scope: its activities with a session in the period (two queries)."""
    communities = list(Place.objects.filter(within_q("path", [scope.path]), kind=PlaceKind.BUSINESS_COMMUNITY)
                       .order_by("path").values_list("path", "name"))
    if not communities:
        return {}
    paths = Activity.objects.filter(within_q("place_path", [path for path, _name in communities])).exclude(
        status=ActivityStatus.CANCELLED).filter(_held_in(period)).values_list("place_path", flat=True)
    counts = dict.fromkeys((path for path, _name in communities), 0)
    width = len(communities[0][0])
    for path in paths:
        key = path[:width]
        if key in counts:
            counts[key] += 1
    return {"communities": [{"name": name, "activities": counts[path]} for path, name in communities]}
