"""Drawing, signing, scanning and cancelling a household's conditional agreement."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from commonground.core import clock
from commonground.renewal.models import Agreement, AgreementStatus, Household, OptionKind, Signature
from commonground.renewal.services.signing import (
    agreement_cancel,
    agreement_draw,
    agreement_scan_attach,
    agreement_sign,
)
from tests.renewal.signing_helpers import (  # noqa: F401  (fixtures)
    at,
    household_of,
    offers_fixture,
    sign_fully,
    signing_clock_fixture,
    signing_day_fixture,
)

pytestmark = pytest.mark.usefixtures("signing_clock")


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (20, 30), "white").save(out, format="PNG")
    return SimpleUploadedFile("scan.png", out.getvalue(), content_type="image/png")


def test_agreement_draw__offer_of_published_rule_set__figures_lines_and_area_frozen(campaign, offers, signing_day):
    household = household_of(campaign, 1)

    agreement = agreement_draw(actor=campaign.office, household=household, option=OptionKind.EXCHANGE)
    offer = household.offers.get(option=OptionKind.EXCHANGE)  # as computed for the day it was drawn
    drawn = (offer.total, offer.lines, offer.entitled_area_m2)
    household.offers.update(total=Decimal("1.00"), lines=[])

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNING and agreement.rule_set == offers
    assert (agreement.total, agreement.lines, agreement.entitled_area_m2) == drawn
    assert agreement.lines[0]["clause"].startswith("第三条")
    assert agreement.entitled_area_m2 == Decimal("67.93")  # 61.75 m² + 10% (6.175, under the 10 m² cap), to the hundredth
    assert agreement.sequence is None and agreement.signed_at is None


def test_agreement_sign__co_owned_flat__signed_only_when_every_owner_has(campaign, offers, signing_day):
    household = household_of(campaign, 1)
    first, second = household.owners.order_by("pk")
    agreement = agreement_draw(actor=campaign.office, household=household, option=OptionKind.SELF_RENEWAL)

    agreement = agreement_sign(actor=campaign.office, agreement=agreement, person=first, witness="王组长")
    household.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNING and household.signed_at is None
    assert agreement.witness == "王组长"

    agreement = agreement_sign(actor=campaign.office, agreement=agreement, person=second)
    household.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED and agreement.sequence == 1
    assert household.signed_at == agreement.signed_at == signing_day and household.sequence == 1
    assert Signature.objects.filter(agreement=agreement).count() == 2


def test_agreement_sign__same_owner_twice__refused_nothing_written(campaign, offers, signing_day, nothing_written):
    household = household_of(campaign, 1)
    first = household.owners.order_by("pk").first()
    agreement = agreement_draw(actor=campaign.office, household=household, option=OptionKind.SELF_RENEWAL)
    agreement_sign(actor=campaign.office, agreement=agreement, person=first)

    with nothing_written(), pytest.raises(ValidationError) as error:
        agreement_sign(actor=campaign.office, agreement=agreement, person=first)
    assert "person" in error.value.message_dict


def test_agreement_sign__person_not_an_owner__refused_nothing_written(campaign, offers, signing_day, nothing_written):
    agreement = agreement_draw(actor=campaign.office, household=household_of(campaign, 0), option=OptionKind.CASH)

    with nothing_written(), pytest.raises(ValidationError) as error:
        agreement_sign(actor=campaign.office, agreement=agreement, person=campaign.owners[3])
    assert "person" in error.value.message_dict


def test_agreement_sign__many_households__numbers_gapless_in_signing_order(campaign, offers):
    order = [5, 2, 8, 0, 1]
    for minute, i in enumerate(order):
        with clock.frozen_at(at(datetime.date(2023, 5, 2), 9, minute)):
            sign_fully(campaign, household_of(campaign, i))

    numbers = {household_of(campaign, i).sequence: i for i in order}
    assert sorted(numbers) == [1, 2, 3, 4, 5]
    assert [numbers[n] for n in sorted(numbers)] == order


def test_agreement_sign__after_a_cancelled_signed_agreement__number_not_given_again(campaign, offers, signing_day):
    first = sign_fully(campaign, household_of(campaign, 0))
    agreement_cancel(actor=campaign.office, agreement=first, reason="业主反悔，重新协商")

    second = sign_fully(campaign, household_of(campaign, 2))
    again = sign_fully(campaign, household_of(campaign, 0), option=OptionKind.CASH)

    assert (first.sequence, second.sequence, again.sequence) == (1, 2, 3)
    assert household_of(campaign, 0).sequence == 3


def test_agreement_draw__standing_agreement__refused(campaign, offers, signing_day, nothing_written):
    household = household_of(campaign, 0)
    agreement_draw(actor=campaign.office, household=household, option=OptionKind.CASH)

    with nothing_written(), pytest.raises(ValidationError) as error:
        agreement_draw(actor=campaign.office, household=household, option=OptionKind.EXCHANGE)
    assert "option" in error.value.message_dict


@pytest.mark.parametrize("moment", [datetime.datetime(2023, 4, 6, 23, 0), datetime.datetime(2023, 7, 1, 0, 5)],
                         ids=["before", "after"])
def test_agreement_draw__outside_signing_period__refused_nothing_written(campaign, offers, moment, nothing_written):
    with clock.frozen_at(at(moment.date(), moment.hour, moment.minute)), nothing_written(), \
            pytest.raises(ValidationError) as error:
        agreement_draw(actor=campaign.office, household=household_of(campaign, 0), option=OptionKind.CASH)
    assert "option" in error.value.message_dict


def test_agreement_draw__no_published_offer__refused(campaign, signing_day, nothing_written):
    with nothing_written(), pytest.raises(ValidationError):
        agreement_draw(actor=campaign.office, household=household_of(campaign, 0), option=OptionKind.CASH)


def test_agreement_draw__member_of_other_group__permission_denied(campaign, offers, signing_day, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied):
        agreement_draw(actor=campaign.member, household=household_of(campaign, 7), option=OptionKind.CASH)


def test_agreement_sign__owner_signs_through_the_service__permission_denied(campaign, offers, signing_day):
    agreement = agreement_draw(actor=campaign.office, household=household_of(campaign, 0), option=OptionKind.CASH)

    with pytest.raises(PermissionDenied):
        agreement_sign(actor=campaign.owner, agreement=agreement, person=campaign.owners[0])
    assert not Signature.objects.exists()


def test_agreement_scan_attach__png_of_signed_agreement__stored_with_its_type(campaign, offers, signing_day):
    agreement = sign_fully(campaign, household_of(campaign, 0))

    agreement = agreement_scan_attach(actor=campaign.office, agreement=agreement, scan=png())

    assert agreement.scan_type == "image/png" and agreement.scan.name.endswith(".png")


def test_agreement_scan_attach__not_signed_yet_or_not_a_scan__refused(campaign, offers, signing_day):
    household = household_of(campaign, 1)
    agreement = agreement_draw(actor=campaign.office, household=household, option=OptionKind.CASH)
    with pytest.raises(ValidationError):
        agreement_scan_attach(actor=campaign.office, agreement=agreement, scan=png())
    agreement = sign_fully(campaign, household_of(campaign, 0))
    with pytest.raises(ValidationError) as error:
        agreement_scan_attach(actor=campaign.office, agreement=agreement,
                              scan=SimpleUploadedFile("a.png", b"<html>x</html>", content_type="image/png"))
    assert "scan" in error.value.message_dict


def test_agreement_cancel__signed_before_effect__cancelled_history_kept_household_unsigned(campaign, offers,
                                                                                        signing_day):
    agreement = sign_fully(campaign, household_of(campaign, 0))

    agreement = agreement_cancel(actor=campaign.office, agreement=agreement, reason="继承纠纷未决")

    household = household_of(campaign, 0)
    assert agreement.status == AgreementStatus.CANCELLED and agreement.cancel_reason == "继承纠纷未决"
    assert agreement.sequence == 1  # kept on the cancelled agreement
    assert household.signed_at is None and household.sequence is None
    assert [h.status for h in agreement.history.order_by("history_id")][-2:] == ["signed", "cancelled"]


def test_agreement_cancel__without_reason__refused_nothing_written(campaign, offers, signing_day, nothing_written):
    agreement = sign_fully(campaign, household_of(campaign, 0))

    with nothing_written(), pytest.raises(ValidationError) as error:
        agreement_cancel(actor=campaign.office, agreement=agreement, reason="  ")
    assert "reason" in error.value.message_dict


def test_agreement_cancel__in_effect__refused_nothing_written(campaign, offers, signing_day, nothing_written):
    for i in range(9):  # 9 of 11 households: the threshold
        sign_fully(campaign, household_of(campaign, i))
    agreement = Agreement.objects.get(household=household_of(campaign, 0))
    assert agreement.status == AgreementStatus.EFFECTIVE

    with nothing_written(), pytest.raises(ValidationError):
        agreement_cancel(actor=campaign.office, agreement=agreement, reason="想反悔")


def test_household_signed__through_service__counts_in_standing(campaign, offers, signing_day):
    from commonground.renewal.selectors import project_standing

    sign_fully(campaign, household_of(campaign, 3))

    assert project_standing(campaign.project).signed == 1
    assert Household.objects.filter(project=campaign.project, sequence=1).count() == 1
