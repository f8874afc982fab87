"""Recording visits: the household's figures, refusals that write nothing, a concern that opens a case, and who
may see and record which households' visits."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.cases.models import Case, Category, Channel, Level, ReporterKind
from commonground.core import clock
from commonground.renewal.field_selectors import (
    group_figures,
    household_timeline,
    planned_visits,
    stale_households,
)
from commonground.renewal.models import Household, Outcome, Visit
from commonground.renewal.services.visits import visit_record


def household_of(campaign, i: int) -> Household:
    return Household.objects.get(project=campaign.project, flat=campaign.flats[i])


def day_after(campaign, days: int, hour: int = 10) -> datetime.datetime:
    """A moment `days` after the project opened, at `hour` o'clock of the project's opening time zone."""
    return campaign.project.created_at + datetime.timedelta(days=days, hours=hour - 12)


def visit(campaign, i: int, at: datetime.datetime, *, actor=None, now=None, **kw) -> Visit:
    with clock.frozen_at(now or at + datetime.timedelta(minutes=30)):
        return visit_record(actor=actor or campaign.office, household=household_of(campaign, i), visited_at=at,
                            outcome=kw.pop("outcome", Outcome.CONSIDERING), **kw)


@pytest.fixture
def enquiry(db) -> Category:
    return Category.objects.create(code="enquiry", name="咨询", sla_hours=24, default_level=Level.COMMUNITY,
                                   open_to=[ReporterKind.RESIDENT, ReporterKind.STAFF])


def test_visit_record__two_visits__household_counts_and_last_visit_kept(campaign):
    first, second = day_after(campaign, 2), day_after(campaign, 5)

    visit(campaign, 0, second, outcome=Outcome.CONCERNS, concerns=["compensation"])
    visit(campaign, 0, first, outcome=Outcome.NOT_HOME, now=second + datetime.timedelta(hours=1))

    household = household_of(campaign, 0)
    assert household.visits_count == 2
    assert household.last_visit_at == second  # the earlier visit, recorded later, does not move it
    assert household.last_outcome == Outcome.CONCERNS


def test_visit_record__actor_not_named__always_among_visitors(campaign):
    office, member = campaign.office, campaign.member

    recorded = visit(campaign, 0, day_after(campaign, 1), actor=member, visitors=[office])

    assert set(recorded.visitors.all()) == {office, member}
    assert recorded.recorded_by == member


@pytest.mark.parametrize(("field", "kw"), [
    ("visited_at", {"at_offset": datetime.timedelta(hours=2)}),  # after the clock: in the future
    ("visited_at", {"at_offset": -datetime.timedelta(days=30)}),  # before the project opened
    ("next_on", {"next_on_offset": -1}),
    ("concerns", {"concerns": ["ghosts"]}),
    ("outcome", {"outcome": "maybe"}),
])
def test_visit_record__bad_input__refused_nothing_written(campaign, nothing_written, field, kw):
    now = day_after(campaign, 3)
    at = now + kw.pop("at_offset", -datetime.timedelta(hours=1))
    if "next_on_offset" in kw:
        kw["next_on"] = (now + datetime.timedelta(days=kw.pop("next_on_offset"))).date()
    household = household_of(campaign, 0)

    with nothing_written(), clock.frozen_at(now), pytest.raises(ValidationError) as error:
        visit_record(actor=campaign.office, household=household, visited_at=at,
                     outcome=kw.pop("outcome", Outcome.CONSIDERING), **kw)
    assert field in error.value.message_dict


def test_visit_record__concern_for_another_department__case_opened_at_the_flat_and_linked(campaign, enquiry):
    at = day_after(campaign, 4)

    recorded = visit(campaign, 1, at, actor=campaign.member, outcome=Outcome.CONCERNS, concerns=["elderly"],
                     notes="老人行动不便，搬迁需要帮助", case_category="enquiry")

    case = Case.objects.get()
    assert recorded.case == case
    assert case.place == campaign.flats[1] and case.place_path == campaign.flats[1].path
    assert case.channel == Channel.STAFF and case.category == enquiry
    assert "老人行动不便" in case.description and campaign.flats[1].name in case.description
    assert case.contact_name == household_of(campaign, 1).owner_names


def test_visit_record__unknown_case_category__refused_no_case(campaign, nothing_written):
    with nothing_written(), pytest.raises(ValidationError) as error:
        visit(campaign, 1, day_after(campaign, 4), concerns=["tenants"], case_category="no-such")
    assert "case_category" in error.value.message_dict


def test_visit_record__member_of_other_group__permission_denied(campaign, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied):
        visit(campaign, 7, day_after(campaign, 1), actor=campaign.member)


def test_visit_record__visitor_who_does_not_reach_household__refused(campaign, nothing_written):
    with nothing_written(), pytest.raises(ValidationError) as error:
        visit(campaign, 7, day_after(campaign, 1), visitors=[campaign.member])
    assert "visitors" in error.value.message_dict


def test_planned_visits__latest_visit_of_unsigned_households_the_actor_reaches(campaign):
    next_day = (day_after(campaign, 3)).date()
    visit(campaign, 0, day_after(campaign, 1), next_on=next_day)        # planned, latest
    visit(campaign, 2, day_after(campaign, 1), next_on=next_day)        # superseded by a later visit
    visit(campaign, 2, day_after(campaign, 2), next_on=next_day + datetime.timedelta(days=2))
    visit(campaign, 7, day_after(campaign, 1), next_on=next_day)        # 二组's

    def planned(user):
        with clock.frozen_at(day_after(campaign, 3)):
            return {v.household.flat_id for v in planned_visits(user, campaign.project, next_day)}

    assert planned(campaign.office) == {campaign.flats[0].pk, campaign.flats[7].pk}
    assert planned(campaign.member) == {campaign.flats[0].pk}
    assert planned(campaign.owner) == set()


def test_stale_households__never_or_long_ago__first_the_longest_forgotten(campaign):
    visit(campaign, 0, day_after(campaign, 1))
    visit(campaign, 1, day_after(campaign, 9))
    with clock.frozen_at(day_after(campaign, 10)):
        stale = list(stale_households(campaign.member, campaign.project))

    flats = [h.flat_id for h in stale]
    assert campaign.flats[1].pk not in flats  # visited a day ago
    assert flats[-1] == campaign.flats[0].pk  # never visited first, then the longest ago
    assert set(flats) <= {f.pk for f in campaign.flats[:6]}  # only 一组's buildings
    assert len(flats) == 5


def test_group_figures__member__own_group_only_with_counts(campaign):
    visit(campaign, 0, day_after(campaign, 1))
    with clock.frozen_at(day_after(campaign, 2)):
        rows = group_figures(campaign.member, campaign.project)
        office_rows = group_figures(campaign.office, campaign.project)

    assert [(r.group.name, r.households, r.visited, r.signed) for r in rows] == [("一组", 6, 1, 0)]
    assert [r.group.name for r in office_rows] == ["一组", "二组"]


def test_household_timeline__query_count_same_for_1_and_10_visits(campaign):
    def queries(i: int) -> int:
        household = household_of(campaign, i)
        with CaptureQueriesContext(connection) as captured:
            visits = household_timeline(household)
            for item in visits:
                [str(person) for person in item.visitors.all()], item.recorded_by.pk, item.case
        return len(captured)

    visit(campaign, 0, day_after(campaign, 1))
    for n in range(10):
        visit(campaign, 2, day_after(campaign, 1 + n), visitors=[campaign.member])
    assert len(household_timeline(household_of(campaign, 2))) == 10
    assert queries(2) == queries(0)


def test_visit_record__case_category_not_open_to_staff__refused_on_the_category_nothing_written(
        campaign, nothing_written):
    Category.objects.create(code="enterprise-only", name="企业诉求", sla_hours=24,
                            open_to=[ReporterKind.ENTERPRISE])

    with nothing_written(), pytest.raises(ValidationError) as error:
        visit(campaign, 1, day_after(campaign, 4), concerns=["tenants"], case_category="enterprise-only")
    assert list(error.value.message_dict) == ["case_category"]
