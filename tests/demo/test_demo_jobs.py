"""The programmes demo's job fair (programs/demo/jobs.py), on the demo the package builds once: the June fair at
吴家墩小哥党群之家 with over 300 positions counted by posting, the report's figure from the postings, and postings
open on the demo's today for the couriers' home."""

from __future__ import annotations

import datetime

import pytest

from commonground.core.models import Place, PlaceKind
from commonground.core.reporting import Period
from commonground.programs.jobs_report import programs_jobs
from commonground.programs.jobs_selectors import fair_figures, postings_for_home
from commonground.programs.models import Activity, ActivityKind, JobInterest

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(demo_built):
    return demo_built[0]


def test_demo_jobs__fair_at_the_couriers_home__over_300_positions(demo, db):
    fair = Activity.objects.get(kind=ActivityKind.JOB_FAIR, title__contains="小哥家属")
    assert fair.place.name == "吴家墩小哥党群之家" and fair.status == "published"
    figures = fair_figures(fair)
    assert (figures.postings, figures.positions, figures.employers) == (32, 317, 12)
    assert JobInterest.objects.filter(posting__fair=fair).count() == figures.interests > 40


def test_demo_jobs__report_and_the_homes_postings(demo, db):
    district = Place.objects.get(kind=PlaceKind.DISTRICT)
    assert programs_jobs(district, Period(datetime.date(2023, 1, 1), datetime.date(2023, 8, 31))) == {
        "job_positions": 366}
    home = Place.objects.get(kind=PlaceKind.FACILITY, name="吴家墩小哥党群之家")
    assert [p.title for p in postings_for_home(home, 5)] == [
        "吴家墩新人公寓保洁员", "新能源货车司机", "家政服务员（可兼职）", "中秋国庆旺季临时分拣员"]
