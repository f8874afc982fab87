"""The one ruler's versions: drafting, four-eyes approval, publishing that recomputes unsigned households only,
and a household's request checked against the rules."""

from __future__ import annotations

import datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.core import clock
from commonground.renewal.models import Agreement, Household, Offer, RuleSet, RuleSetStatus
from commonground.renewal.ruleset_selectors import offers_for, published_rule_set
from commonground.renewal.services.rulesets import (
    offer_request_check,
    offers_compute,
    ruleset_allowed_actions,
    ruleset_approve,
    ruleset_draft,
    ruleset_publish,
)

from .ruleset_data import RULES, rules

TZ = ZoneInfo("Asia/Shanghai")
MARCH = datetime.datetime(2023, 3, 20, 9, tzinfo=TZ)
MAY = datetime.datetime(2023, 5, 10, 9, tzinfo=TZ)


def published(campaign, moment=MARCH, the_rules=RULES, note=""):
    with clock.frozen_at(moment):
        rule_set = ruleset_draft(actor=campaign.office, project=campaign.project, rules=the_rules, note=note)
        ruleset_approve(actor=campaign.street, rule_set=rule_set)
        return ruleset_publish(actor=campaign.street, rule_set=rule_set)


def household(campaign, i: int) -> Household:
    return Household.objects.select_related("building", "project").get(project=campaign.project,
                                                                       flat=campaign.flats[i])


def test_ruleset_draft__office__next_version_as_draft(campaign):
    first = ruleset_draft(actor=campaign.office, project=campaign.project, rules=RULES, note="初稿")
    second = ruleset_draft(actor=campaign.office, project=campaign.project, rules=RULES)

    assert (first.version, second.version) == (1, 2)
    assert first.status == RuleSetStatus.DRAFT and first.drafted_by == campaign.office and first.note == "初稿"


def test_ruleset_draft__building_without_price__refused_naming_it(campaign, nothing_written):
    broken = rules(valuation=dict(RULES["valuation"], unit_prices={"甲幢": "32000"}))

    with nothing_written(), pytest.raises(ValidationError) as refused:
        ruleset_draft(actor=campaign.office, project=campaign.project, rules=broken)
    assert any("valuation.unit_prices.乙幢" in message for message in refused.value.messages)


def test_ruleset_draft__tiers_not_ascending__refused(campaign, nothing_written):
    tiers = [{"until": "2023-06-30", "amount": "1"}, {"until": "2023-05-01", "amount": "2"}]

    with nothing_written(), pytest.raises(ValidationError) as refused:
        ruleset_draft(actor=campaign.office, project=campaign.project,
                      rules=rules(incentives={"clause": "第三条", "tiers": tiers}))
    assert "incentives.tiers.2.until" in refused.value.messages[0]


@pytest.mark.parametrize("who", ["member", "owner", "outsider"])
def test_ruleset_draft__without_renewal_rules__permission_denied(campaign, nothing_written, who):
    with nothing_written(), pytest.raises(PermissionDenied):
        ruleset_draft(actor=getattr(campaign, who), project=campaign.project, rules=RULES)


def test_ruleset_approve__by_its_drafter__refused(campaign, nothing_written):
    rule_set = ruleset_draft(actor=campaign.street, project=campaign.project, rules=RULES)

    assert "approve" not in ruleset_allowed_actions(campaign.street, rule_set)
    with nothing_written(), pytest.raises(ValidationError) as refused:
        ruleset_approve(actor=campaign.street, rule_set=rule_set)
    assert "approved_by" in refused.value.message_dict


def test_ruleset_approve__office_without_renewal_approve__permission_denied(campaign, nothing_written):
    rule_set = ruleset_draft(actor=campaign.street, project=campaign.project, rules=RULES)

    with nothing_written(), pytest.raises(PermissionDenied):
        ruleset_approve(actor=campaign.office, rule_set=rule_set)


def test_ruleset_publish__a_draft__refused(campaign, nothing_written):
    rule_set = ruleset_draft(actor=campaign.office, project=campaign.project, rules=RULES)

    with nothing_written(), pytest.raises(ValidationError):
        ruleset_publish(actor=campaign.street, rule_set=rule_set)


def test_ruleset_publish__first_version__every_household_gets_every_option(campaign):
    rule_set = published(campaign)

    assert rule_set.status == RuleSetStatus.PUBLISHED and rule_set.published_at == MARCH
    assert Offer.objects.filter(rule_set=rule_set).count() == 11 * 3
    offer = Offer.objects.get(household=household(campaign, 1), option="cash")
    # 甲幢102: 61.75 m² on floor 1, offered on 2023-03-20 (first tier): as worked out in test_calculator
    assert offer.total == D("2002800.00")
    assert [line["clause"] for line in offer.lines] == ["第三条第（一）项", "第三条第（二）项", "第三条第（三）项",
                                                        "第三条第（四）项"]
    assert offer.lines[0] == {"label": "Assessed value of the old flat", "amount": "1936480.00",
                              "clause": "第三条第（一）项", "basis": "61.75 m² × ¥32,000/m² × 0.98"}


def test_ruleset_publish__new_version__recomputes_unsigned_only(campaign):
    first = published(campaign)
    signed = household(campaign, 0)
    # The signing services are another part's: mark one household signed directly, as they would.
    with clock.frozen_at(MARCH + datetime.timedelta(days=30)):
        Household.objects.filter(pk=signed.pk).update(signed_at=clock.now(), sequence=1)
    kept = set(Offer.objects.filter(household=signed).values_list("pk", "total"))
    changed = rules(incentives={"clause": "第三条第（四）项", "tiers": [{"until": "2023-05-31", "amount": "60000"}]})

    second = published(campaign, MAY, changed, note="奖励提高")

    first.refresh_from_db()
    assert first.status == RuleSetStatus.SUPERSEDED and second.status == RuleSetStatus.PUBLISHED
    assert published_rule_set(campaign.project) == second
    assert set(Offer.objects.filter(household=signed).values_list("pk", "total")) == kept  # signed: untouched
    assert {o.rule_set_id for o in offers_for(signed)} == {first.pk}
    unsigned = Household.objects.filter(project=campaign.project, signed_at__isnull=True)
    assert Offer.objects.filter(household__in=unsigned, rule_set=second).count() == 10 * 3
    assert not Offer.objects.filter(household__in=unsigned, rule_set=first).exists()
    cash = Offer.objects.get(household=household(campaign, 1), rule_set=second, option="cash")
    assert cash.total == D("2012800.00")  # 2,002,800 − 50,000 + 60,000
    assert cash.computed_at == MAY


def test_ruleset_publish__unsigned_household_with_an_agreement__keeps_its_old_offers_too(campaign):
    first = published(campaign)
    target = household(campaign, 2)
    # An agreement being signed (the signing services are another part's; written directly here).
    offer = Offer.objects.get(household=target, option="cash")
    Agreement.objects.create(household=target, rule_set=first, option="cash", total=offer.total, lines=offer.lines,
                             drawn_by=campaign.office)

    second = published(campaign, MAY)

    assert set(Offer.objects.filter(household=target).values_list("rule_set_id", flat=True)) == {first.pk, second.pk}
    assert {o.rule_set_id for o in offers_for(target)} == {second.pk}


def test_offers_compute__same_day_twice__same_rows(campaign):
    published(campaign)
    target = household(campaign, 3)
    with clock.frozen_at(MARCH):
        once = offers_compute(actor=campaign.office, household=target)
        twice = offers_compute(actor=campaign.office, household=target)

    assert [o.pk for o in once] == [o.pk for o in twice] and [o.option for o in once] == [
        "cash", "exchange", "self_renewal"]


def test_offers_compute__after_the_first_tier__recomputed_without_it(campaign):
    published(campaign)
    target = household(campaign, 1)
    with clock.frozen_at(datetime.datetime(2023, 7, 2, 9, tzinfo=TZ)):
        offers = offers_compute(actor=campaign.office, household=target)

    assert offers[0].total == D("1952800.00")  # no incentive after 2023-06-30
    assert Offer.objects.filter(household=target).count() == 3


def test_offers_compute__owner__permission_denied(campaign, nothing_written):
    published(campaign)
    with nothing_written(), pytest.raises(PermissionDenied):
        offers_compute(actor=campaign.owner, household=household(campaign, 0))


def test_offer_request_check__beyond_entitled_plus_cap__refused_with_clause(campaign, nothing_written):
    published(campaign)
    target = household(campaign, 1)  # entitled 67.93 m² + 10 m² extra

    with clock.frozen_at(MARCH), nothing_written(), pytest.raises(ValidationError) as refused:
        offer_request_check(actor=campaign.office, household=target,
                            option="exchange", requested_area_m2=D("77.94"))
    assert "第四条第（三）项" in refused.value.message_dict["requested_area_m2"][0]
    with clock.frozen_at(MARCH):
        allowed = offer_request_check(actor=campaign.office, household=target, option="exchange",
                                      requested_area_m2="77.93")
    assert allowed.total == D("719800.00") - D("10") * 30000  # 10 m² extra at ¥30,000


def test_offer_request_check__owner_of_another_household__permission_denied(campaign):
    published(campaign)

    with pytest.raises(PermissionDenied):
        offer_request_check(actor=campaign.owner, household=household(campaign, 5), option="exchange",
                            requested_area_m2="60")


def test_ruleset_publish__keeps_one_published_version(campaign):
    published(campaign)
    published(campaign, MAY)

    assert RuleSet.objects.filter(project=campaign.project, status=RuleSetStatus.PUBLISHED).count() == 1


def test_ruleset_publish__agreement_being_signed_under_old_version__cancelled_household_draws_again(campaign):
    """A co-owned flat half signed when version 2 is published: the agreement goes (history kept) and the
    household draws the new figures."""
    import datetime

    from commonground.core import clock
    from commonground.renewal.models import AgreementStatus, OptionKind
    from commonground.renewal.services.rulesets import ruleset_approve, ruleset_draft, ruleset_publish
    from commonground.renewal.services.signing import agreement_draw, agreement_sign

    from .ruleset_data import RULES, rules

    household = campaign.project.households.get(flat=campaign.flats[1])  # co-owned
    with clock.frozen_at(datetime.datetime(2023, 4, 1, 10, tzinfo=datetime.UTC)):
        first = ruleset_draft(actor=campaign.office, project=campaign.project, rules=RULES)
        ruleset_approve(actor=campaign.street, rule_set=first)
        ruleset_publish(actor=campaign.street, rule_set=first)
    with clock.frozen_at(datetime.datetime(2023, 4, 10, 10, tzinfo=datetime.UTC)):
        agreement = agreement_draw(actor=campaign.office, household=household, option=OptionKind.CASH)
        agreement_sign(actor=campaign.office, agreement=agreement, person=campaign.owners[1])
        second = ruleset_draft(actor=campaign.office, project=campaign.project,
                               rules=rules(moving={**RULES["moving"], "minimum": "2500"}))
        ruleset_approve(actor=campaign.street, rule_set=second)
        ruleset_publish(actor=campaign.street, rule_set=second)
        agreement.refresh_from_db()
        again = agreement_draw(actor=campaign.office, household=household, option=OptionKind.CASH)

    assert agreement.status == AgreementStatus.CANCELLED and "2" in agreement.cancel_reason
    assert again.rule_set == second and again.total != agreement.total
