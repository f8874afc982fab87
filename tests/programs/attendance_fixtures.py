"""A course of five sessions run by the programme's community worker: two residents with confirmed places, a third
person on the waiting list, and a person who never signed up."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from commonground.core import clock
from commonground.core.models import Person, RoleKind, User
from commonground.core.services.people import person_create
from commonground.programs.models import Activity, ActivityKind, ActivitySession, Enrolment
from commonground.programs.services.activities import (
    activity_create,
    activity_publish,
    enrolment_create,
    session_add,
)
from tests.conftest import make_id_number

from .activity_fixtures import TODAY, Programme, at

FIRST_DAY = TODAY + datetime.timedelta(days=12)


@dataclass
class Course:
    programme: Programme
    activity: Activity
    sessions: list[ActivitySession]
    confirmed: list[Enrolment]
    waiting: Enrolment
    stranger: Person
    users: list[User]


def make_course(programme: Programme, *, sessions: int = 5, capacity: int = 2, kind: str = ActivityKind.COURSE,
                allow_walk_ins: bool = False, title: str = "小哥家庭学堂·育儿课") -> Activity:
    worker, organiser = programme.worker, programme.organiser
    activity = activity_create(actor=worker, place=organiser.place, organiser=organiser, capacity=capacity,
                               signup_opens_at=at(TODAY - datetime.timedelta(days=1)),
                               signup_closes_at=at(TODAY + datetime.timedelta(days=10)), title=title, kind=kind,
                               allow_walk_ins=allow_walk_ins)
    for n in range(sessions):
        day = FIRST_DAY + datetime.timedelta(days=7 * n)
        session_add(actor=worker, activity=activity, starts_at=at(day, 19), ends_at=at(day, 21), venue="活动区")
    return activity_publish(actor=worker, activity=activity)


def in_session(session: ActivitySession, minutes: int = 10):
    """The clock stopped `minutes` after the session starts."""
    return clock.frozen_at(session.starts_at + datetime.timedelta(minutes=minutes))


@pytest.fixture
def course(programme, make_user) -> Course:
    tree = programme.tree
    third = person_create(name="王五", id_number=make_id_number(seq=13), phone="13800000003")
    stranger = person_create(name="赵六", id_number=make_id_number(seq=14), phone="13800000004")
    users = [make_user(RoleKind.RESIDENT, tree.estate, person=p) for p in (tree.owner, tree.neighbour_owner, third)]
    activity = make_course(programme)
    confirmed = [enrolment_create(actor=u, activity=activity) for u in users[:2]]
    waiting = enrolment_create(actor=users[2], activity=activity)
    return Course(programme, activity, list(activity.sessions.order_by("starts_at")), confirmed, waiting, stranger,
                  users)
