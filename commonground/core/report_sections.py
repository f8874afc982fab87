"""The report's `organisation` section, computed from the place tree and organisations, and the labels of the
place levels any section may count by."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Organisation, OrganisationKind, Place, PlaceKind
from .reporting import UNIT_ITEMS, Period, count_text, rate, rate_text, report_labels, report_section

report_labels({
    "district": _("District level"),
    "street": _("Street level"),
    "community": _("Community level"),
    "estate": _("Estate level"),
    "building": _("Building level"),
})


def organisation_summary(section: Mapping[str, Any]) -> list[str]:
    offices = section["three_party_offices"]
    return [
        gettext("The area has %(estates)s estates, %(party)s of them with a party organisation; there are "
                "%(corridors)s corridor party branches and %(associations)s mass associations.") % {
            "estates": count_text(section["estates"]), "party": count_text(section["estate_party_organisations"]),
            "corridors": count_text(section["corridor_party_branches"]),
            "associations": count_text(section["mass_associations"])},
        gettext("Owners' committees are formed in %(committees)s of the estates and professional property "
                "services cover %(property)s.") % {
            "committees": rate_text(section["owners_committee_formation_rate"]),
            "property": rate_text(section["property_service_coverage_rate"])},
        gettext("Three-party offices: %(district)s at district level, %(street)s at street level, %(community)s at "
                "community level.") % {level: count_text(offices.get(level, 0))
                                       for level in ("district", "street", "community")},
    ]


@report_section("organisation", title=_("Party building and organisations"), summary=organisation_summary, units={
    key: UNIT_ITEMS for key in ("estates", "estate_party_organisations", "corridor_party_branches",
                                "mass_associations", "three_party_offices")}, labels={
    "estates": _("Estates"),
    "estate_party_organisations": _("Estate party organisations"),
    "corridor_party_branches": _("Corridor party branches"),
    "mass_associations": _("Mass associations"),
    "owners_committee_formation_rate": _("Owners' committee formation rate"),
    "property_service_coverage_rate": _("Professional property service coverage"),
    "three_party_offices": _("Three-party offices"),
})
def organisation_section(scope: Place, period: Period) -> dict[str, Any]:
    """Organisations in force on the last day of the period, inside the scope."""
    orgs = Organisation.objects.active_on(period.end).filter(place__in=Place.objects.within(scope))
    estates = Place.objects.within(scope).of_kind(PlaceKind.ESTATE)

    def at_estate(kind: str):
        return Exists(orgs.filter(kind=kind, place=OuterRef("pk")))

    estate_figures = estates.aggregate(
        total=Count("pk"),
        with_party=Count("pk", filter=at_estate(OrganisationKind.PARTY_ORGANISATION)),
        with_owners_committee=Count("pk", filter=at_estate(OrganisationKind.OWNERS_COMMITTEE)),
        with_property_company=Count("pk", filter=at_estate(OrganisationKind.PROPERTY_COMPANY)),
    )
    by_kind_and_level = {
        (row["kind"], row["place__kind"]): row["n"]
        for row in orgs.filter(
            kind__in=[OrganisationKind.PARTY_ORGANISATION, OrganisationKind.THREE_PARTY_OFFICE,
                      OrganisationKind.MASS_ASSOCIATION]
        ).values("kind", "place__kind").annotate(n=Count("pk"))
    }
    total = estate_figures["total"]
    return {
        "estates": total,
        "estate_party_organisations": estate_figures["with_party"],
        "corridor_party_branches": by_kind_and_level.get((OrganisationKind.PARTY_ORGANISATION, PlaceKind.CORRIDOR), 0),
        "mass_associations": sum(
            n for (kind, _level), n in by_kind_and_level.items() if kind == OrganisationKind.MASS_ASSOCIATION
        ),
        "owners_committee_formation_rate": rate(estate_figures["with_owners_committee"], total),
        "property_service_coverage_rate": rate(estate_figures["with_property_company"], total),
        "three_party_offices": {
            level.value: by_kind_and_level.get((OrganisationKind.THREE_PARTY_OFFICE, level), 0)
            for level in (PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY)
        },
    }
