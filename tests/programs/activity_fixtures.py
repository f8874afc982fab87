"""A community's programme: a community worker, the community's residents' committee as organiser, a published
activity with one session and few places, and the residents of the test tree."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from commonground.core.models import Organisation, OrganisationKind, RoleKind, User
from commonground.core.services.organisations import organisation_create
from commonground.programs.models import Activity
from commonground.programs.services.activities import activity_create, activity_publish, session_add
from tests.conftest import Tree, start_clock_on

TODAY = datetime.date(2024, 5, 6)


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    import zoneinfo

    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@dataclass
class Programme:
    tree: Tree
    worker: User
    organiser: Organisation
    activity: Activity


def make_activity(worker: User, organiser: Organisation, *, capacity: int = 3, publish: bool = True,
                  **fields) -> Activity:
    fields.setdefault("title", "亲子手工课")
    activity = activity_create(actor=worker, place=organiser.place, organiser=organiser, capacity=capacity,
                               signup_opens_at=at(TODAY - datetime.timedelta(days=1)),
                               signup_closes_at=at(TODAY + datetime.timedelta(days=10)), **fields)
    session_add(actor=worker, activity=activity, starts_at=at(TODAY + datetime.timedelta(days=12), 14),
                ends_at=at(TODAY + datetime.timedelta(days=12), 16), venue="社区活动室")
    if publish:
        activity = activity_publish(actor=worker, activity=activity)
    return activity


@pytest.fixture
def programme(tree, make_user) -> Programme:
    start_clock_on(TODAY)
    worker = make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    organiser = organisation_create(name="竹竿巷社区居民委员会", kind=OrganisationKind.RESIDENTS_COMMITTEE,
                                    place=tree.community)
    return Programme(tree, worker, organiser, make_activity(worker, organiser))
