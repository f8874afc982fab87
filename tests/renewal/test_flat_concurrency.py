"""A flat is never given twice, and no household holds two, under truly concurrent clicks (threads, each with its
own connection); signing numbers stay gapless when many households sign at once."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count

from commonground.core import clock
from commonground.renewal.models import Household, NewFlat, OptionKind
from commonground.renewal.services.flats import flat_choose, flat_turn_skip, new_flats_import
from commonground.renewal.services.signing import agreement_draw, agreement_sign
from tests.deliberation.test_ballot_concurrency import race
from tests.renewal.signing_helpers import (  # noqa: F401  (fixtures)
    at,
    households,
    offers_fixture,
    sign_fully,
    signing_clock_fixture,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("signing_clock"),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises every writer, so there is no race to test"),
]

DAY = datetime.date(2023, 5, 2)


@pytest.fixture
def signed(campaign, offers) -> list[Household]:
    """Ten households signed for a flat, each passed over in turn so that every one may choose at once."""
    rows = households(campaign)[:10]
    with clock.frozen_at(at(DAY, 9)):
        for household in rows:
            sign_fully(campaign, household, OptionKind.EXCHANGE)
    for household in rows:
        flat_turn_skip(actor=campaign.office, household=household)
    return rows


def inventory(campaign, count: int) -> list[NewFlat]:
    rows = [{"building": "新1幢", "floor": "3", "number": f"3{n:02d}", "area_m2": "50.00"} for n in range(count)]
    return new_flats_import(actor=campaign.office, project=campaign.project, rows=rows)


def test_flat_choose__ten_households_one_flat__one_winner_others_told(campaign, signed):
    flat = inventory(campaign, 1)[0]

    results = race(10, lambda i: flat_choose(actor=campaign.office, household=signed[i], flat=flat))

    won = [r for r in results if isinstance(r, NewFlat)]
    lost = [r for r in results if isinstance(r, ValidationError)]
    assert (len(won), len(lost)) == (1, 9), [repr(r) for r in results]
    assert all("just been chosen by another household" in str(error) for error in lost)
    assert NewFlat.objects.get(pk=flat.pk).chosen_by_id == won[0].chosen_by_id


def test_flat_choose__one_household_twenty_clicks_on_many_flats__one_flat(campaign, signed):
    flats = inventory(campaign, 20)

    results = race(20, lambda i: flat_choose(actor=campaign.office, household=signed[0], flat=flats[i]))

    assert sum(isinstance(r, NewFlat) for r in results) == 1, [repr(r) for r in results]
    assert all(isinstance(r, NewFlat | ValidationError) for r in results)
    assert NewFlat.objects.filter(chosen_by=signed[0]).count() == 1


def test_flat_choose__ten_households_three_flats_many_clicks__each_flat_once_each_household_once(campaign, signed):
    flats = inventory(campaign, 3)

    results = race(30, lambda i: flat_choose(actor=campaign.office, household=signed[i % 10], flat=flats[i % 3]))

    assert sum(isinstance(r, NewFlat) for r in results) == 3
    assert all(isinstance(r, NewFlat | ValidationError) for r in results), [repr(r) for r in results]
    taken = NewFlat.objects.filter(project=campaign.project, chosen_by__isnull=False)
    assert taken.count() == 3
    assert not taken.values("chosen_by").annotate(n=Count("pk")).filter(n__gt=1).exists()


def test_agreement_sign__ten_households_at_once__numbers_gapless_and_unique(campaign, offers):
    rows = households(campaign)[:10]
    moment = at(DAY, 9)
    with clock.frozen_at(moment):
        drawn = [agreement_draw(actor=campaign.office, household=h, option=OptionKind.CASH) for h in rows]
        owners = [list(h.owners.order_by("pk")) for h in rows]
    for agreement, people in zip(drawn, owners, strict=True):
        for person in people[1:]:  # the co-owned flat's second owner first: the race completes every agreement
            with clock.frozen_at(moment):
                agreement_sign(actor=campaign.office, agreement=agreement, person=person)

    def sign(i: int):
        with clock.frozen_at(moment):
            return agreement_sign(actor=campaign.office, agreement=drawn[i], person=owners[i][0])

    results = race(10, sign)

    assert all(not isinstance(r, Exception) for r in results), [repr(r) for r in results]
    numbers = sorted(Household.objects.filter(project=campaign.project, sequence__isnull=False)
                     .values_list("sequence", flat=True))
    assert numbers == list(range(1, 11))
