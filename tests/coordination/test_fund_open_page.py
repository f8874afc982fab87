"""The fund office opens a fund from its page; nobody else may."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from commonground.coordination.models import Fund
from tests.coordination.test_fund_pages import client_of

NEW = {"name": "拱墅区2024年小区微治理专项资金", "year": "2024", "total": "2000000.00", "opens_on": "2024-03-01",
       "closes_on": "2024-10-31"}


def test_fund_new__fund_office__opens_the_fund_at_the_district(fund_world):
    client = client_of(fund_world.office)
    assert b'data-action="open-fund"' in client.get(reverse("coordination:funds")).content

    response = client.post(reverse("coordination:fund-new"), {**NEW, "place": str(fund_world.tree.district.pk)})

    fund = Fund.objects.get(name=NEW["name"])
    assert response.status_code == 302 and response["Location"] == reverse("coordination:fund", args=[fund.pk])
    assert (fund.place, fund.year, fund.total, fund.committed) == (fund_world.tree.district, 2024,
                                                                  Decimal("2000000.00"), Decimal("0.00"))


def test_fund_new__negative_total__refused_nothing_stored(fund_world):
    client = client_of(fund_world.office)
    before = Fund.objects.count()

    response = client.post(reverse("coordination:fund-new"),
                           {**NEW, "total": "-5", "place": str(fund_world.tree.district.pk)})

    assert response.status_code == 400 and response.context["form"].errors["total"]
    assert Fund.objects.count() == before


def test_fund_new__street_staff__only_their_street_offered(fund_world):
    client = client_of(fund_world.street)

    response = client.get(reverse("coordination:fund-new"))

    assert [value for value, _label in response.context["form"].fields["place"].choices] == [
        str(fund_world.tree.street.pk)]
    refused = client.post(reverse("coordination:fund-new"), {**NEW, "place": str(fund_world.tree.district.pk)})
    assert refused.status_code == 400 and not Fund.objects.filter(name=NEW["name"]).exists()


def test_fund_new__community_worker_and_committee__forbidden(fund_world):
    for user in (fund_world.community, fund_world.committee):
        client = client_of(user)
        assert client.get(reverse("coordination:fund-new")).status_code == 403
        assert b'data-action="open-fund"' not in client.get(reverse("coordination:funds")).content
