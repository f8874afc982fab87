"""Organisations of the demo district: party organisations down to every corridor, residents'
committees, three-party offices, property companies and their estate projects, owners'
committees in 571 of the 621 estates, a little over 2,000 mass associations."""

from __future__ import annotations

import datetime
import random

from commonground.core.models import Organisation, OrganisationKind, Place
from commonground.core.validators import USCC_CHARSET, credit_code_check_char

from . import names
from .context import DemoContext

ESTATES_WITH_OWNERS_COMMITTEE = 571
PROPERTY_COMPANIES = 40
MASS_ASSOCIATIONS = (2011, 2089)  # "over 2,000": the exact number comes from the seed
OWNERS_COMMITTEE_ALWAYS = ("远洋公寓", names.ZHEGONG)
# 远洋公寓 elected its committee at the end of 2022 after a year under community care (seed account).
NAMED_COMMITTEE_DATES = {"远洋公寓": datetime.date(2022, 12, 20)}


def day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def years(rng: random.Random, first: int, last: int) -> datetime.date:
    return day_between(rng, datetime.date(first, 1, 1), datetime.date(last, 12, 31))


def organisation_code(rng: random.Random) -> str:
    """A GB 11714 organisation code: eight digits and its check character."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    check = 11 - sum(int(d) * w for d, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng: random.Random, used: set[str]) -> str:
    """A valid unified social credit code of a Gongshu company (GB 32100)."""
    while True:
        first17 = "91" + names.DISTRICT_CODE + organisation_code(rng)
        code = first17 + credit_code_check_char(first17)
        if code not in used and all(c in USCC_CHARSET for c in code):
            used.add(code)
            return code


def _org(kind: str, name: str, place: Place, established_on: datetime.date, **fields) -> Organisation:
    return Organisation(kind=kind, name=name, place=place, established_on=established_on, **fields)


def build_organisations(ctx: DemoContext) -> None:
    rng = ctx.rng("organisations")
    kind = OrganisationKind
    assert ctx.district is not None
    orgs = [_org(kind.THREE_PARTY_OFFICE, "拱墅区三方协同治理工作领导小组办公室", ctx.district,
                 datetime.date(2017, 6, 1))]
    orgs += [_org(kind.THREE_PARTY_OFFICE, f"{street.name}三方协同办公室", street, years(rng, 2018, 2019))
             for street in ctx.streets.values()]
    for community in ctx.communities.values():
        short = community.name.removesuffix("社区")
        orgs += [
            _org(kind.RESIDENTS_COMMITTEE, f"{short}社区居民委员会", community, years(rng, 1990, 2010)),
            _org(kind.PARTY_ORGANISATION, f"{short}社区党委", community, years(rng, 2000, 2015)),
            _org(kind.THREE_PARTY_OFFICE, f"{short}社区三方办", community, years(rng, 2019, 2021)),
        ]

    used_codes: set[str] = set()
    companies = Organisation.objects.bulk_create([
        _org(kind.PROPERTY_COMPANY, f"杭州{word}物业服务有限公司", ctx.district, years(rng, 1995, 2015),
             credit_code=credit_code(rng, used_codes), phone=f"0571-8{rng.randint(0, 9_999_999):07d}")
        for word in names.PROPERTY_COMPANY_WORDS[:PROPERTY_COMPANIES]
    ])

    estates = list(ctx.estates.values())
    without_committee = set(rng.sample(
        [e.pk for e in estates if e.name not in OWNERS_COMMITTEE_ALWAYS], len(estates) - ESTATES_WITH_OWNERS_COMMITTEE
    ))
    committees = []
    for estate in estates:
        company = rng.choice(companies)
        orgs += [
            _org(kind.PARTY_ORGANISATION, f"{estate.name}党支部", estate, years(rng, 2017, 2021)),
            _org(kind.PROPERTY_COMPANY, f"{company.name.removesuffix('有限公司')}{estate.name}项目部", estate,
                 years(rng, max(estate.year_built or 2000, 2000), 2022), parent=company),
        ]
        if estate.pk not in without_committee:
            founded = NAMED_COMMITTEE_DATES.get(estate.name) or years(rng, 2010, 2022)
            committees.append(_org(kind.OWNERS_COMMITTEE, f"{estate.name}业主委员会", estate, founded))
        for building in ctx.buildings[estate.pk]:
            orgs += [_org(kind.PARTY_ORGANISATION, f"{estate.name}{building.name}{corridor.name}楼道党支部", corridor,
                          years(rng, 2018, 2022)) for corridor in ctx.corridors[building.pk]]
    orgs += _mass_associations(ctx, rng)
    for business_community in ctx.business_communities.values():
        short = business_community.name.removesuffix("商务社区")
        orgs += [
            _org(kind.PARTY_ORGANISATION, f"{short}商务社区党委", business_community, datetime.date(2022, 3, 1)),
            _org(kind.BUILDING_COMMITTEE, f"{short}商务社区楼宇治理委员会", business_community, datetime.date(2022, 3, 1)),
        ]
    developer_estate = ctx.estates["远洋公寓"]
    orgs.append(_org(kind.DEVELOPER, names.DEVELOPER_NAME, developer_estate, datetime.date(2009, 5, 12),
                     credit_code=credit_code(rng, used_codes)))
    created = Organisation.objects.bulk_create(orgs + committees, batch_size=500)
    ctx.organisations.update({o.name: o for o in created if o.kind in (kind.OWNERS_COMMITTEE, kind.DEVELOPER)})
    ctx.add_count("organisations", len(created) + len(companies))


def _mass_associations(ctx: DemoContext, rng: random.Random) -> list[Organisation]:
    """A few at every community, the rest spread over the estates."""
    total = rng.randint(*MASS_ASSOCIATIONS)
    hosts: list[Place] = []
    for community in ctx.communities.values():
        hosts += [community] * rng.randint(4, 6)
    estates = list(ctx.estates.values())
    hosts += rng.choices(estates, k=total - len(hosts))
    words = names.MASS_ASSOCIATION_WORDS
    seen: dict[int, int] = {}
    offset: dict[int, int] = {}
    result = []
    for place in hosts:
        n = seen.get(place.pk, 0)
        seen[place.pk] = n + 1
        start = offset.setdefault(place.pk, rng.randrange(len(words)))
        word = words[(start + n) % len(words)] + ("" if n < len(words) else str(n // len(words) + 1))
        result.append(_org(OrganisationKind.MASS_ASSOCIATION, f"{place.name.removesuffix('社区')}{word}", place,
                           years(rng, 2005, 2022)))
    return result
