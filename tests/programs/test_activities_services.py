"""The activities services: places and the waiting list, editing, sessions, the audience, age and guardian rules,
the sign-up window, cancelled activities, the desk and the allowed actions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.core import clock
from commonground.core.models import RoleKind
from commonground.programs.models import Activity, ActivitySession, Audience, Enrolment, EnrolmentStatus
from commonground.programs.services.activities import (
    activity_allowed_actions,
    activity_cancel,
    activity_update,
    enrolment_allowed_actions,
    enrolment_cancel,
    enrolment_create,
    session_add,
    session_remove,
    session_update,
)

from .activities_fixtures import summer_camp
from .activity_fixtures import TODAY, at, make_activity


@pytest.fixture
def residents(programme, make_user):
    from commonground.core.services.people import person_create
    from tests.conftest import make_id_number

    people = [programme.tree.owner, programme.tree.neighbour_owner] + [
        person_create(name=f"居民{n}", id_number=make_id_number(seq=40 + n)) for n in range(4)]
    return [make_user(RoleKind.RESIDENT, programme.tree.estate, person=p) for p in people]


def statuses(activity):
    return list(Enrolment.objects.filter(activity=activity).order_by("pk").values_list("status", flat=True))


def test_enrolment_create__more_than_capacity__rest_wait_in_order(programme, residents):
    activity = make_activity(programme.worker, programme.organiser, capacity=2)
    for user in residents[:5]:
        enrolment_create(actor=user, activity=activity)
    assert statuses(activity) == ["confirmed", "confirmed", "waiting", "waiting", "waiting"]
    assert Activity.objects.get(pk=activity.pk).confirmed_count == 2


def test_enrolment_cancel__confirmed__first_waiting_takes_the_place_others_keep_order(programme, residents):
    activity = make_activity(programme.worker, programme.organiser, capacity=2)
    made = [enrolment_create(actor=user, activity=activity) for user in residents[:5]]
    enrolment_cancel(actor=residents[0], enrolment=made[0])
    assert statuses(activity) == ["cancelled", "confirmed", "confirmed", "waiting", "waiting"]
    enrolment_cancel(actor=residents[4], enrolment=made[4])  # a waiting one leaves: no place changes hands
    assert statuses(activity) == ["cancelled", "confirmed", "confirmed", "waiting", "cancelled"]
    assert Activity.objects.get(pk=activity.pk).confirmed_count == 2


def test_activity_update__capacity_raised__waiting_promoted_in_order(programme, residents):
    activity = make_activity(programme.worker, programme.organiser, capacity=1)
    for user in residents[:4]:
        enrolment_create(actor=user, activity=activity)
    updated = activity_update(actor=programme.worker, activity=activity, capacity=3)
    assert updated.confirmed_count == 3
    assert statuses(activity) == ["confirmed", "confirmed", "confirmed", "waiting"]


def test_activity_update__capacity_below_confirmed__refused_nothing_changed(programme, residents, nothing_written):
    activity = make_activity(programme.worker, programme.organiser, capacity=3)
    for user in residents[:3]:
        enrolment_create(actor=user, activity=activity)
    with nothing_written(), pytest.raises(ValidationError, match="3 people already have a confirmed place"):
        activity_update(actor=programme.worker, activity=activity, capacity=2)


def test_activity_update__fields__saved(programme):
    activity = activity_update(actor=programme.worker, activity=programme.activity, title=" 新标题 ",
                               capacity=10, min_age=60)
    stored = Activity.objects.get(pk=activity.pk)
    assert (stored.title, stored.capacity, stored.min_age) == ("新标题", 10, 60)


def test_activity_update__resident__refused(programme, residents, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied):
        activity_update(actor=residents[0], activity=programme.activity, title="改")


def test_activity_update__cancelled__refused(programme):
    activity_cancel(actor=programme.worker, activity=programme.activity)
    with pytest.raises(ValidationError, match="cancelled"):
        activity_update(actor=programme.worker, activity=programme.activity, capacity=9)


def test_session_update_and_remove__not_started__times_follow(programme):
    activity = programme.activity
    second = session_add(actor=programme.worker, activity=activity, starts_at=at(TODAY + datetime.timedelta(days=14)),
                         ends_at=at(TODAY + datetime.timedelta(days=14), 11))
    session_update(actor=programme.worker, session=second, starts_at=at(TODAY + datetime.timedelta(days=15)),
                   ends_at=at(TODAY + datetime.timedelta(days=15), 12), venue="会议室")
    stored = Activity.objects.get(pk=activity.pk)
    assert stored.last_ends_at == at(TODAY + datetime.timedelta(days=15), 12)
    session_remove(actor=programme.worker, session=second)
    stored = Activity.objects.get(pk=activity.pk)
    assert stored.last_ends_at == at(TODAY + datetime.timedelta(days=12), 16)
    assert ActivitySession.objects.filter(activity=activity).count() == 1


def test_session_remove__last_of_published__refused(programme, nothing_written):
    with nothing_written(), pytest.raises(ValidationError, match="at least one session"):
        session_remove(actor=programme.worker, session=programme.activity.sessions.get())


def test_session_update__started__refused(programme, nothing_written):
    session = programme.activity.sessions.get()
    with clock.frozen_at(at(TODAY + datetime.timedelta(days=12), 15)), nothing_written(), \
            pytest.raises(ValidationError, match="has started"):
        session_update(actor=programme.worker, session=session, starts_at=at(TODAY + datetime.timedelta(days=20)),
                       ends_at=at(TODAY + datetime.timedelta(days=20), 16))


def test_enrolment_create__parent_for_household_child__confirmed(programme, family):
    camp = summer_camp(programme)
    enrolment = enrolment_create(actor=family.courier, activity=camp, participant=family.child)
    assert (enrolment.participant, enrolment.enrolled_by, enrolment.status) == (
        family.child, family.courier, EnrolmentStatus.CONFIRMED)


def test_enrolment_create__neighbours_child__refused(programme, family, nothing_written):
    camp = summer_camp(programme)
    with nothing_written(), pytest.raises(ValidationError, match="a child of your household"):
        enrolment_create(actor=family.courier, activity=camp, participant=family.neighbour_child)


def test_enrolment_create__adult_of_household__refused(programme, family, nothing_written):
    activity = make_activity(programme.worker, programme.organiser)
    with nothing_written(), pytest.raises(ValidationError, match="a child of your household"):
        enrolment_create(actor=family.courier, activity=activity, participant=family.teenager)


def test_enrolment_create__parent_too_old_for_camp__refused(programme, family, nothing_written):
    camp = summer_camp(programme)
    with nothing_written(), pytest.raises(ValidationError, match="ages 6 to 12; the participant will be 36"):
        enrolment_create(actor=family.courier, activity=camp)


def test_enrolment_create__child_too_young__refused(programme, family, nothing_written):
    camp = summer_camp(programme)
    activity_update(actor=programme.worker, activity=camp, min_age=10)
    with nothing_written(), pytest.raises(ValidationError, match="ages 10 to 12; the participant will be 9"):
        enrolment_create(actor=family.courier, activity=camp, participant=family.child)


def test_enrolment_create__no_birth_date__refused(programme, make_user, nothing_written):
    from commonground.core.services.people import person_create

    person = person_create(name="无证人")
    user = make_user(RoleKind.RESIDENT, programme.tree.estate, person=person)
    camp = summer_camp(programme)
    with nothing_written(), pytest.raises(ValidationError, match="birth date is not on record"):
        enrolment_create(actor=user, activity=camp)


def test_enrolment_create__new_employment_family_child__confirmed(programme, family):
    camp = summer_camp(programme, audience=Audience.NEW_EMPLOYMENT)
    assert enrolment_create(actor=family.courier, activity=camp, participant=family.child).status == "confirmed"


def test_enrolment_create__new_employment_without_declaration__refused(programme, family, nothing_written):
    camp = summer_camp(programme, audience=Audience.NEW_EMPLOYMENT)
    with nothing_written(), pytest.raises(ValidationError, match="couriers, riders and drivers"):
        enrolment_create(actor=family.neighbour, activity=camp, participant=family.neighbour_child)


def test_enrolment_create__residents_activity__resident_confirmed_outsider_refused(programme, make_user,
                                                                                    nothing_written):
    from commonground.core.services.people import person_create
    from tests.conftest import make_id_number

    activity = make_activity(programme.worker, programme.organiser, audience=Audience.RESIDENTS)
    resident = make_user(RoleKind.RESIDENT, programme.tree.estate, person=programme.tree.owner)
    assert enrolment_create(actor=resident, activity=activity).status == "confirmed"
    stranger = make_user(person=person_create(name="外来人", id_number=make_id_number(seq=77)))
    with nothing_written(), pytest.raises(ValidationError, match="for residents of"):
        enrolment_create(actor=stranger, activity=activity)


@pytest.mark.parametrize(("moment", "message"), [
    (at(TODAY - datetime.timedelta(days=2)), "Sign-up opens on"),
    (at(TODAY + datetime.timedelta(days=10)), "Sign-up has closed"),
])
def test_enrolment_create__outside_window__refused(programme, residents, nothing_written, moment, message):
    with clock.frozen_at(moment), nothing_written(), pytest.raises(ValidationError, match=message):
        enrolment_create(actor=residents[0], activity=programme.activity)


def test_enrolment_create__cancelled_activity__refused(programme, residents, nothing_written):
    activity_cancel(actor=programme.worker, activity=programme.activity)
    with nothing_written(), pytest.raises(ValidationError, match="not open for sign-up"):
        enrolment_create(actor=residents[0], activity=programme.activity)


def test_enrolment_create__draft_by_stranger__permission_denied(programme, residents, nothing_written):
    draft = make_activity(programme.worker, programme.organiser, publish=False)
    with nothing_written(), pytest.raises(PermissionDenied):
        enrolment_create(actor=residents[0], activity=draft)


def test_enrolment_create__staff_at_desk__adult_signed_up(programme, residents):
    enrolment = enrolment_create(actor=programme.worker, activity=programme.activity,
                                 participant=programme.tree.owner)
    assert (enrolment.participant, enrolment.enrolled_by) == (programme.tree.owner, programme.worker)


def test_enrolment_create__staff_at_desk_person_outside_scope__refused(programme, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied):
        enrolment_create(actor=programme.worker, activity=programme.activity,
                         participant=programme.tree.neighbour_owner)


def test_enrolment_create__staff_of_other_community_at_desk__refused(programme, make_user, nothing_written):
    other = make_user(RoleKind.COMMUNITY_WORKER, programme.tree.far_community)
    with nothing_written(), pytest.raises(ValidationError, match="a child of your household"):
        enrolment_create(actor=other, activity=programme.activity, participant=programme.tree.owner)


def test_enrolment_cancel__staff_cancels_a_residents_sign_up__cancelled(programme, residents):
    enrolment = enrolment_create(actor=residents[0], activity=programme.activity)
    assert enrolment_allowed_actions(programme.worker, enrolment) == {"cancel"}
    assert enrolment_cancel(actor=programme.worker, enrolment=enrolment).status == "cancelled"


def test_enrolment_cancel__neighbour__refused(programme, residents, nothing_written):
    enrolment = enrolment_create(actor=residents[0], activity=programme.activity)
    assert enrolment_allowed_actions(residents[1], enrolment) == set()
    with nothing_written(), pytest.raises(PermissionDenied):
        enrolment_cancel(actor=residents[1], enrolment=enrolment)


def test_activity_allowed_actions__by_role(programme, residents):
    draft = make_activity(programme.worker, programme.organiser, publish=False)
    assert activity_allowed_actions(programme.worker, draft) == {"manage", "cancel", "publish", "enrolments"}
    assert activity_allowed_actions(programme.worker, programme.activity) == {
        "sign_up", "manage", "cancel", "enrolments", "desk"}
    assert activity_allowed_actions(residents[0], programme.activity) == {"sign_up"}
