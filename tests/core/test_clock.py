"""The one clock: real time by default, a deployment's clock when set, frozen where the code asks."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commonground.core import clock
from commonground.core.models import Place, PlaceKind
from commonground.core.services.accounts import clock_reset, clock_set
from commonground.core.services.places import place_create
from commonground.core.validators import validate_id_number
from tests.conftest import make_id_number

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
APP_CODE = Path(__file__).resolve().parents[2] / "commonground"
WALL_CLOCK_CALLS = re.compile(r"timezone\.now\(|timezone\.localdate\(|date\.today\(|datetime\.now\(|(?<![\w.])time\.time\(")


def test_app_code__reads_time_only_through_the_clock():
    """Every service, validator, default and task reads core.clock; only the clock reads the wall clock."""
    offenders = [
        f"{path.relative_to(APP_CODE)}:{n}: {line.strip()}"
        for path in APP_CODE.rglob("*.py") if "migrations" not in path.parts and path.name != "clock.py"
        for n, line in enumerate(path.read_text().splitlines(), start=1) if WALL_CLOCK_CALLS.search(line)
    ]
    assert offenders == []


def test_now__no_clock_set__real_time(db):
    before = timezone.now()
    assert before <= clock.now() <= timezone.now()
    assert clock.today() == timezone.localdate()


def test_now__clock_set__starts_there_and_runs_on(db):
    start = datetime.datetime(2023, 8, 31, 16, 0, tzinfo=SHANGHAI)
    clock_set(starts_at=start)

    first = clock.now()
    second = clock.now()

    assert start <= first <= second < start + datetime.timedelta(minutes=1)
    assert clock.today() == datetime.date(2023, 8, 31)


def test_today__local_date__not_utc(db):
    clock_set(starts_at=datetime.datetime(2023, 8, 31, 23, 30, tzinfo=SHANGHAI))  # 15:30 UTC
    assert clock.today() == datetime.date(2023, 8, 31)
    clock_set(starts_at=datetime.datetime(2023, 9, 1, 0, 30, tzinfo=SHANGHAI))  # still 31 August in UTC
    assert clock.today() == datetime.date(2023, 9, 1)


def test_clock_reset__back_to_real_time(db):
    clock_set(starts_at=datetime.datetime(2023, 8, 31, 16, 0, tzinfo=SHANGHAI))
    clock_reset()
    assert clock.today() == timezone.localdate()


def test_frozen_at__stops_the_clock_inside_only(db):
    moment = datetime.datetime(2021, 5, 1, 9, 0, tzinfo=SHANGHAI)
    with clock.frozen_at(moment):
        assert clock.now() == moment
        assert clock.today() == datetime.date(2021, 5, 1)
    assert clock.now() > moment + datetime.timedelta(days=365)


def test_frozen_at__naive_moment__refused():
    with pytest.raises(ValueError), clock.frozen_at(datetime.datetime(2021, 5, 1, 9, 0)):
        pass


def test_timestamps_and_history__written_at_the_clocks_time(db):
    moment = datetime.datetime(2021, 5, 1, 9, 0, tzinfo=SHANGHAI)
    with clock.frozen_at(moment):
        place = place_create(code="330105", name="拱墅区", kind=PlaceKind.DISTRICT)
    place = Place.objects.get(pk=place.pk)
    assert place.created_at == place.updated_at == moment
    assert place.history.get().history_date == moment


def test_validate_id_number__born_after_the_clocks_today__rejected(db):
    clock_set(starts_at=datetime.datetime(2023, 8, 31, 16, 0, tzinfo=SHANGHAI))
    validate_id_number(make_id_number(birth="20230831"))
    with pytest.raises(ValidationError):
        validate_id_number(make_id_number(birth="20230901"))  # real today is later, the clock's is not
