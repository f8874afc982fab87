"""Progress figures on a hand-built small campaign: by building, group and day, the forecast, the holdouts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.core import clock
from commonground.core.models import PlaceKind
from commonground.core.services.people import ownership_create, person_create
from commonground.core.services.places import place_create
from commonground.renewal.models import Household, Outcome
from commonground.renewal.progress_selectors import (
    forecast,
    holdouts,
    progress_by_building,
    progress_by_group,
    project_progress,
)
from commonground.renewal.services.projects import households_from_register
from tests.conftest import make_id_number

from .standins import at, sign_small_campaign, stand_in_for_services

D = datetime.date


@pytest.fixture
def signed(campaign):
    return sign_small_campaign(campaign)


def test_progress__small_campaign__figures_by_building_group_and_day(signed):
    with clock.frozen_at(at(D(2023, 4, 25), 18)):
        figures = project_progress(signed.project)

    assert (figures.totals.households, figures.totals.signed, figures.totals.needed, figures.totals.left) == (11, 7, 9, 2)
    assert figures.totals.rate == 0.6364
    by_building = {row.name: (row.households, row.signed, row.rate, row.group) for row in figures.buildings}
    assert by_building == {"1幢": (1, 0, 0.0, ""), "甲幢": (6, 3, 0.5, "一组"), "乙幢": (4, 4, 1.0, "二组")}
    assert [(g.name, g.buildings, g.households, g.signed, g.rate) for g in figures.groups] == [
        ("一组", 1, 6, 3, 0.5), ("二组", 1, 4, 4, 1.0)]
    # the signing period opens 4-07 in the fixture; days before the first signature count zero
    days = {row.day: (row.signed, row.cumulative) for row in figures.days}
    assert figures.days[0].day == D(2023, 4, 7) and figures.days[-1].day == D(2023, 4, 25)
    assert days[D(2023, 4, 22)] == (2, 2)
    assert days[D(2023, 4, 23)] == (4, 6)  # 23:50 local is still the 23rd
    assert days[D(2023, 4, 24)] == (0, 6)
    assert days[D(2023, 4, 25)] == (1, 7)
    assert figures.days[-1].rate == 0.6364


def test_progress__as_of_a_moment__counts_only_those_signed_before(signed):
    until = at(D(2023, 4, 23), 12)
    assert [(r.name, r.signed) for r in progress_by_building(signed.project, until=until)] == [
        ("1幢", 0), ("甲幢", 2), ("乙幢", 2)]
    assert [(g.name, g.signed) for g in progress_by_group(signed.project, until=until)] == [("一组", 2), ("二组", 2)]


def test_forecast__pace_over_14_days__date_with_range(signed):
    with clock.frozen_at(at(D(2023, 4, 25), 18)):
        figures = project_progress(signed.project)

    effect = figures.to_effect
    assert (effect.in_window, effect.pace, effect.remaining) == (7, 0.5, 2)
    assert effect.possible and not effect.reached
    assert (effect.days, effect.date) == (4, D(2023, 4, 29))
    assert (effect.earliest, effect.latest) == (D(2023, 4, 28), D(2023, 5, 6))
    assert (figures.to_all.remaining, figures.to_all.date) == (4, D(2023, 5, 3))


def test_forecast__threshold_reached__already_reached():
    item = forecast(target=9, signed=9, in_window=3, on=D(2023, 5, 1))
    assert item.reached and not item.possible and item.date is None


def test_forecast__no_signature_in_the_window__cannot_forecast(signed):
    with clock.frozen_at(at(D(2023, 5, 20), 18)):  # the last signature was on 4-25: 25 days before
        figures = project_progress(signed.project)

    assert figures.to_effect.in_window == 0
    assert not figures.to_effect.possible and not figures.to_effect.reached and figures.to_effect.date is None


def test_forecast__one_signature__no_latest_date():
    item = forecast(target=10, signed=5, in_window=1, on=D(2023, 5, 1))
    assert item.possible and item.date == D(2023, 5, 1) + datetime.timedelta(days=70)
    assert item.earliest < item.date and item.latest is None


def test_progress__behind_the_pace_the_deadline_needs__behind(signed):
    with clock.frozen_at(at(D(2023, 6, 29), 18)):  # 2 days left, 2 needed, no signature for two months
        figures = project_progress(signed.project)
    assert figures.days_left == 2 and figures.needed_pace == 1.0 and figures.behind
    with clock.frozen_at(at(D(2023, 4, 25), 18)):  # 67 days left, 0.5 a day against 0.03 needed
        assert not project_progress(signed.project).behind


def test_holdouts__least_recently_visited_first__never_visited_before(signed):
    rows = list(holdouts(signed.office, signed.project))

    assert [h.flat_id for h in rows[-2:]] == [signed.flats[4].pk, signed.flats[3].pk]
    assert len(rows) == 4 and {h.visits_count for h in rows[:2]} == {0}  # 甲幢 flat 5 and 1幢 101: never visited
    assert rows[-1].visits_count == 2 and rows[-1].last_outcome == Outcome.CONCERNS


def test_holdouts__field_member__only_their_buildings(signed):
    assert {h.flat_id for h in holdouts(signed.member, signed.project)} == {
        signed.flats[i].pk for i in (3, 4, 5)}
    assert list(holdouts(signed.outsider, signed.project)) == []


def add_building(campaign, n: int, flats: int = 2) -> None:
    building = place_create(code=f"{campaign.project.estate.code}-X{n}", name=f"{n}号楼", kind=PlaceKind.BUILDING,
                            parent=campaign.project.estate)
    for f in range(flats):
        flat = place_create(code=f"{building.code}-{f + 1}01", name=f"{n}号楼{f + 1}01室", kind=PlaceKind.FLAT,
                            parent=building, floor_area_m2=60)
        person = person_create(name=f"新业主{n}-{f}", id_number=make_id_number(seq=500 + n * 10 + f))
        ownership_create(flat=flat, person=person, exclusive_area_m2=60, acquired_on=D(2005, 1, 1))


def progress_queries(campaign) -> int:
    with clock.frozen_at(at(D(2023, 4, 25), 18)), CaptureQueriesContext(connection) as queries:
        project_progress(campaign.project)
    return len(queries)


def test_progress__1_and_10_more_buildings__same_query_count(signed):
    few = progress_queries(signed)
    Household.objects.filter(project=signed.project).delete()
    for n in range(10):
        add_building(signed, n)
    households_from_register(signed.project, D(2023, 4, 1))
    for h in Household.objects.filter(project=signed.project)[:5]:
        stand_in_for_services(h, signed_at=at(D(2023, 4, 24)))

    assert Household.objects.filter(project=signed.project).values("building").distinct().count() == 13
    assert progress_queries(signed) == few <= 5


def test_progress__before_signing_opens_or_once_decided__never_behind(signed):
    from commonground.renewal.models import AgreementsState, Project

    with clock.frozen_at(at(D(2023, 4, 1), 18)):
        assert not project_progress(signed.project).behind  # signing opens on 4-07
    Project.objects.filter(pk=signed.project.pk).update(agreements_state=AgreementsState.LAPSED)
    signed.project.refresh_from_db()
    with clock.frozen_at(at(D(2023, 7, 2), 18)):
        assert not project_progress(signed.project).behind
