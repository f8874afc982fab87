"""The API's shared types: strict ISO dates and times in 1900-2099, coordinates, ids, page bounds."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from commonground.core.api_types import (
    DATE_PATTERN,
    DATETIME_PATTERN,
    Day,
    Id,
    Latitude,
    LocalDateTime,
    Longitude,
    Moment,
    PageNumber,
)
from commonground.core.validators import in_calendar_range

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


@pytest.mark.parametrize(("raw", "day"), [("2023-08-31", datetime.date(2023, 8, 31)),
                                          ("1900-01-01", datetime.date(1900, 1, 1)),
                                          ("2099-12-31", datetime.date(2099, 12, 31))])
def test_day__iso_date_in_range__accepted(raw, day):
    assert TypeAdapter(Day).validate_python(raw) == day


@pytest.mark.parametrize("raw", ["0", 0, 1693440000, "2023-8-31", "20230831", "2023-02-30", "2023-08-31T00:00:00",
                                 "1899-12-31", "2100-01-01", "0001-01-01", "9999-12-31", "", None, True])
def test_day__anything_else__refused(raw):
    with pytest.raises(ValidationError):
        TypeAdapter(Day).validate_python(raw)


@pytest.mark.parametrize(("raw", "moment"), [
    ("2025-03-01T09:00:00+08:00", datetime.datetime(2025, 3, 1, 9, tzinfo=SHANGHAI)),
    ("2025-03-01T01:00Z", datetime.datetime(2025, 3, 1, 1, tzinfo=datetime.UTC)),
    ("2025-03-01T09:00:00.5+08:00", datetime.datetime(2025, 3, 1, 9, 0, 0, 500000, tzinfo=SHANGHAI)),
])
def test_moment__iso_with_offset__accepted(raw, moment):
    assert TypeAdapter(Moment).validate_python(raw) == moment


@pytest.mark.parametrize("raw", ["2025-03-01T09:00:00", "2025-03-01", 1740790800, "0001-01-01T00:00:00+12:00",
                                 "9999-12-31T23:00:00-12:00", "2025-03-01T25:00:00+08:00", "2025-03-01T09:00+24:00",
                                 "2025-03-01 09:00:00+08:00"])
def test_moment__no_offset_not_iso_or_out_of_range__refused(raw):
    with pytest.raises(ValidationError):
        TypeAdapter(Moment).validate_python(raw)


def test_local_datetime__any_zone__shown_at_plus_0800_and_none_stays_none():
    moment = datetime.datetime(2025, 3, 1, 1, tzinfo=datetime.UTC)
    shown = TypeAdapter(LocalDateTime | None).validate_python(moment)
    assert (shown, shown.utcoffset()) == (moment, datetime.timedelta(hours=8))
    assert TypeAdapter(LocalDateTime | None).validate_python(None) is None


@pytest.mark.parametrize(("kind", "raw", "value"), [
    (Latitude, 30.28009, Decimal("30.280090")), (Latitude, "30.280090", Decimal("30.280090")),
    (Latitude, -90, Decimal("-90.000000")), (Longitude, 120.1600906, Decimal("120.160091")),
    (Longitude, "-180", Decimal("-180")),
])
def test_coordinates__numbers_or_decimal_strings_in_range__accepted(kind, raw, value):
    assert TypeAdapter(kind).validate_python(raw) == value


@pytest.mark.parametrize(("kind", "raw"), [
    (Latitude, 90.000001), (Latitude, "91"), (Latitude, ""), (Latitude, True), (Latitude, float("nan")),
    (Longitude, -1.4469813660243294e16), (Longitude, "120.1600906"), (Longitude, float("inf")), (Longitude, "1e2"),
])
def test_coordinates__out_of_range_or_not_a_number__refused(kind, raw):
    with pytest.raises(ValidationError):
        TypeAdapter(kind).validate_python(raw)


@pytest.mark.parametrize(("kind", "raw"), [(Id, 0), (Id, 2**63), (PageNumber, 0), (PageNumber, 200000000000000000)])
def test_ids_and_pages__past_their_bounds__refused(kind, raw):
    with pytest.raises(ValidationError):
        TypeAdapter(kind).validate_python(raw)


def test_patterns__say_the_same_years_as_the_validators():
    for year in (1899, 1900, 2099, 2100):
        day = datetime.date(year, 6, 1)
        assert bool(re.fullmatch(DATE_PATTERN, day.isoformat())) == in_calendar_range(day)
        assert bool(re.fullmatch(DATETIME_PATTERN, f"{day.isoformat()}T09:00:00+08:00")) == in_calendar_range(day)
