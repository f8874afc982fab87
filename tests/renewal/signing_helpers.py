"""What the signing and flat-choice tests share: the campaign's published rule set with every household's offers,
a day inside the signing period, and a household signed by all its owners."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal

import pytest

from commonground.core import clock
from commonground.renewal.models import Agreement, Household, Offer, OptionKind, RuleSet, RuleSetStatus
from commonground.renewal.services.signing import agreement_draw, agreement_sign

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
SIGNING_DAY = datetime.datetime(2023, 5, 10, 10, 0, tzinfo=TZ)  # inside the campaign's 2023-04-07..06-30


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), TZ)


@pytest.fixture(name="offers")
def offers_fixture(campaign) -> RuleSet:
    """Stands for ruleset_publish (the calculator's helper builds it): a published rule set and, for every
    household, its three options, each with lines and clauses; the flat options' entitled area is the certified
    area plus 10 m²."""
    office = campaign.office
    rule_set = RuleSet.objects.create(project=campaign.project, version=1, status=RuleSetStatus.PUBLISHED,
                                      rules={"unit_price": "30000"}, drafted_by=office, approved_by=office,
                                      published_at=SIGNING_DAY - datetime.timedelta(days=40))
    rows = []
    for household in Household.objects.filter(project=campaign.project):
        value = (household.area_m2 * Decimal("30000")).quantize(Decimal("0.01"))
        entitled = household.area_m2 + Decimal("10")
        rows += [
            Offer(household=household, rule_set=rule_set, option=OptionKind.CASH, total=value + Decimal("5000.00"),
                  lines=[{"label": "评估价值", "amount": str(value), "clause": "第五条", "basis": "30000 元/m²"},
                         {"label": "搬家费", "amount": "5000.00", "clause": "第八条", "basis": "每户"}],
                  entitled_area_m2=None, computed_at=SIGNING_DAY),
            Offer(household=household, rule_set=rule_set, option=OptionKind.EXCHANGE, total=Decimal("5000.00"),
                  lines=[{"label": "搬家费", "amount": "5000.00", "clause": "第八条", "basis": "每户"}],
                  entitled_area_m2=entitled, computed_at=SIGNING_DAY),
            Offer(household=household, rule_set=rule_set, option=OptionKind.SELF_RENEWAL,
                  total=-(household.area_m2 * Decimal("1350")).quantize(Decimal("0.01")),
                  lines=[{"label": "业主出资", "amount": str(-(household.area_m2 * Decimal("1350"))), "clause": "第十条",
                          "basis": "1350 元/m²"}],
                  entitled_area_m2=entitled, computed_at=SIGNING_DAY),
        ]
    Offer.objects.bulk_create(rows)
    return rule_set


@pytest.fixture(name="signing_clock")
def signing_clock_fixture(db):
    """The deployment's clock runs from a day inside the signing period, set before the campaign is built (the
    work groups' roles start on the day they are given), so pages and services stand in 2023."""
    from tests.conftest import start_clock_on

    start_clock_on(SIGNING_DAY.date(), SIGNING_DAY.hour)
    yield
    clock.forget()


@pytest.fixture(name="signing_day")
def signing_day_fixture():
    """The one clock stopped inside the signing period."""
    with clock.frozen_at(SIGNING_DAY) as moment:
        yield moment


def household_of(campaign, i: int) -> Household:
    return Household.objects.get(project=campaign.project, flat=campaign.flats[i])


def households(campaign) -> list[Household]:
    """Every household of the campaign, the tree's own flat last."""
    rows = {h.flat_id: h for h in Household.objects.filter(project=campaign.project)}
    ordered = [rows.pop(flat.pk) for flat in campaign.flats]
    return ordered + list(rows.values())


def sign_fully(campaign, household: Household, option: str = OptionKind.SELF_RENEWAL, *,
               witness: str = "二组 组长") -> Agreement:
    """Draw the household's agreement and have every owner sign it."""
    agreement = agreement_draw(actor=campaign.office, household=household, option=option)
    for person in household.owners.order_by("pk"):
        agreement = agreement_sign(actor=campaign.office, agreement=agreement, person=person, witness=witness)
    return agreement
