"""The report's `renewal` section (shared/domain/REPORT.md): each renewal project of the scope with its signing
figures, computed from the records at the time of the call.

Definitions:
- projects: those whose estate lies in the report's scope (the estate's path under the scope's) and whose signing
  period overlaps the report's period (signing from on or before the period's end, and either no end of signing
  or one on or after the period's start); a project that has no signing date yet is not in the report. In order of
  the estate's path, then the project's id.
- households: the project's households (one per flat with an owner on the ownership register it was opened on).
- signed: households with `signed_at` set before the end of the report's last day (local time).
- signing_rate: signed / households, rounded to 4 places (547 of 548 is 0.9982); 0.0 without households.
- days: from the project's mobilisation (`mobilised_on`, else the start of signing) to the date of the last
  signature counted, both days counted (浙工新村: 2023-04-07 to 2023-06-30 is 85 days); null when nobody signed.
- representatives: the CONFIRMED renewal representatives (deliberation) of the estate's buildings, confirmed on or
  before the period's end.
- threshold: the project's signing threshold for effect, as a fraction.
- effective: whether the project's agreements are in effect (`agreements_state == effective`).
- work_groups: the project's FIELD work groups, in the order they were set up (一组, 二组, ...), each with the buildings it owns, its households,
  those signed (as above) and its signing rate.

A fixed number of queries whatever the number of projects: households and signatures are counted per project and
per group with GROUP BY, representatives per estate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Max, Q
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from commonground.core.models import Place
from commonground.core.reporting import Period, count_text, rate, rate_text, report_section

from .models import AgreementsState, Household, Project, WorkGroup, WorkGroupBuilding, WorkGroupKind
from .progress_selectors import day_end, local_day

UNIT_HOUSEHOLDS = pgettext_lazy("report unit", "households")  # 户
UNIT_DAYS = pgettext_lazy("report unit", "days")  # 天
UNIT_PEOPLE = pgettext_lazy("report unit", "people")  # 人


def renewal_summary(section: Mapping[str, Any]) -> list[str]:
    projects = section.get("projects", [])
    if not projects:
        return [gettext("No renewal project was signing in the period.")]
    sentences = []
    for project in projects:
        figures = {"name": project["name"], "households": count_text(project["households"]),
                   "signed": count_text(project["signed"]), "rate": rate_text(project["signing_rate"], 2),
                   "days": count_text(project["days"]), "representatives": count_text(project["representatives"])}
        if project["days"] is None:
            sentences.append(gettext("%(name)s: %(households)s households, none signed yet.") % figures)
        else:
            sentences.append(ngettext(
                "%(name)s: %(signed)s of %(households)s households signed in %(days)s day (%(rate)s), with "
                "%(representatives)s renewal representatives.",
                "%(name)s: %(signed)s of %(households)s households signed in %(days)s days (%(rate)s), with "
                "%(representatives)s renewal representatives.", project["days"]) % figures)
        sentences.append(gettext("The agreements are in effect.") if project["effective"] else
                         gettext("The agreements are not in effect."))
    return sentences


@report_section("renewal", title=_("Renewal of old housing"), summary=renewal_summary, labels={
    "projects": _("Renewal projects"),
    "households": _("Households"),
    "signed": _("Signed"),
    "signing_rate": _("Signing rate"),
    "days": _("Days"),
    "representatives": _("Renewal representatives"),
    "threshold": _("Threshold for effect"),
    "effective": _("Agreements in effect"),
    "work_groups": _("Field work groups"),
    "buildings": _("Buildings"),
    "name": _("Name"),
}, units={"households": UNIT_HOUSEHOLDS, "signed": UNIT_HOUSEHOLDS, "days": UNIT_DAYS,
          "representatives": UNIT_PEOPLE})
def renewal_section(scope: Place, period: Period) -> dict[str, Any]:
    """The renewal projects of the scope signing in the period, as the module docstring defines them."""
    from commonground.deliberation.models import Representative, RepresentativeStatus

    projects = list(
        Project.objects.filter(estate_path__startswith=scope.path, signing_from__isnull=False,
                               signing_from__lte=period.end)
        .filter(Q(signing_until__isnull=True) | Q(signing_until__gte=period.start))
        .order_by("estate_path", "pk"))
    if not projects:
        return {"projects": []}
    ids = [project.pk for project in projects]
    signed_q = Q(signed_at__isnull=False, signed_at__lt=day_end(period.end))
    figures = {row["project_id"]: row for row in Household.objects.filter(project_id__in=ids).order_by()
               .values("project_id").annotate(households=Count("pk"), signed=Count("pk", filter=signed_q),
                                              last=Max("signed_at", filter=signed_q))}
    confirmed = dict(Representative.objects.filter(
        status=RepresentativeStatus.CONFIRMED, building__parent_id__in=[p.estate_id for p in projects])
        .filter(Q(confirmed_on__isnull=True) | Q(confirmed_on__lte=period.end)).order_by()
        .values("building__parent_id").annotate(n=Count("pk")).values_list("building__parent_id", "n"))
    groups = list(WorkGroup.objects.filter(project_id__in=ids, kind=WorkGroupKind.FIELD).order_by("pk")
                  .values("pk", "project_id", "name"))
    owned = dict(WorkGroupBuilding.objects.filter(project_id__in=ids).order_by().values("group_id")
                 .annotate(n=Count("pk")).values_list("group_id", "n"))
    by_group = {row["group_id"]: row for row in Household.objects.filter(project_id__in=ids, group__isnull=False)
                .order_by().values("group_id").annotate(households=Count("pk"), signed=Count("pk", filter=signed_q))}
    result = []
    for project in projects:
        counts = figures.get(project.pk, {"households": 0, "signed": 0, "last": None})
        first = project.mobilised_on or project.signing_from
        last = local_day(counts["last"])
        result.append({
            "name": project.name,
            "households": counts["households"],
            "signed": counts["signed"],
            "signing_rate": rate(counts["signed"], counts["households"]),
            "days": (last - first).days + 1 if last and first else None,
            "representatives": confirmed.get(project.estate_id, 0),
            "threshold": float(project.effect_threshold),
            "effective": project.agreements_state == AgreementsState.EFFECTIVE,
            "work_groups": [
                {"name": group["name"], "buildings": owned.get(group["pk"], 0),
                 "households": by_group.get(group["pk"], {}).get("households", 0),
                 "signed": by_group.get(group["pk"], {}).get("signed", 0),
                 "signing_rate": rate(by_group.get(group["pk"], {}).get("signed", 0),
                                      by_group.get(group["pk"], {}).get("households", 0))}
                for group in groups if group["project_id"] == project.pk],
        })
    return {"projects": result}
