"""The report's coordination.meetings and coordination.resolutions: meetings held in the scope in the period."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.utils import translation

from commonground.core.clock import frozen_at
from commonground.core.models import OrganisationKind, RoleKind
from commonground.core.report_render import report_sections
from commonground.core.reporting import build_report
from commonground.core.services.organisations import organisation_create
from commonground.deliberation.services.meetings import (
    meeting_cancel,
    meeting_create,
    meeting_record_minutes,
    resolution_add,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
YEAR = (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))


@pytest.fixture
def meetings(tree, make_user):
    """At the estate: one held on 2023-03-01 with two resolutions, one held on 2022-12-30 with one, one cancelled;
    in the far community: one held on 2023-05-05 with one resolution."""
    worker = make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    far_worker = make_user(RoleKind.COMMUNITY_WORKER, tree.far_community)
    committee = organisation_create(name="居委会", kind=OrganisationKind.RESIDENTS_COMMITTEE, place=tree.community)
    far_committee = organisation_create(name="远居委会", kind=OrganisationKind.RESIDENTS_COMMITTEE,
                                        place=tree.far_community)

    def hold(actor, place, convener, day: datetime.date, resolutions: int, *, cancel: bool = False):
        starts_at = datetime.datetime.combine(day, datetime.time(19), tzinfo=SHANGHAI)
        with frozen_at(starts_at - datetime.timedelta(days=3)):
            meeting = meeting_create(actor=actor, place=place, convener=convener, kind="council", title="红茶议事会",
                                     starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2),
                                     venue="社区二楼")
            if cancel:
                meeting_cancel(actor=actor, meeting=meeting)
                return
        with frozen_at(starts_at + datetime.timedelta(hours=2)):
            for n in range(resolutions):
                resolution_add(actor=actor, meeting=meeting, text=f"决议{n + 1}")
            meeting_record_minutes(actor=actor, meeting=meeting, minutes="会议纪要。")

    hold(worker, tree.estate, committee, datetime.date(2023, 3, 1), 2)
    hold(worker, tree.estate, committee, datetime.date(2022, 12, 30), 1)
    hold(worker, tree.estate, committee, datetime.date(2023, 6, 1), 0, cancel=True)
    hold(far_worker, tree.far_community, far_committee, datetime.date(2023, 5, 5), 1)


def figures(scope, period=YEAR) -> dict:
    section = build_report(scope=scope, start=period[0], end=period[1])["coordination"]
    return {key: section[key] for key in ("meetings", "resolutions")}


def test_report_meetings__street__held_meetings_of_the_period_and_their_resolutions(tree, meetings):
    assert figures(tree.street) == {"meetings": 1, "resolutions": 2}


def test_report_meetings__district__other_street_counted_too(tree, meetings):
    assert figures(tree.district) == {"meetings": 2, "resolutions": 3}


def test_report_meetings__earlier_period__only_what_was_held_then(tree, meetings):
    assert figures(tree.district, (datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))) == {
        "meetings": 1, "resolutions": 1}


def test_report_meetings__other_community__none(tree, meetings):
    assert figures(tree.neighbour) == {"meetings": 0, "resolutions": 0}


def test_report_meetings__sentence__states_the_figures(tree, meetings):
    report = build_report(scope=tree.district, start=YEAR[0], end=YEAR[1])

    with translation.override("en"):
        sentences = {section.key: section.sentences for section in report_sections(report)}["coordination"]

    assert "2 deliberation meetings were held and adopted 3 resolutions." in sentences
