"""The renewal benchmark's generator, floor and measurements run on the current schema at a tiny size (a bench
that fails after minutes of building is found here in seconds)."""

from __future__ import annotations

from django.test import Client

from bench.bench_renewal import build_campaign, measure
from commonground.renewal.models import Offer, RuleSet, RuleSetStatus


def test_bench_renewal__tiny_campaign__ours_floor_and_page_run(db, capsys):
    campaign = build_campaign(30, prefix="T")
    client = Client()
    client.force_login(campaign.office)

    results = measure(campaign, repeat=1, client=client)

    assert set(results) == {"ours", "floor", "page"}
    assert campaign.project.households.count() == 30
    published = RuleSet.objects.get(project=campaign.project, status=RuleSetStatus.PUBLISHED)
    assert RuleSet.objects.filter(project=campaign.project).count() == 4  # 2 published in turn, 2 for the floor
    latest = RuleSet.objects.filter(project=campaign.project).order_by("-version").first()
    assert Offer.objects.filter(rule_set=latest).count() == 30 * 3 and latest != published
    assert "ruleset_publish" in capsys.readouterr().out
