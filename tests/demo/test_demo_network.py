"""The coordination demo's offices and party network (coordination/demo/network.py), on the demo the package
builds once: every office has a director, every estate's corridor branches cover buildings of their own estate,
joint meetings at 河东社区 and 远洋公寓's community with resolutions that opened a case, and three-party disputes
the community offices sent up to the street offices."""

from __future__ import annotations

import pytest
from django.db.models import F

from commonground.cases.models import Case, Level
from commonground.coordination.models import BranchBuilding
from commonground.core.models import Organisation, OrganisationKind, OrganisationMembership, Place, PlaceKind
from commonground.deliberation.models import Meeting, MeetingKind, MeetingStatus

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(demo_built):
    return demo_built[0]


def test_demo_network__every_office_has_one_director(demo, db):
    offices = Organisation.objects.filter(kind=OrganisationKind.THREE_PARTY_OFFICE)
    directors = OrganisationMembership.objects.filter(organisation__in=offices, position="主任", term_to__isnull=True)

    assert offices.count() == 139
    assert directors.count() == 139
    assert directors.values("organisation").distinct().count() == 139


def test_demo_network__every_corridor_branch_covers_its_own_estates_buildings(demo, db):
    branches = Organisation.objects.filter(kind=OrganisationKind.PARTY_ORGANISATION, place__kind=PlaceKind.CORRIDOR)

    assert branches.count() == 2359
    assert BranchBuilding.objects.values("branch").distinct().count() == 2359
    assert not BranchBuilding.objects.exclude(building__parent_id=F("branch__place__parent__parent_id")).exists()
    assert not BranchBuilding.objects.exclude(building__kind=PlaceKind.BUILDING).exists()


def test_demo_network__joint_meetings_held_with_a_resolution_that_opened_a_case(demo, db):
    meetings = Meeting.objects.filter(kind=MeetingKind.JOINT)

    assert sorted(meetings.values_list("place__name", flat=True)) == sorted(
        ["河东社区", Place.objects.get(kind=PlaceKind.ESTATE, name="远洋公寓").parent.name])
    assert set(meetings.values_list("status", flat=True)) == {MeetingStatus.HELD}
    for meeting in meetings:
        assert meeting.resolutions.count() == 2
        assert sum(r.cases.count() for r in meeting.resolutions.all()) == 1


def test_demo_network__three_party_disputes_escalated_to_the_street_office(demo, db):
    disputes = Case.objects.filter(category__code="three-party-dispute")

    escalated = disputes.filter(escalations=1)
    assert disputes.count() == 4
    assert escalated.count() == 2
    for case in escalated:
        assert (case.level, case.handler.kind, case.handler.place_id) == (
            Level.STREET, OrganisationKind.THREE_PARTY_OFFICE, case.handling_place_id)
    for case in disputes.filter(escalations=0):
        assert (case.level, case.handler.kind) == (Level.COMMUNITY, OrganisationKind.THREE_PARTY_OFFICE)
