"""The new flats' inventory and the flat choice in signing order, within the entitled area, once."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from commonground.core import clock
from commonground.core.tables import csv_bytes
from commonground.renewal.models import Agreement, NewFlat, OptionKind
from commonground.renewal.services.flats import (
    flat_choose,
    flat_turn_skip,
    new_flat_rows,
    new_flats_import,
)
from commonground.renewal.signing_selectors import turn_of
from tests.renewal.signing_helpers import (  # noqa: F401  (fixtures)
    at,
    household_of,
    offers_fixture,
    sign_fully,
    signing_clock_fixture,
)

DAY = datetime.date(2023, 5, 2)

pytestmark = pytest.mark.usefixtures("signing_clock")


def inventory(campaign, areas=("60.00", "70.00", "80.00", "95.00", "130.00")) -> list[NewFlat]:
    rows = [{"building": "新1幢", "floor": str(3 + n), "number": f"{3 + n}01", "area_m2": area, "orientation": "南"}
            for n, area in enumerate(areas)]
    return new_flats_import(actor=campaign.office, project=campaign.project, rows=rows)


@pytest.fixture
def signed(campaign, offers):
    """Households 0, 2 (cash), 4 and 6 signed in that order: numbers 1, 2, 3, 4."""
    options = {0: OptionKind.SELF_RENEWAL, 2: OptionKind.CASH, 4: OptionKind.EXCHANGE, 6: OptionKind.SELF_RENEWAL}
    for minute, (i, option) in enumerate(options.items()):
        with clock.frozen_at(at(DAY, 9, minute)):
            sign_fully(campaign, household_of(campaign, i), option)
    return [household_of(campaign, i) for i in options]


def test_new_flats_import__rows__inventory_in_order(campaign):
    flats = inventory(campaign)

    assert NewFlat.objects.filter(project=campaign.project).count() == 5
    assert flats[0].area_m2 == Decimal("60.00") and flats[0].floor == 3 and flats[0].chosen_by is None


def test_new_flats_import__bad_rows__every_error_by_row_and_column_nothing_imported(campaign, nothing_written):
    rows = [{"building": "新1幢", "floor": "3", "number": "301", "area_m2": "88.5"},
            {"building": "", "floor": "x", "number": "302", "area_m2": "-1"},
            {"building": "新1幢", "floor": "3", "number": "301", "area_m2": "88.123"}]

    with nothing_written(), pytest.raises(ValidationError) as error:
        new_flats_import(actor=campaign.office, project=campaign.project, rows=rows)

    messages = error.value.message_dict["rows"]
    assert any(m.startswith("Row 2, building") for m in messages)
    assert any(m.startswith("Row 2, floor") for m in messages)
    assert any(m.startswith("Row 2, area_m2") for m in messages)
    assert any(m.startswith("Row 3, area_m2") for m in messages)
    assert any(m.startswith("Row 3, number") for m in messages)


def test_new_flats_import__flat_already_in_inventory__refused(campaign, nothing_written):
    inventory(campaign)
    with nothing_written(), pytest.raises(ValidationError):
        new_flats_import(actor=campaign.office, project=campaign.project,
                         rows=[{"building": "新1幢", "floor": "3", "number": "301", "area_m2": "60"}])


def test_new_flat_rows__csv_with_chinese_headers__rows_numbered_as_the_file(campaign):
    data = csv_bytes(["楼幢", "楼层", "房号", "面积", "朝向"], [["新2幢", 5, "501", "89.50", "南北"],
                                                             ["新2幢", 5, "502", "76.00", "南"]])
    rows = new_flat_rows(SimpleUploadedFile("flats.csv", data))

    flats = new_flats_import(actor=campaign.office, project=campaign.project, rows=rows)
    assert rows[1]["_row"] == 3
    assert [(f.building, f.number, f.area_m2, f.orientation) for f in flats] == [
        ("新2幢", "501", Decimal("89.50"), "南北"), ("新2幢", "502", Decimal("76.00"), "南")]


def test_new_flats_import__field_member__permission_denied(campaign):
    with pytest.raises(PermissionDenied):
        new_flats_import(actor=campaign.member, project=campaign.project,
                         rows=[{"building": "新1幢", "floor": "3", "number": "301", "area_m2": "60"}])


def test_flat_choose__in_turn_within_area__chosen(campaign, signed):
    flats = inventory(campaign)
    first = signed[0]  # 52.30 m², entitled 62.30

    flat = flat_choose(actor=campaign.office, household=first, flat=flats[0])

    assert flat.chosen_by == first and flat.chosen_at is not None
    assert turn_of(campaign.project).household == signed[2]  # number 2 took cash: no flat, no turn


def test_flat_choose__out_of_turn__refused_nothing_written(campaign, signed, nothing_written):
    flats = inventory(campaign)

    with nothing_written(), pytest.raises(ValidationError) as error:
        flat_choose(actor=campaign.office, household=signed[2], flat=flats[1])
    assert "turn" in str(error.value)


def test_flat_choose__beyond_entitled_area_and_tolerance__refused(campaign, signed, nothing_written):
    flats = inventory(campaign)  # household 0: 52.30 m², entitled 62.30, with 5 m² tolerance 67.30

    with nothing_written(), pytest.raises(ValidationError):
        flat_choose(actor=campaign.office, household=signed[0], flat=flats[1])  # 70 m²


def test_flat_choose__within_tolerance__chosen(campaign, signed, settings):
    settings.CG_RENEWAL_FLAT_AREA_TOLERANCE_M2 = 8
    flats = inventory(campaign)

    assert flat_choose(actor=campaign.office, household=signed[0], flat=flats[1]).chosen_by == signed[0]


def test_flat_choose__twice_or_a_taken_flat__refused(campaign, signed, nothing_written):
    flats = inventory(campaign)
    flat_choose(actor=campaign.office, household=signed[0], flat=flats[0])

    with nothing_written(), pytest.raises(ValidationError) as error:
        flat_choose(actor=campaign.office, household=signed[0], flat=flats[2])
    assert "already chosen" in str(error.value)
    with nothing_written(), pytest.raises(ValidationError) as error:
        flat_choose(actor=campaign.office, household=signed[2], flat=flats[0])
    assert "just been chosen by another household" in str(error.value)


def test_flat_choose__cash_or_unsigned_household__refused(campaign, signed):
    flats = inventory(campaign)
    with pytest.raises(ValidationError):
        flat_choose(actor=campaign.office, household=signed[1], flat=flats[4])
    with pytest.raises(ValidationError):
        flat_choose(actor=campaign.office, household=household_of(campaign, 8), flat=flats[4])


def test_flat_turn_skip__absent_household__next_chooses_and_the_passed_one_later(campaign, signed):
    smallest = min(Agreement.objects.filter(household__in=signed, entitled_area_m2__isnull=False)
                   .values_list("entitled_area_m2", flat=True))
    flats = inventory(campaign, areas=(str(smallest), str(smallest)))
    with pytest.raises(ValidationError):  # only the one whose turn it is
        flat_turn_skip(actor=campaign.office, household=signed[2])

    skipped = flat_turn_skip(actor=campaign.office, household=signed[0])

    assert skipped.turn_passed_by == campaign.office and skipped.turn_passed_at is not None
    assert flat_choose(actor=campaign.office, household=signed[2], flat=flats[0]).chosen_by == signed[2]
    assert flat_choose(actor=campaign.office, household=signed[0], flat=flats[1]).chosen_by == signed[0]
    assert Agreement.history.filter(id=skipped.pk, turn_passed_at__isnull=False).exists()


def test_flat_choose__member_of_other_group__permission_denied(campaign, signed):
    flats = inventory(campaign)
    with pytest.raises(PermissionDenied):
        flat_choose(actor=campaign.member, household=signed[3], flat=flats[4])
