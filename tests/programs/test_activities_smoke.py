"""The sign-up rules end to end through the services (the lead's smoke test; the parts' tests go further)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from commonground.core.models import RoleKind
from commonground.programs.models import Activity, EnrolmentStatus
from commonground.programs.services.activities import enrolment_cancel, enrolment_create

from .activity_fixtures import make_activity


def test_enrolment_create__capacity_full__waits_in_order_and_takes_a_freed_place(programme, make_user):
    people = [programme.tree.owner, programme.tree.neighbour_owner]
    users = [make_user(RoleKind.RESIDENT, programme.tree.estate, person=person) for person in people]
    activity = make_activity(programme.worker, programme.organiser, capacity=1, title="一个名额")
    first = enrolment_create(actor=users[0], activity=activity)
    second = enrolment_create(actor=users[1], activity=activity)
    assert (first.status, second.status) == (EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITING)
    enrolment_cancel(actor=users[0], enrolment=first)
    second.refresh_from_db()
    assert second.status == EnrolmentStatus.CONFIRMED
    assert Activity.objects.get(pk=activity.pk).confirmed_count == 1


def test_enrolment_create__twice__refused(programme, make_user):
    user = make_user(RoleKind.RESIDENT, programme.tree.estate, person=programme.tree.owner)
    enrolment_create(actor=user, activity=programme.activity)
    with pytest.raises(ValidationError, match="already signed up"):
        enrolment_create(actor=user, activity=programme.activity)
