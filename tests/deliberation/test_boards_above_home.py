"""Residents read the boards above their home: the notices and the announced meetings of their estate, community,
street and district, on the pages, the API and the calendar alike; nothing of another community."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.core.clock import today
from commonground.core.models import RoleKind
from commonground.core.permissions import can
from commonground.deliberation.meeting_selectors import access_meeting
from commonground.deliberation.models import Meeting, Notice, NoticeKind
from commonground.deliberation.selectors import access_notice, meetings_for, notices_for
from commonground.deliberation.services.meetings import meeting_publish_notice
from commonground.deliberation.services.notices import notice_publish


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def street_staff(make_user, tree):
    return make_user(RoleKind.STREET_STAFF, tree.street)


@pytest.fixture
def boards(tree, clerk, street_staff, make_user):
    """A notice on each board from the tree's district down to its building, and one on the neighbour
    community's board and one in the other street."""
    district_admin = make_user(RoleKind.DISTRICT_ADMIN, tree.district)
    far_staff = make_user(RoleKind.STREET_STAFF, tree.other_street)
    posts = {
        "district": (district_admin, tree.district), "street": (street_staff, tree.street),
        "community": (clerk, tree.community), "estate": (clerk, tree.estate), "building": (clerk, tree.building),
        "neighbour": (street_staff, tree.neighbour), "far": (far_staff, tree.far_community),
    }
    return {key: notice_publish(actor=actor, place=place, kind=NoticeKind.OTHER, title=f"{place.name}的公示",
                                body="告示", posted_on=today())
            for key, (actor, place) in posts.items()}


MINE = {"district", "street", "community", "estate", "building"}


@pytest.mark.parametrize("role, scope", [(RoleKind.RESIDENT, "estate"), (RoleKind.ENTERPRISE_CONTACT, "building"),
                                         (RoleKind.OWNERS_COMMITTEE_MEMBER, "estate")])
def test_notices_for__resident_roles__every_board_above_home_and_no_other(make_user, tree, boards, role, scope):
    user = make_user(role, getattr(tree, scope))
    seen = set(notices_for(user).values_list("pk", flat=True))
    assert seen == {boards[key].pk for key in MINE}  # above the home, or under it
    for key, notice in boards.items():
        assert can(user, "notice.view", notice) == (notice.pk in seen), key


def test_notices_for__staff__their_scope_only_not_above(make_user, tree, boards):
    """Staff hold their place, not a home: a grid worker of the community reads its boards, not the street's."""
    grid = make_user(RoleKind.GRID_WORKER, tree.community)
    seen = set(notices_for(grid).values_list("pk", flat=True))
    assert seen == {boards[key].pk for key in ("community", "estate", "building")}


def test_notice_page__owner__community_and_street_notices_open_neighbours_404(owner_user, boards):
    client = login(owner_user)
    for key in ("community", "street", "district"):
        assert client.get(reverse("deliberation:notice", args=[boards[key].pk])).status_code == 200, key
    for key in ("neighbour", "far"):
        assert client.get(reverse("deliberation:notice", args=[boards[key].pk])).status_code == 404, key
        assert client.get(reverse("deliberation:notice-pdf", args=[boards[key].pk])).status_code == 404, key


def test_notices_page_and_api__owner__above_listed_neighbours_absent(owner_user, boards):
    client = login(owner_user)
    html = client.get(reverse("deliberation:notices")).content.decode()
    listed = client.get("/api/notices").json()
    ids = {item["id"] for item in listed["items"]}
    for key, notice in boards.items():
        assert (f'data-notice="{notice.pk}"' in html) == (key in MINE), key
        assert (notice.pk in ids) == (key in MINE), key
    assert "龙游" not in html and "武林路" not in html


def test_notices_page__owner__query_count_same_for_one_and_many(owner_user, tree, clerk, boards,
                                                               django_assert_max_num_queries):
    client = login(owner_user)
    client.get(reverse("deliberation:notices"))
    first = count_queries(lambda: client.get(reverse("deliberation:notices")))
    for n in range(5):
        notice_publish(actor=clerk, place=tree.community, kind=NoticeKind.OTHER, title=f"又一则{n}", body="告示",
                       posted_on=today())
    with django_assert_max_num_queries(first):
        client.get(reverse("deliberation:notices"))


# --- meetings ---------------------------------------------------------------------------------------------

@pytest.fixture
def announced(plan_meeting, meeting_world):
    """The community's 红茶议事会, planned and posted on the community's board."""
    meeting = plan_meeting()
    meeting_publish_notice(actor=meeting_world.worker, meeting=meeting)
    return meeting


def test_meeting__owner__announced_community_meeting_seen_everywhere(owner_user, announced):
    client = login(owner_user)
    assert access_meeting(owner_user, announced.pk) == announced
    assert client.get(reverse("deliberation:meeting", args=[announced.pk])).status_code == 200
    assert client.get(reverse("deliberation:meeting-pdf", args=[announced.pk])).status_code == 200
    assert announced.title in client.get(reverse("deliberation:meetings")).content.decode()
    assert announced.pk in {item["id"] for item in client.get("/api/meetings").json()["items"]}
    assert b"SUMMARY:" in client.get(reverse("deliberation:meetings-ics")).content
    notice = announced.notices.get()
    assert access_notice(owner_user, notice.pk) == notice


def test_meeting__owner__not_yet_announced__404(owner_user, plan_meeting):
    meeting = plan_meeting()
    assert login(owner_user).get(reverse("deliberation:meeting", args=[meeting.pk])).status_code == 404
    assert not meetings_for(owner_user).filter(pk=meeting.pk).exists()
    assert not can(owner_user, "meeting.view", meeting)


def test_meeting__resident_of_neighbour_community__announced_meeting_404(make_user, tree, announced):
    neighbour = make_user(RoleKind.RESIDENT, tree.neighbour_estate)
    client = login(neighbour)
    assert client.get(reverse("deliberation:meeting", args=[announced.pk])).status_code == 404
    assert client.get(reverse("deliberation:notice", args=[announced.notices.get().pk])).status_code == 404
    assert client.get("/api/meetings").json()["items"] == []
    assert not can(neighbour, "meeting.view", announced)


def test_meetings_for__owner__agrees_with_can(owner_user, announced, plan_meeting):
    quiet = plan_meeting(title="未公告的会议")
    seen = set(meetings_for(owner_user).values_list("pk", flat=True))
    assert seen == {announced.pk}
    for meeting in (announced, quiet):
        assert can(owner_user, "meeting.view", meeting) == (meeting.pk in seen)
    assert Meeting.objects.count() == 2 and Notice.objects.filter(meeting=announced).count() == 1
