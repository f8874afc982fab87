"""The consent survey: one answer per household within the period, the authorisation when not every co-owner
answers, the rate against the threshold, and the result published as a notice."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from commonground.core import clock
from commonground.deliberation.models import Notice
from commonground.renewal.field_selectors import consent_standing
from commonground.renewal.models import ConsentAnswer, Household, Project
from commonground.renewal.models.visits import Consent, ConsentResult
from commonground.renewal.services.consent import consent_publish, consent_record
from tests.renewal.conftest import Campaign


def surveyed(campaign: Campaign, threshold: str = "0.9") -> tuple[datetime.date, datetime.date]:
    """Give the project a survey period starting the day after it opened, for 9 days."""
    start = clock.today() + datetime.timedelta(days=1)
    until = start + datetime.timedelta(days=8)
    Project.objects.filter(pk=campaign.project.pk).update(survey_from=start, survey_until=until,
                                                         consent_threshold=Decimal(threshold))
    campaign.project.refresh_from_db()
    return start, until


def at(day: datetime.date, hour: int = 10):
    return clock.frozen_at(datetime.datetime.combine(day, datetime.time(hour), datetime.UTC))


def household_of(campaign: Campaign, i: int) -> Household:
    return Household.objects.get(project=campaign.project, flat=campaign.flats[i])


def answer(campaign: Campaign, i: int, day: datetime.date, value: str = ConsentAnswer.AGREE, **kw) -> Consent:
    with at(day):
        return consent_record(actor=kw.pop("actor", campaign.office), household=household_of(campaign, i),
                              answer=value, answered_on=kw.pop("answered_on", day), **kw)


def scan() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("authorisation.png", buffer.getvalue(), content_type="image/png")


def test_consent_record__answer__household_consent_set(campaign):
    start, _until = surveyed(campaign)

    consent = answer(campaign, 0, start, ConsentAnswer.DISAGREE)

    assert consent.answer == ConsentAnswer.DISAGREE and consent.recorded_by == campaign.office
    assert household_of(campaign, 0).consent == ConsentAnswer.DISAGREE


def test_consent_record__second_answer__refused_nothing_written(campaign, nothing_written):
    start, _until = surveyed(campaign)
    answer(campaign, 0, start)

    with nothing_written(), pytest.raises(ValidationError) as error:
        answer(campaign, 0, start + datetime.timedelta(days=1), ConsentAnswer.DISAGREE)
    assert "answer" in error.value.message_dict


@pytest.mark.parametrize("offset", [-1, 9])
def test_consent_record__outside_survey_period__refused_nothing_written(campaign, nothing_written, offset):
    start, _until = surveyed(campaign)
    day = start + datetime.timedelta(days=offset)

    with nothing_written(), pytest.raises(ValidationError) as error:
        answer(campaign, 0, day)
    assert "answered_on" in error.value.message_dict


def test_consent_record__no_survey_period__refused(campaign, nothing_written):
    with nothing_written(), pytest.raises(ValidationError) as error:
        answer(campaign, 0, clock.today())
    assert "answered_on" in error.value.message_dict


def test_consent_record__not_all_owners_without_authorisation__refused(campaign, nothing_written):
    start, _until = surveyed(campaign)

    with nothing_written(), pytest.raises(ValidationError) as error:
        answer(campaign, 1, start, by_all_owners=False)
    assert "authorisation" in error.value.message_dict


def test_consent_record__not_all_owners_with_a_scan__stored_through_the_upload_path(campaign):
    start, _until = surveyed(campaign)

    consent = answer(campaign, 1, start, by_all_owners=False, authorisation=scan())

    assert consent.authorisation and consent.authorisation_type == "image/png"
    assert not consent.authorisation.name.endswith("authorisation.png")  # named at random


def test_consent_record__member_of_other_group__permission_denied(campaign, nothing_written):
    start, _until = surveyed(campaign)

    with nothing_written(), pytest.raises(PermissionDenied):
        answer(campaign, 7, start, actor=campaign.member)


@pytest.mark.parametrize(("agree", "passed"), [(9, True), (8, False)])
def test_consent_standing__exactly_at_threshold__passes(campaign, agree, passed):
    # 80% of 11 households is 8.8: 9 needed
    start, _until = surveyed(campaign, "0.8")
    for i in range(10):
        answer(campaign, i, start, ConsentAnswer.AGREE if i < agree else ConsentAnswer.DISAGREE)

    standing = consent_standing(campaign.project)

    assert (standing.households, standing.answered, standing.agree, standing.needed) == (11, 10, agree, 9)
    assert standing.passed is passed
    assert standing.rate == Decimal(agree) / Decimal(11)


def test_consent_publish__after_close__public_notice_on_estate_and_figures_frozen(campaign, tree):
    start, until = surveyed(campaign, "0.8")
    for i in range(10):
        answer(campaign, i, start)

    with at(until + datetime.timedelta(days=1)):
        notice = consent_publish(actor=campaign.office, project=campaign.project)

    assert Notice.objects.get() == notice
    assert notice.place == tree.estate and notice.public
    assert "10" in notice.body and "11" in notice.body
    assert notice.table[0][0] and len(notice.table) == 1 + 3  # header, 甲幢, 乙幢 and the tree's 1幢
    result = ConsentResult.objects.get(project=campaign.project)
    assert (result.answered, result.agree, result.needed, result.passed) == (10, 10, 9, True)


def test_consent_publish__while_survey_open__refused_nothing_written(campaign, nothing_written):
    start, _until = surveyed(campaign)

    with nothing_written(), at(start), pytest.raises(ValidationError):
        consent_publish(actor=campaign.office, project=campaign.project)


def test_consent_publish__twice__refused(campaign):
    _start, until = surveyed(campaign)
    with at(until + datetime.timedelta(days=1)):
        consent_publish(actor=campaign.office, project=campaign.project)
        with pytest.raises(ValidationError):
            consent_publish(actor=campaign.office, project=campaign.project)
    assert Notice.objects.count() == 1


def test_consent_publish__by_a_field_member__permission_denied(campaign, nothing_written):
    _start, until = surveyed(campaign)

    with nothing_written(), at(until + datetime.timedelta(days=1)), pytest.raises(PermissionDenied):
        consent_publish(actor=campaign.member, project=campaign.project)
