"""The deliberation API for meetings: list and filters, one meeting with agenda, attendance counts and
resolutions with their cases' progress, planning a meeting, recording a resolution and opening a case from
it; every endpoint allowed and refused, refusals changing nothing."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonground.cases.models import Case, Category, ReporterKind
from commonground.core.models import OrganisationKind, RoleKind
from commonground.core.services.organisations import organisation_create
from commonground.deliberation.models import Meeting, Resolution
from commonground.deliberation.services.meetings import (
    attendee_sign_in,
    meeting_create,
    resolution_add,
    resolution_open_case,
)


@pytest.fixture
def as_user():
    def login(user) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        return client
    return login


@pytest.fixture
def outsider(tree, make_user):
    return make_user(RoleKind.COMMUNITY_WORKER, tree.neighbour)


@pytest.fixture
def committee(tree):
    return organisation_create(name="竹竿巷社区居委会", kind=OrganisationKind.RESIDENTS_COMMITTEE, place=tree.community)


@pytest.fixture
def rubbish(db) -> Category:
    return Category.objects.create(code="exposed-rubbish", name="暴露垃圾", sla_hours=4,
                                   open_to=[ReporterKind.RESIDENT, ReporterKind.STAFF, ReporterKind.PUBLIC])


def plan(clerk, tree, committee, *, hours: float = -1, title: str = "红茶议事会", place=None, **kwargs) -> Meeting:
    """A meeting starting `hours` from now (in the past by default, so it can resolve), two hours long."""
    starts = timezone.now() + datetime.timedelta(hours=hours)
    return meeting_create(actor=clerk, place=place or tree.community, convener=committee, kind="council", title=title,
                          starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), venue="社区会议室", **kwargs)


@pytest.fixture
def meeting(clerk, tree, committee, register):
    """Held an hour ago: two agenda items, two invitees of whom one signed in plus a walk-in."""
    held = plan(clerk, tree, committee, agenda=["电梯加装", ("垃圾分类", "王一")],
                invitees=[register.owners[0], register.owners[3]])
    invited = held.attendees.get(person=register.owners[0])
    attendee_sign_in(actor=clerk, meeting=held, attendee=invited)
    attendee_sign_in(actor=clerk, meeting=held, name="快递小哥 刘", affiliation="顺丰")
    return held


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


# Reading -----------------------------------------------------------------------------------------------------------

def test_meeting_list__anonymous__401(client, tree):
    assert client.get("/api/meetings").status_code == 401


def test_meeting_list__clerk__latest_first_with_filters(as_user, clerk, tree, committee, meeting):
    later = plan(clerk, tree, committee, hours=48, title="说事亭")
    client = as_user(clerk)
    response = client.get("/api/meetings")
    assert ids(response) == [later.pk, meeting.pk]
    assert response.json()["count"] == 2
    row = response.json()["items"][1]
    assert (row["place"], row["convener_name"], row["kind"]) == (tree.community.code, "竹竿巷社区居委会", "council")
    assert row["starts_at"].endswith("+08:00")
    assert ids(client.get("/api/meetings", {"when": "upcoming"})) == [meeting.pk, later.pk]
    assert ids(client.get("/api/meetings", {"when": "past"})) == []
    assert ids(client.get("/api/meetings", {"place": tree.community.code, "kind": "pavilion"})) == []
    assert ids(client.get("/api/meetings", {"place": tree.neighbour.code})) == []


def test_meeting_list__other_community_staff__nothing_and_count_zero(as_user, outsider, meeting):
    response = as_user(outsider).get("/api/meetings")
    assert (ids(response), response.json()["count"]) == ([], 0)


def test_meeting_list__query_count__does_not_grow_with_rows(as_user, clerk, tree, committee):
    plan(clerk, tree, committee, hours=1)
    client = as_user(clerk)
    client.get("/api/meetings")
    with CaptureQueriesContext(connection) as one:
        assert len(ids(client.get("/api/meetings"))) == 1
    for n in range(5):
        plan(clerk, tree, committee, hours=2 + n)
    with CaptureQueriesContext(connection) as six:
        assert len(ids(client.get("/api/meetings"))) == 6
    assert len(one) == len(six)


def test_meeting_detail__agenda_attendance_resolutions_and_cases(as_user, clerk, meeting, rubbish):
    resolution = resolution_add(actor=clerk, meeting=meeting, text="三日内清运暴露垃圾")
    case = resolution_open_case(actor=clerk, resolution=resolution, category=rubbish)
    body = as_user(clerk).get(f"/api/meetings/{meeting.pk}").json()
    assert [(a["position"], a["title"], a["presenter"]) for a in body["agenda"]] == [
        (1, "电梯加装", ""), (2, "垃圾分类", "王一")]
    assert body["attendance"] == {"invited": 2, "present": 2, "invited_present": 1, "walk_ins": 1}
    assert body["resolutions"] == [{"id": resolution.pk, "position": 1, "text": "三日内清运暴露垃圾", "cases": [
        {"number": case.number, "stage": case.stage, "stage_label": str(case.get_stage_display()), "done": False}]}]
    assert body["case_progress"] == {"done": 0, "total": 1}
    assert "王一" not in str(body["attendance"])


def test_meeting_detail__other_community_staff__404(as_user, outsider, meeting):
    assert as_user(outsider).get(f"/api/meetings/{meeting.pk}").status_code == 404


# Planning ----------------------------------------------------------------------------------------------------------

def meeting_payload(tree, committee, **changes) -> dict:
    starts = timezone.now() + datetime.timedelta(days=3)
    payload = {"place": tree.community.code, "convener": committee.pk, "kind": "pavilion", "title": "说事亭",
               "starts_at": starts.isoformat(), "ends_at": (starts + datetime.timedelta(hours=1)).isoformat(),
               "venue": "竹竿巷口", "agenda": [{"title": "停车难", "presenter": "赵四"}]}
    return {**payload, **changes}


def test_meeting_create__clerk__201_with_agenda_and_invitees(as_user, clerk, tree, committee, register):
    payload = meeting_payload(tree, committee, invitees=[register.owners[3].pk, register.owners[3].pk])
    response = as_user(clerk).post("/api/meetings", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get()
    assert (response.json()["id"], response.json()["kind"], meeting.created_by) == (meeting.pk, "pavilion", clerk)
    assert response.json()["agenda"] == [{"position": 1, "title": "停车难", "presenter": "赵四"}]
    assert response.json()["attendance"] == {"invited": 1, "present": 0, "invited_present": 0, "walk_ins": 0}


def test_meeting_create__no_title_bad_times__400_nothing_created(as_user, clerk, tree, committee, nothing_written):
    starts = timezone.now() + datetime.timedelta(days=3)
    payload = meeting_payload(tree, committee, title=" ", ends_at=(starts - datetime.timedelta(hours=1)).isoformat(),
                              starts_at=starts.isoformat())
    client = as_user(clerk)
    with nothing_written():
        response = client.post("/api/meetings", payload, content_type="application/json")
        assert response.status_code == 400
        assert sorted(response.json()["detail"]) == ["ends_at", "title"]


def test_meeting_create__convener_of_another_community__400_nothing_created(as_user, clerk, tree, nothing_written):
    other = organisation_create(name="龙游社区居委会", kind=OrganisationKind.RESIDENTS_COMMITTEE, place=tree.neighbour)
    client = as_user(clerk)
    with nothing_written():
        response = client.post("/api/meetings", meeting_payload(tree, other), content_type="application/json")
        assert response.status_code == 400
        assert list(response.json()["detail"]) == ["convener"]


def test_meeting_create__invitee_out_of_scope__400_nothing_created(as_user, clerk, tree, committee, nothing_written):
    payload = meeting_payload(tree, committee, invitees=[tree.neighbour_owner.pk])
    client = as_user(clerk)
    with nothing_written():
        response = client.post("/api/meetings", payload, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["detail"] == {"person": ["There is no such person."]}


def test_meeting_create__owner__403_nothing_created(as_user, owner_user, tree, committee, nothing_written):
    payload = meeting_payload(tree, committee, place=tree.estate.code)
    client = as_user(owner_user)
    with nothing_written():
        response = client.post("/api/meetings", payload, content_type="application/json")
        assert response.status_code == 403


def test_meeting_create__other_community_staff__400_nothing_created(as_user, outsider, tree, committee, nothing_written):
    client = as_user(outsider)
    with nothing_written():
        response = client.post("/api/meetings", meeting_payload(tree, committee),
                               content_type="application/json")
        assert response.status_code == 400
        assert response.json()["detail"] == {"place": ["There is no place with this code."]}


# Resolutions and their cases ---------------------------------------------------------------------------------------

def test_resolution_add__started_meeting__201(as_user, clerk, meeting):
    response = as_user(clerk).post(f"/api/meetings/{meeting.pk}/resolutions", {"text": "加装电梯意见征询"},
                                   content_type="application/json")
    assert response.status_code == 201, response.content
    assert (response.json()["position"], response.json()["text"], response.json()["cases"]) == (
        1, "加装电梯意见征询", [])
    assert list(meeting.resolutions.values_list("text", flat=True)) == ["加装电梯意见征询"]


def test_resolution_add__not_started__400_nothing_created(as_user, clerk, tree, committee):
    upcoming = plan(clerk, tree, committee, hours=24)
    response = as_user(clerk).post(f"/api/meetings/{upcoming.pk}/resolutions", {"text": "x"},
                                   content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == {"__all__": ["The meeting has not started yet."]}
    assert Resolution.objects.count() == 0


def test_resolution_add__resident_who_sees_it__403_nothing_created(as_user, owner_user, clerk, tree, committee):
    at_estate = plan(clerk, tree, committee, place=tree.estate)
    response = as_user(owner_user).post(f"/api/meetings/{at_estate.pk}/resolutions", {"text": "x"},
                                        content_type="application/json")
    assert response.status_code == 403
    assert Resolution.objects.count() == 0


def test_resolution_add__other_community_staff__404_nothing_created(as_user, outsider, meeting):
    response = as_user(outsider).post(f"/api/meetings/{meeting.pk}/resolutions", {"text": "x"},
                                      content_type="application/json")
    assert response.status_code == 404
    assert Resolution.objects.count() == 0


def test_resolution_case__clerk__201_case_opened_and_followed(as_user, clerk, meeting, rubbish, tree):
    resolution = resolution_add(actor=clerk, meeting=meeting, text="三日内清运暴露垃圾")
    response = as_user(clerk).post(f"/api/resolutions/{resolution.pk}/cases",
                                   {"category": "exposed-rubbish", "place": tree.estate.code},
                                   content_type="application/json")
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert (response.json()["number"], case.place, case.channel) == (case.number, tree.estate, "meeting")
    assert list(resolution.cases.all()) == [case]


def test_resolution_case__unknown_category__400_no_case(as_user, clerk, meeting):
    resolution = resolution_add(actor=clerk, meeting=meeting, text="x")
    response = as_user(clerk).post(f"/api/resolutions/{resolution.pk}/cases", {"category": "nope"},
                                   content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == {"category": ["There is no such category."]}
    assert Case.objects.count() == 0


def test_resolution_case__other_community_staff__404_no_case(as_user, outsider, clerk, meeting, rubbish):
    resolution = resolution_add(actor=clerk, meeting=meeting, text="x")
    response = as_user(outsider).post(f"/api/resolutions/{resolution.pk}/cases", {"category": "exposed-rubbish"},
                                      content_type="application/json")
    assert response.status_code == 404
    assert (Case.objects.count(), resolution.cases.count()) == (0, 0)


def test_openapi__builds_with_meeting_routes(as_user, clerk):
    response = as_user(clerk).get("/api/openapi.json")
    assert response.status_code == 200
    assert {"/api/meetings", "/api/meetings/{meeting_id}", "/api/resolutions/{resolution_id}/cases"} <= set(
        response.json()["paths"])


# bad input: a 4xx with a message, in JSON, and nothing created


def test_meeting_list__page_past_2_63__422(as_user, clerk):
    response = as_user(clerk).get("/api/meetings", {"page": "200000000000000000"})
    assert (response.status_code, list(response.json()["detail"])) == (422, ["page"])


@pytest.mark.parametrize(("starts_at", "ends_at"), [
    ("0001-01-01T00:00:00+12:00", "0001-01-01T02:00:00+12:00"),
    ("9999-12-31T20:00:00-12:00", "9999-12-31T23:00:00-12:00"),
])
def test_meeting_create__times_at_the_calendar_edges__422_nothing_created(as_user, clerk, tree, committee, starts_at,
                                                                          ends_at, nothing_written):
    payload = meeting_payload(tree, committee, starts_at=starts_at, ends_at=ends_at)
    client = as_user(clerk)
    with nothing_written():
        response = client.post("/api/meetings", payload, content_type="application/json")
        assert (response.status_code, sorted(response.json()["detail"])) == (422, ["ends_at", "starts_at"])


def test_meeting_create__more_agenda_items_than_the_cap__422_nothing_created(as_user, clerk, tree, committee, nothing_written):
    payload = meeting_payload(tree, committee, agenda=[{"title": f"议题{n}"} for n in range(31)])
    client = as_user(clerk)
    with nothing_written():
        response = client.post("/api/meetings", payload, content_type="application/json")
        assert (response.status_code, list(response.json()["detail"])) == (422, ["agenda"])


def test_meeting_create__line_breaks_and_control_characters__one_clean_line(as_user, clerk, tree, committee):
    payload = meeting_payload(tree, committee, title="说事亭\n第二行\x00", venue="竹竿巷\r\n口",
                              agenda=[{"title": "停车\x0b难\n", "presenter": "赵\x07四"}])
    response = as_user(clerk).post("/api/meetings", payload, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["venue"], body["agenda"]) == (
        "说事亭 第二行", "竹竿巷 口", [{"position": 1, "title": "停车难", "presenter": "赵四"}])
