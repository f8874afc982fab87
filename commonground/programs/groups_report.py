"""The report's `programs` keys of the new employment groups: `couriers_residents`, `courier_council_matters_solved`
and `couriers_home_area_m2`, computed from records in the scope.

Definitions, decided:
- `couriers_residents`: the couriers, riders and drivers whose declaration was active at the period's end
  (declared on or before it, not withdrawn by then) and made at a place in the scope, together with every member
  of the households that live in a flat in the scope and count such a person among their members. Each person once.
  A withdrawn declaration stops counting from its withdrawal, for the declarant and for their household.
- `courier_council_matters_solved`: the couriers' council items (cases of category `courier-council-item`) at
  places in the scope, closed (verified and closed, or evaluated) on or before the period's end: a running total,
  as the council reports the matters it has solved since it began.
- `couriers_home_area_m2`: the floor area of the couriers' homes in the scope, i.e. the facilities where a couriers'
  council is based, in office at the period's end. Zones divide a home; they do not add to its area.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from commonground.core.models import HouseholdMember, Organisation, OrganisationKind, Place, PlaceKind
from commonground.core.models.places import within_q
from commonground.core.reporting import UNIT_ITEMS, Period, count_text, report_section

from .models import EmploymentDeclaration
from .services.groups import COUNCIL_CATEGORY

UNIT_PEOPLE = pgettext_lazy("report unit", "people")  # 人
UNIT_M2 = pgettext_lazy("report unit", "square metres")  # 平方米


def _end_moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


def active_at(moment: datetime.datetime) -> Q:
    """Q over EmploymentDeclaration: declared before `moment` and not withdrawn by then."""
    return Q(declared_at__lt=moment) & (Q(revoked_at__isnull=True) | Q(revoked_at__gte=moment))


def couriers_residents(scope: Place, end: datetime.date) -> int:
    moment = _end_moment(end)
    active = EmploymentDeclaration.objects.filter(active_at(moment))
    declared = set(active.filter(within_q("place_path", [scope.path])).values_list("person_id", flat=True))
    households = HouseholdMember.objects.filter(
        within_q("household__flat__path", [scope.path]),
        Exists(HouseholdMember.objects.filter(household_id=OuterRef("household_id"),
                                              person_id__in=active.values("person_id"))))
    return len(declared | set(households.values_list("person_id", flat=True)))


def council_matters_solved(scope: Place, end: datetime.date) -> int:
    from commonground.cases.models import CLOSED_STAGES, Case

    return Case.objects.filter(within_q("place_path", [scope.path]), category__code=COUNCIL_CATEGORY,
                               stage__in=CLOSED_STAGES, closed_at__lt=_end_moment(end)).count()


def couriers_home_area(scope: Place, end: datetime.date) -> int | float:
    councils = Organisation.objects.of_kind(OrganisationKind.COURIERS_COUNCIL).active_on(end)
    area = Place.objects.filter(within_q("path", [scope.path]), kind=PlaceKind.FACILITY,
                                pk__in=councils.values("place_id")).aggregate(s=Sum("floor_area_m2"))["s"]
    area = area or Decimal(0)
    return int(area) if area == area.to_integral_value() else float(area)


def groups_summary(section: Mapping[str, Any]) -> list[str]:
    residents = section.get("couriers_residents") or 0
    solved = section.get("courier_council_matters_solved") or 0
    area = section.get("couriers_home_area_m2") or 0
    if not (residents or solved or area):
        return []
    return [gettext("%(residents)s couriers, riders, drivers and their family members live here; the couriers' "
                    "council has solved %(solved)s matters, and the couriers' homes offer %(area)s m².") % {
        "residents": count_text(residents), "solved": count_text(solved), "area": f"{area:,.0f}"}]


@report_section("programs", summary=groups_summary, labels={
    "couriers_residents": _("Couriers and their family members"),
    "courier_council_matters_solved": _("Couriers' council matters solved"),
    "couriers_home_area_m2": _("Floor area of the couriers' homes"),
}, units={"couriers_residents": UNIT_PEOPLE, "courier_council_matters_solved": UNIT_ITEMS,
          "couriers_home_area_m2": UNIT_M2})
def programs_groups(scope: Place, period: Period) -> dict[str, Any]:
    """The new employment groups' figures of the scope at the period's end (see the module's definitions)."""
    return {"couriers_residents": couriers_residents(scope, period.end),
            "courier_council_matters_solved": council_matters_solved(scope, period.end),
            "couriers_home_area_m2": couriers_home_area(scope, period.end)}
