"""The one ruler's pages and API as each user meets them: the versions tab, a version's tables, drafting,
approving and publishing, and the household's options with its what-if."""

from __future__ import annotations

import json

from django.test import Client

from commonground.renewal.models import Household, Offer, RuleSet, RuleSetStatus
from commonground.renewal.services.rulesets import ruleset_approve, ruleset_draft, ruleset_publish

from .ruleset_data import RULES


def publish(campaign) -> RuleSet:
    rule_set = ruleset_draft(actor=campaign.office, project=campaign.project, rules=RULES, note="方案")
    ruleset_approve(actor=campaign.street, rule_set=rule_set)
    return ruleset_publish(actor=campaign.street, rule_set=rule_set)


def household(campaign, i: int) -> Household:
    return Household.objects.get(project=campaign.project, flat=campaign.flats[i])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_rulesets_page__office__versions_and_draft_form(campaign):
    publish(campaign)
    ruleset_draft(actor=campaign.office, project=campaign.project, rules=RULES, note="第二稿")

    page = logged_in(campaign.office).get(f"/renewal/{campaign.project.pk}/rule-sets/")

    text = page.content.decode()
    assert page.status_code == 200
    assert "v1" in text and "v2" in text and "第二稿" in text and 'name="rules"' in text


def test_rulesets_page__owner__published_only_no_form(campaign):
    publish(campaign)
    draft = ruleset_draft(actor=campaign.office, project=campaign.project, rules=RULES, note="第二稿")
    owner = logged_in(campaign.owner)

    text = owner.get(f"/renewal/{campaign.project.pk}/rule-sets/").content.decode()

    assert "v1" in text and "第二稿" not in text and 'name="rules"' not in text
    assert owner.get(f"/renewal/rule-sets/{draft.pk}/").status_code == 404


def test_ruleset_pages__outsider__404(campaign):
    rule_set = publish(campaign)
    outsider = logged_in(campaign.outsider)

    assert outsider.get(f"/renewal/{campaign.project.pk}/rule-sets/").status_code == 404
    assert outsider.get(f"/renewal/rule-sets/{rule_set.pk}/").status_code == 404
    assert outsider.get(f"/api/renewal/projects/{campaign.project.pk}/rule-sets").status_code == 404
    assert outsider.get(f"/api/renewal/rule-sets/{rule_set.pk}").status_code == 404


def test_ruleset_page__published__tables_with_clauses(campaign):
    rule_set = publish(campaign)

    text = logged_in(campaign.member).get(f"/renewal/rule-sets/{rule_set.pk}/").content.decode()

    for shown in ("甲幢", "¥32,000.00", "第三条第（一）项", "第四条第（三）项", "第五条", "2023-05-21", "¥1,350.00"):
        assert shown in text, shown


def test_rulesets_page__draft_with_broken_json_or_rules__400_with_the_reason(campaign, nothing_written):
    office = logged_in(campaign.office)
    url = f"/renewal/{campaign.project.pk}/rule-sets/"
    broken = dict(RULES, valuation=dict(RULES["valuation"], unit_prices={"甲幢": "32000"}))

    with nothing_written():
        bad_json = office.post(url, {"rules": "{not json", "note": ""})
        bad_rules = office.post(url, {"rules": json.dumps(broken), "note": ""})

    assert bad_json.status_code == 400 and "Not valid JSON" in bad_json.content.decode()
    assert bad_rules.status_code == 400 and "valuation.unit_prices.乙幢" in bad_rules.content.decode()


def test_rulesets_page__draft_approve_publish__through_the_pages(campaign):
    office, street = logged_in(campaign.office), logged_in(campaign.street)

    response = office.post(f"/renewal/{campaign.project.pk}/rule-sets/",
                           {"rules": json.dumps(RULES, ensure_ascii=False), "note": "方案"})
    rule_set = RuleSet.objects.get(project=campaign.project)
    assert response.status_code == 302 and rule_set.status == RuleSetStatus.DRAFT
    assert office.post(f"/renewal/rule-sets/{rule_set.pk}/approve/").status_code == 403  # no renewal.approve
    assert 'data-action="approve"' in street.get(f"/renewal/rule-sets/{rule_set.pk}/").content.decode()
    street.post(f"/renewal/rule-sets/{rule_set.pk}/approve/")
    street.post(f"/renewal/rule-sets/{rule_set.pk}/publish/")

    rule_set.refresh_from_db()
    assert rule_set.status == RuleSetStatus.PUBLISHED and rule_set.approved_by == campaign.street
    assert Offer.objects.filter(rule_set=rule_set).count() == 33


def test_ruleset_page__drafter_with_approve_right__no_button_and_refused(campaign):
    rule_set = ruleset_draft(actor=campaign.street, project=campaign.project, rules=RULES)
    street = logged_in(campaign.street)

    assert 'data-action="approve"' not in street.get(f"/renewal/rule-sets/{rule_set.pk}/").content.decode()
    street.post(f"/renewal/rule-sets/{rule_set.pk}/approve/")
    rule_set.refresh_from_db()
    assert rule_set.status == RuleSetStatus.DRAFT


def test_household_page__member__own_group_options_only(campaign):
    publish(campaign)
    member = logged_in(campaign.member)

    text = member.get(f"/renewal/households/{household(campaign, 1).pk}/").content.decode()
    # 61.75 m² × 32,000 × 0.98 + 1,500 + 14,820 (today is past every incentive tier)
    assert "第三条第（一）项" in text and "61.75 m² × ¥32,000/m² × 0.98" in text and "¥1,952,800.00" in text
    assert member.get(f"/renewal/households/{household(campaign, 7).pk}/").status_code == 404
    assert member.get(f"/api/renewal/households/{household(campaign, 7).pk}/offers").status_code == 404


def test_household_page__owner__own_options_and_what_if(campaign):
    publish(campaign)
    owner = logged_in(campaign.owner)
    own = household(campaign, 0)

    page = owner.get(f"/renewal/households/{own.pk}/")
    assert page.status_code == 200 and "52.3 m² × ¥32,000/m² × 0.98" in page.content.decode()  # 甲幢101
    assert 'data-action="compute"' not in page.content.decode()  # owners cannot recompute
    refused = owner.get(f"/renewal/households/{own.pk}/?option=exchange&area=500").content.decode()
    assert 'data-answer="refused"' in refused and "第四条第（三）项" in refused
    allowed = owner.get(f"/renewal/households/{own.pk}/?option=exchange&area=50").content.decode()
    assert 'data-answer="allowed"' in allowed
    assert owner.get(f"/renewal/households/{household(campaign, 4).pk}/").status_code == 404


def test_api_offers__owner__own_household_only(campaign):
    publish(campaign)
    owner = logged_in(campaign.owner)
    own, other = household(campaign, 0), household(campaign, 4)

    offers = owner.get(f"/api/renewal/households/{own.pk}/offers").json()
    assert [o["option"] for o in offers] == ["cash", "exchange", "self_renewal"]
    assert all(o["version"] == 1 and o["lines"][0]["clause"] for o in offers)
    assert owner.get(f"/api/renewal/households/{other.pk}/offers").status_code == 404


def test_api_offer_check__refused_with_clause_and_writes_nothing(campaign, nothing_written):
    publish(campaign)
    office = logged_in(campaign.office)
    target = household(campaign, 1)  # 61.75 m²: exchange entitles 67.93 m², + 10 m² extra

    with nothing_written():
        refused = office.post(f"/api/renewal/households/{target.pk}/offers/check",
                              {"option": "exchange", "requested_area_m2": "77.94"}, content_type="application/json")
        allowed = office.post(f"/api/renewal/households/{target.pk}/offers/check",
                              {"option": "exchange", "requested_area_m2": "77.93"}, content_type="application/json")
        cash = office.post(f"/api/renewal/households/{target.pk}/offers/check",
                           {"option": "cash", "requested_area_m2": "60"}, content_type="application/json")

    assert refused.status_code == 200 and refused.json()["allowed"] is False
    assert refused.json()["clause"] == "第四条第（三）项"
    assert allowed.json()["allowed"] is True and allowed.json()["entitled_area_m2"] == "67.93"
    assert cash.json() | {"reasons": []} == {"allowed": False, "clause": "第二条", "reasons": [], "total": None,
                                             "entitled_area_m2": None, "lines": []}


def test_api_rule_sets__draft_approve_publish(campaign):
    office, street = logged_in(campaign.office), logged_in(campaign.street)
    base = f"/api/renewal/projects/{campaign.project.pk}/rule-sets"

    created = office.post(base, {"rules": RULES, "note": "方案"}, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert office.post(f"/api/renewal/rule-sets/{pk}/approve").status_code == 403
    assert street.post(f"/api/renewal/rule-sets/{pk}/publish").status_code == 400  # not approved yet
    assert street.post(f"/api/renewal/rule-sets/{pk}/approve").json()["status"] == "approved"
    assert street.post(f"/api/renewal/rule-sets/{pk}/publish").json()["status"] == "published"
    assert office.get(base).json()["count"] == 1
    assert logged_in(campaign.owner).get(f"/api/renewal/rule-sets/{pk}").json()["rules"]["offered"]["clause"] == "第二条"
    bad = office.post(base, {"rules": {"offered": {}}}, content_type="application/json")
    assert bad.status_code == 400 and "rules" in bad.json()["detail"]
