"""The switch (RULES §3): the agreements take effect only if the signing threshold is reached within the signing
period; otherwise none takes effect and the decision lapses."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from commonground.core import clock
from commonground.renewal.models import Agreement, AgreementsState, AgreementStatus, Project
from commonground.renewal.rules import needed
from commonground.renewal.services.signing import agreement_draw, agreements_decide
from commonground.renewal.tasks import decide_agreements_task
from tests.renewal.signing_helpers import (  # noqa: F401  (fixtures)
    at,
    household_of,
    households,
    offers_fixture,
    sign_fully,
    signing_clock_fixture,
)

DAY = datetime.date(2023, 5, 2)

pytestmark = pytest.mark.usefixtures("signing_clock")


def project(campaign) -> Project:
    return Project.objects.get(pk=campaign.project.pk)


def test_needed__10_and_548_at_80_percent__8_and_439():
    assert needed(10, Decimal("0.8")) == 8
    assert needed(548, Decimal("0.8")) == 439
    assert needed(548, Decimal("0.9")) == 494


def test_agreement_sign__eleven_households_at_80_percent__ninth_signature_makes_it_effective(campaign, offers):
    rows = households(campaign)
    assert len(rows) == 11 and needed(11, Decimal("0.8")) == 9
    for minute, household in enumerate(rows[:8]):
        with clock.frozen_at(at(DAY, 9, minute)):
            sign_fully(campaign, household)
    assert project(campaign).agreements_state == AgreementsState.PENDING
    assert set(Agreement.objects.values_list("status", flat=True)) == {AgreementStatus.SIGNED}

    with clock.frozen_at(at(DAY, 10)) as moment:
        ninth = sign_fully(campaign, rows[8])

    assert project(campaign).agreements_state == AgreementsState.EFFECTIVE
    assert project(campaign).agreements_decided_at == moment
    assert ninth.status == AgreementStatus.EFFECTIVE
    assert Agreement.objects.filter(status=AgreementStatus.EFFECTIVE).count() == 9


def test_agreement_sign__after_effect__effective_at_once(campaign, offers):
    rows = households(campaign)
    with clock.frozen_at(at(DAY, 9)):
        for household in rows[:9]:
            sign_fully(campaign, household)
    with clock.frozen_at(at(DAY + datetime.timedelta(days=3), 9)):
        tenth = sign_fully(campaign, rows[9])

    assert tenth.status == AgreementStatus.EFFECTIVE and tenth.sequence == 10


def test_agreements_decide__after_deadline_below_threshold__lapsed_with_every_signed_agreement(campaign, offers):
    rows = households(campaign)
    with clock.frozen_at(at(DAY, 9)):
        for household in rows[:8]:
            sign_fully(campaign, household)
        drawn = agreement_draw(actor=campaign.office, household=rows[8], option="cash")
    with clock.frozen_at(at(datetime.date(2023, 6, 30), 23, 59)):
        assert agreements_decide(project=campaign.project) == AgreementsState.PENDING  # still the last day

    with clock.frozen_at(at(datetime.date(2023, 7, 1), 0, 5)):
        assert agreements_decide(project=campaign.project) == AgreementsState.LAPSED
        again = agreements_decide(project=campaign.project)

    assert again == AgreementsState.LAPSED
    assert project(campaign).agreements_state == AgreementsState.LAPSED
    assert Agreement.objects.filter(status=AgreementStatus.LAPSED).count() == 8
    assert Agreement.objects.get(pk=drawn.pk).status == AgreementStatus.SIGNING


def test_agreements_decide__before_the_deadline_below_threshold__nothing_changes(campaign, offers, nothing_written):
    with clock.frozen_at(at(DAY, 9)):
        sign_fully(campaign, household_of(campaign, 0))
        with nothing_written():
            assert agreements_decide(project=campaign.project) == AgreementsState.PENDING


def test_agreements_decide__effective__idempotent(campaign, offers, nothing_written):
    with clock.frozen_at(at(DAY, 9)):
        for household in households(campaign)[:9]:
            sign_fully(campaign, household)
    with clock.frozen_at(at(datetime.date(2023, 7, 2), 9)), nothing_written():
        assert agreements_decide(project=campaign.project) == AgreementsState.EFFECTIVE


def test_decide_task_and_tick__after_deadline__lapse_the_pending_project(campaign, offers):
    with clock.frozen_at(at(DAY, 9)):
        sign_fully(campaign, household_of(campaign, 0))
    with clock.frozen_at(at(datetime.date(2023, 7, 1), 8)):
        call_command("tick")
    assert project(campaign).agreements_state == AgreementsState.LAPSED
    with clock.frozen_at(at(datetime.date(2023, 7, 1), 9)):
        assert decide_agreements_task() == {}
