"""The three-party offices: who sees which office and its staff's names, appointing and ending terms, the register
of joint meetings, the offices API; query counts that do not grow with the offices."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.cases.models import Category
from commonground.coordination.services.network import office_staff_appoint, office_staff_end
from commonground.core import clock
from commonground.core.models import OrganisationMembership
from commonground.deliberation.models import MeetingKind
from commonground.deliberation.services.meetings import meeting_create, resolution_add, resolution_open_case
from tests.coordination.network_fixtures import net_fixture, office  # noqa: F401  (fixture)


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_offices__community_worker__their_community_office_only(client, net):
    response = page(client, net.users["community"], "/coordination/offices/")

    assert response.status_code == 200
    names = [o.name for label, rows in response.context["levels"] for o, _staff in rows]
    assert names == ["竹竿巷社区三方办"]
    assert "王建国" in response.content.decode()
    assert "赵远方" not in response.content.decode()


def test_offices__street_staff__street_office_then_its_communities(client, net):
    response = page(client, net.users["street"], "/coordination/offices/")

    levels = [(str(label), [o.name for o, _s in rows]) for label, rows in response.context["levels"]]
    assert levels == [("Street three-party offices", ["武林街道三方办"]),
                      ("Community three-party offices", ["竹竿巷社区三方办", "龙游社区三方办"])]


def test_offices__owners_committee_member__their_community_office_staff_masked(client, net):
    response = page(client, net.users["committee"], "/coordination/offices/")

    body = response.content.decode()
    assert [o.name for _l, rows in response.context["levels"] for o, _s in rows] == ["竹竿巷社区三方办"]
    assert "王建国" not in body and "王**" in body
    detail = page(client, net.users["committee"], f"/coordination/offices/{net.offices['community'].pk}/")
    assert detail.status_code == 200
    assert "王建国" not in detail.content.decode() and "13900000001" not in detail.content.decode()
    assert detail.context["form"] is None


def test_office__other_community__404(client, net):
    assert page(client, net.users["community"], f"/coordination/offices/{net.offices['far'].pk}/").status_code == 404
    assert page(client, net.users["committee"], f"/coordination/offices/{net.offices['street'].pk}/").status_code == 404


def test_office_staff_appoint__by_the_community_worker__person_and_membership(client, net):
    client.force_login(net.users["community"])
    response = client.post(f"/coordination/offices/{net.offices['community'].pk}/",
                           {"position": "工作人员", "name": "孙小梅", "phone": "13900000003", "term_from": "2023-08-01"})

    assert response.status_code == 302
    membership = OrganisationMembership.objects.get(organisation=net.offices["community"], person__name="孙小梅")
    assert (membership.position, membership.term_from, membership.person.registered_place) == (
        "工作人员", datetime.date(2023, 8, 1), net.tree.community)


def test_office_staff_appoint__second_director__refused_nothing_written(net, nothing_written):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        office_staff_appoint(actor=net.users["community"], office=net.offices["community"], position="主任",
                             name="新主任")
    assert "position" in refused.value.message_dict


@pytest.mark.parametrize("who", ["far", "committee", "grid"])
def test_office_staff_appoint__without_manage_there__refused_nothing_written(net, nothing_written, who):
    with nothing_written(), pytest.raises(PermissionDenied):
        office_staff_appoint(actor=net.users[who], office=net.offices["community"], position="工作人员", name="某人")


def test_office_staff_appoint__post_by_owners_committee_member__403_nothing_written(client, net, nothing_written):
    client.force_login(net.users["committee"])
    with nothing_written():
        response = client.post(f"/coordination/offices/{net.offices['community'].pk}/",
                               {"position": "工作人员", "name": "孙小梅"})
    assert response.status_code == 403


def test_office_staff_end__director__term_ends_today_then_a_new_director_may_come(net):
    director = OrganisationMembership.objects.get(organisation=net.offices["community"], position="主任")

    office_staff_end(actor=net.users["community"], membership=director)

    director.refresh_from_db()
    assert director.term_to == clock.today()
    with pytest.raises(ValidationError):
        office_staff_end(actor=net.users["community"], membership=director)
    tomorrow = clock.today() + datetime.timedelta(days=1)
    new = office_staff_appoint(actor=net.users["community"], office=net.offices["community"], position="主任",
                               name="钱新任", term_from=tomorrow)
    assert new.term_from == tomorrow


def test_office_staff_end__other_community__404_nothing_written(client, net, nothing_written):
    far_director = OrganisationMembership.objects.get(organisation=net.offices["far"])
    client.force_login(net.users["community"])
    with nothing_written():
        response = client.post(f"/coordination/offices/{net.offices['far'].pk}/staff/{far_director.pk}/end/")
    assert response.status_code == 404


def joint_meeting(net, place, convener, title="三方联席会议"):
    actor = net.users["district"]
    start = clock.now() - datetime.timedelta(days=2)
    meeting = meeting_create(actor=actor, place=place, convener=convener, kind=MeetingKind.JOINT, title=title,
                             starts_at=start, ends_at=start + datetime.timedelta(hours=2), venue="会议室")
    resolution = resolution_add(actor=actor, meeting=meeting, text="物业一个月内完成停车位划线")
    case = resolution_open_case(actor=actor, resolution=resolution,
                                category=Category.objects.get(code="resolution-follow-up"))
    return meeting, case


def test_joint_meetings__community_worker__theirs_with_resolution_and_case_not_the_far_one(client, net):
    ours, case = joint_meeting(net, net.tree.community, net.offices["community"], "竹竿巷联席会议")
    joint_meeting(net, net.tree.far_community, net.offices["far"], "武林路联席会议")

    response = page(client, net.users["community"], "/coordination/joint-meetings/")

    body = response.content.decode()
    assert [m.title for m in response.context["page"].object_list] == ["竹竿巷联席会议"]
    assert "物业一个月内完成停车位划线" in body and case.number in body and "武林路联席会议" not in body
    assert "?kind=joint" in body
    office_page = page(client, net.users["community"], f"/coordination/offices/{net.offices['community'].pk}/")
    assert [m.title for m in office_page.context["meetings"]] == ["竹竿巷联席会议"]


def test_meeting_create_page__kind_in_the_link__preselected(client, net):
    response = page(client, net.users["community"], "/deliberation/meetings/new/?kind=joint")

    assert response.context["form"]["kind"].value() == "joint"


def test_offices_api__committee_member__masked_names_and_their_office_only(client, net):
    response = page(client, net.users["committee"], "/api/coordination/offices")

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert data["items"][0]["name"] == "竹竿巷社区三方办"
    assert data["items"][0]["staff"] == [{"position": "主任", "name": "王**"}]


def test_offices_api__community_worker__full_names_no_other_community(client, net):
    data = page(client, net.users["community"], "/api/coordination/offices").json()

    assert [(o["name"], o["staff"]) for o in data["items"]] == [
        ("竹竿巷社区三方办", [{"position": "主任", "name": "王建国"}])]


def test_offices_page_and_api__one_or_many_offices__same_query_count(client, net):
    street = net.users["street"]
    client.force_login(street)

    def count(url):
        client.get(url)  # warm the session and the role cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    joint_meeting(net, net.tree.community, net.offices["community"])
    before = (count("/coordination/offices/"), count("/api/coordination/offices"),
              count("/coordination/joint-meetings/"))
    for n in range(3):
        extra = office(net.tree.street, f"额外三方办{n}")
        office_staff_appoint(actor=net.users["district"], office=extra, position="主任", name=f"额外{n}")
        joint_meeting(net, net.tree.neighbour, extra, f"会议{n}")
    after = (count("/coordination/offices/"), count("/api/coordination/offices"),
             count("/coordination/joint-meetings/"))
    assert after == before
