from __future__ import annotations

import datetime
import zoneinfo

from commonground.core.services.calendar import calendar_day_set
from commonground.core.working_calendar import (
    add_working_hours,
    calendar_gaps,
    is_workday,
    working_hours_between,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def test_is_workday__holiday_and_make_up_day_from_official_data(db):
    assert is_workday(datetime.date(2024, 10, 1)) is False  # National Day
    assert is_workday(datetime.date(2024, 10, 12)) is True  # Saturday made a workday
    assert is_workday(datetime.date(2024, 10, 13)) is False  # plain Sunday


def test_add_working_hours__within_a_day(db):
    assert add_working_hours(at(2024, 9, 23, 9, 0), 2) == at(2024, 9, 23, 11, 0)
    assert add_working_hours(at(2024, 9, 23, 11, 0), 2) == at(2024, 9, 23, 14, 30)  # lunch break skipped


def test_add_working_hours__starts_outside_hours__counts_from_next_period(db):
    assert add_working_hours(at(2024, 9, 23, 20, 0), 1) == at(2024, 9, 24, 9, 30)


def test_add_working_hours__across_national_day_and_make_up_workday(db):
    # Sunday 29 Sept 2024 was a make-up workday; 1–7 Oct the holiday; Saturday 12 Oct a make-up workday.
    start = at(2024, 9, 30, 16, 30)  # Monday 30 Sept, one working hour left that day
    assert add_working_hours(start, 1) == at(2024, 9, 30, 17, 30)
    assert add_working_hours(start, 2) == at(2024, 10, 8, 9, 30)  # the whole holiday is skipped
    assert add_working_hours(at(2024, 9, 27, 17, 0), 1) == at(2024, 9, 29, 9, 0)  # Sunday make-up workday
    friday = at(2024, 10, 11, 17, 0)
    assert add_working_hours(friday, 1) == at(2024, 10, 12, 9, 0)  # Saturday make-up workday


def test_add_working_hours__utc_input__counted_in_local_working_hours(db):
    utc_start = datetime.datetime(2024, 9, 23, 1, 0, tzinfo=datetime.UTC)  # 09:00 in Shanghai
    assert add_working_hours(utc_start, 2) == at(2024, 9, 23, 11, 0)


def test_working_hours_between__inverse_of_add(db):
    start = at(2024, 9, 30, 10, 15)
    for hours in (1, 4, 7.5, 13, 40):
        assert working_hours_between(start, add_working_hours(start, hours)) == hours
    assert working_hours_between(start, start - datetime.timedelta(hours=1)) == 0.0


def test_year_without_data__falls_back_to_weekdays_without_error(db):
    assert calendar_gaps(2025, 2040) == [2040]
    assert is_workday(datetime.date(2040, 1, 2)) is True  # a Monday
    assert is_workday(datetime.date(2040, 1, 7)) is False  # a Saturday
    assert add_working_hours(at(2040, 1, 6, 17, 0), 1) == at(2040, 1, 9, 9, 0)  # Friday → Monday


def test_calendar_day_set__database_overrides_fallback_and_bundled_data(db):
    calendar_day_set(date=datetime.date(2040, 1, 2), is_workday=False, name="元旦")
    assert is_workday(datetime.date(2040, 1, 2)) is False
    assert calendar_gaps(2040) == []
    calendar_day_set(date=datetime.date(2024, 10, 1), is_workday=True, name="test")
    assert is_workday(datetime.date(2024, 10, 1)) is True
