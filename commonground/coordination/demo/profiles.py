"""The estate profiles' demo records, through the services on the one clock: a property service contract for
every estate (621), with a spread of ends (most run for years, some end within 3 months, a few have ended), and
the filing of every owners' committee in force (571), 远洋公寓's from its 2022-12-20 election for 5 years, some
terms ending within 3 months. Each call is a few queries: the 1,200 calls take seconds."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal
from typing import TYPE_CHECKING

from commonground.core import clock
from commonground.core.models import (
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    Place,
    PlaceKind,
    User,
)

from ..models import ServiceLevel
from ..profile_rules import add_months
from ..profile_selectors import committees_in_force
from ..services.profiles import add_years, committee_filing_record, property_contract_record

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2023, 8, 31)  # the demo's today (commonground/demo/builder.py DEMO_NOW)
FEES = {ServiceLevel.LEVEL_1: (Decimal("2.80"), Decimal("4.50")), ServiceLevel.LEVEL_2: (Decimal("2.00"), Decimal("3.00")),
        ServiceLevel.LEVEL_3: (Decimal("1.20"), Decimal("2.20")), ServiceLevel.LEVEL_4: (Decimal("0.80"), Decimal("1.50")),
        ServiceLevel.LEVEL_5: (Decimal("0.45"), Decimal("0.90"))}
LEVEL_WEIGHTS = (3, 12, 40, 30, 15)
CONTRACTS_ENDED = 12  # ended before the demo's today, not renewed yet
CONTRACTS_ENDING = 45  # ending within 3 months
TERMS_ENDING = 38  # committee terms ending within 3 months


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(min(day, TODAY), datetime.time(10), TZ)


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("coordination.profiles")
    actor = User.objects.get(username="district")
    estates = list(Place.objects.filter(kind=PlaceKind.ESTATE).order_by("path"))
    companies = dict(Organisation.objects.filter(kind=OrganisationKind.PROPERTY_COMPANY, place__kind=PlaceKind.ESTATE)
                     .values_list("place_id", "parent_id"))
    by_pk = {o.pk: o for o in Organisation.objects.filter(kind=OrganisationKind.PROPERTY_COMPANY, parent=None)}
    fallback = min(by_pk.values(), key=lambda o: o.pk)
    order = rng.sample(range(len(estates)), len(estates))
    ended, ending = set(order[:CONTRACTS_ENDED]), set(order[CONTRACTS_ENDED:CONTRACTS_ENDED + CONTRACTS_ENDING])
    for i, estate in enumerate(estates):
        if i in ended:
            ends_on = TODAY - datetime.timedelta(days=rng.randint(1, 150))
        elif i in ending:
            ends_on = TODAY + datetime.timedelta(days=rng.randint(0, (add_months(TODAY, 3) - TODAY).days))
        else:
            ends_on = add_months(TODAY, 3) + datetime.timedelta(days=rng.randint(1, 1000))
        years = rng.choice((2, 3, 3, 5))
        starts_on = add_years(ends_on, -years) + datetime.timedelta(days=1)
        level = rng.choices(ServiceLevel.values, weights=LEVEL_WEIGHTS)[0]
        low, high = FEES[level]
        fee = low + Decimal(rng.randint(0, int((high - low) * 20))) * Decimal("0.05")
        with clock.frozen_at(at(starts_on)):
            property_contract_record(actor=actor, estate=estate, company=by_pk.get(companies.get(estate.pk), fallback),
                                     starts_on=starts_on, ends_on=ends_on, fee_per_m2=fee, service_level=level)
    ctx.add_count("property contracts", len(estates))

    committees: dict[int, Organisation] = {}
    for committee in committees_in_force(Place.objects.filter(kind=PlaceKind.ESTATE), TODAY).select_related(
            "place").order_by("established_on", "pk"):
        committees[committee.place_id] = committee  # the latest elected of an estate is its committee
    terms = {row["organisation_id"]: row for row in OrganisationMembership.objects.filter(
        organisation__in=[c.pk for c in committees.values()]).values("organisation_id", "term_from", "term_to")}
    sizes: dict[int, int] = {}
    for pk in OrganisationMembership.objects.filter(organisation__in=[c.pk for c in committees.values()]).values_list(
            "organisation_id", flat=True):
        sizes[pk] = sizes.get(pk, 0) + 1
    listed = sorted(committees.values(), key=lambda c: c.place.path)
    ending_terms = set(rng.sample([c.pk for c in listed if c.pk not in terms and c.established_on
                                    and c.established_on.year < 2018], TERMS_ENDING))
    for committee in listed:
        if committee.pk in terms:  # elected through deliberation (远洋公寓, 浙工新村): the term its members hold
            term_from, term_to = terms[committee.pk]["term_from"], terms[committee.pk]["term_to"]
            members = max(3, min(11, sizes[committee.pk]))
        else:
            span = rng.choice((3, 5, 5, 5))
            if committee.pk in ending_terms:
                term_to = TODAY + datetime.timedelta(days=rng.randint(0, (add_months(TODAY, 3) - TODAY).days))
                term_from = add_years(term_to + datetime.timedelta(days=1), -span)
            else:  # the current term of a committee re-elected every `span` years since it was founded
                term_from = committee.established_on or datetime.date(2015, 1, 1)
                while add_years(term_from, span) <= TODAY:
                    term_from = add_years(term_from, span)
                term_to = add_years(term_from, span) - datetime.timedelta(days=1)
            members = rng.choice((5, 5, 7, 7, 9))
        filed_on = min(term_from + datetime.timedelta(days=rng.randint(3, 30)), TODAY)
        with clock.frozen_at(at(filed_on)):
            committee_filing_record(actor=actor, committee=committee, term_from=term_from, term_to=term_to,
                                    filed_on=filed_on, members=members)
    ctx.add_count("committee filings", len(listed))
