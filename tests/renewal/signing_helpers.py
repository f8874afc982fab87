"""What the signing and flat-choice tests share: the campaign's published rule set with every household's offers,
a day inside the signing period, and a household signed by all its owners."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from commonground.core import clock
from commonground.renewal.models import Agreement, Household, OptionKind, RuleSet
from commonground.renewal.services.signing import agreement_draw, agreement_sign

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
SIGNING_DAY = datetime.datetime(2023, 5, 10, 10, 0, tzinfo=TZ)  # inside the campaign's 2023-04-07..06-30


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), TZ)


@pytest.fixture(name="offers")
def offers_fixture(campaign) -> RuleSet:
    """The campaign's rules (tests/renewal/ruleset_data.py) drafted by the office, approved and published by the
    street 40 days before the signing day: every household has its three options."""
    from commonground.renewal.services.rulesets import ruleset_approve, ruleset_draft, ruleset_publish

    from .ruleset_data import RULES

    with clock.frozen_at(SIGNING_DAY - datetime.timedelta(days=40)):
        rule_set = ruleset_draft(actor=campaign.office, project=campaign.project, rules=RULES)
        ruleset_approve(actor=campaign.street, rule_set=rule_set)
        return ruleset_publish(actor=campaign.street, rule_set=rule_set)


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
