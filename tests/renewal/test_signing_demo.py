"""The demo's signing step on the small campaign: every planned household signs at its moment, the threshold puts
the agreements in effect, the inventory fits and the first households choose in order."""

from __future__ import annotations

import datetime
import random
from types import SimpleNamespace

import pytest

from commonground.renewal.demo.signing import build_signing
from commonground.renewal.demo.world import World, local
from commonground.renewal.models import Agreement, AgreementsState, AgreementStatus, NewFlat, Project
from tests.renewal.signing_helpers import (  # noqa: F401  (fixtures)
    households,
    offers_fixture,
    signing_clock_fixture,
)

pytestmark = pytest.mark.usefixtures("signing_clock")


def test_build_signing__small_campaign__all_but_holdout_signed_effective_flats_chosen_in_order(campaign, offers):
    rows = households(campaign)
    counts = {}
    ctx = SimpleNamespace(add_count=lambda name, n: counts.__setitem__(name, n))
    world = World(ctx=ctx, rng=random.Random(7), fake=None, estate=campaign.project.estate, buildings={},
                  users={"renewal": campaign.office}, project=campaign.project,
                  groups={g.name: g for g in campaign.groups},
                  staff={"一组": [campaign.office, campaign.member], "二组": [campaign.office]})
    world.holdout, world.last_signer = rows[3], rows[7]
    for n, household in enumerate(rows):
        if household != world.holdout:
            world.signing_at[household.pk] = local(datetime.date(2023, 5, 11 + n), 9 + n)
    world.signing_at[rows[7].pk] = local(datetime.date(2023, 6, 30), 23, 54)

    build_signing(world)

    project = Project.objects.get(pk=campaign.project.pk)
    assert project.agreements_state == AgreementsState.EFFECTIVE
    assert Agreement.objects.filter(status=AgreementStatus.EFFECTIVE).count() == 10
    assert not Agreement.objects.filter(household=world.holdout).exists()
    last = Agreement.objects.get(household=rows[7])
    assert last.sequence == 10 and last.signed_at == local(datetime.date(2023, 6, 30), 23, 54)
    flat_takers = Agreement.objects.exclude(option="cash").count()
    assert NewFlat.objects.count() >= flat_takers
    chosen = NewFlat.objects.filter(chosen_by__isnull=False).select_related("chosen_by")
    assert chosen.count() == flat_takers
    for flat in chosen:
        agreement = Agreement.objects.get(household=flat.chosen_by)
        assert flat.area_m2 <= agreement.entitled_area_m2 + 5
    assert counts["renewal agreements"] == 10
