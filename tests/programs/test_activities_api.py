"""The activities API under /api/programs/: the noticeboard, detail, sign up (self, child, desk), cancel, my
sign-ups, and the staff's create, update, sessions, publish, cancel and sign-up list; who sees what."""

from __future__ import annotations

import datetime

from django.test import Client

from commonground.programs.models import Activity, ActivityStatus, Enrolment, EnrolmentStatus
from commonground.programs.services.activities import enrolment_create

from .activities_fixtures import summer_camp
from .activity_fixtures import TODAY, make_activity


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_api_activities__resident__published_only(programme, family):
    make_activity(programme.worker, programme.organiser, publish=False, title="草稿")
    body = client_of(family.courier).get("/api/programs/activities").json()
    assert body["count"] == 1 and [a["title"] for a in body["items"]] == [programme.activity.title]
    assert body["items"][0]["places_left"] == 3


def test_api_activity_detail__sessions_and_draft_404(programme, family):
    draft = make_activity(programme.worker, programme.organiser, publish=False)
    client = client_of(family.courier)
    body = client.get(f"/api/programs/activities/{programme.activity.pk}").json()
    assert [s["venue"] for s in body["sessions"]] == ["社区活动室"] and body["waiting"] == 0
    assert body["sessions"][0]["starts_at"].endswith("+08:00")
    assert client.get(f"/api/programs/activities/{draft.pk}").status_code == 404


def test_api_sign_up__child_then_my_sign_ups_then_cancel(programme, family):
    camp = summer_camp(programme)
    client = client_of(family.courier)
    answer = client.post(f"/api/programs/activities/{camp.pk}/sign-ups", {"participant": family.child.pk},
                         content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "confirmed" and answer.json()["participant_name"] == "王小宝"
    mine = client.get("/api/programs/my-sign-ups").json()
    assert [e["participant"] for e in mine["items"]] == [family.child.pk]
    cancel = client.post(f"/api/programs/sign-ups/{mine['items'][0]['id']}/cancel")
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"


def test_api_sign_up__neighbours_child__404_nothing_written(programme, family, nothing_written):
    camp = summer_camp(programme)
    with nothing_written():
        answer = client_of(family.courier).post(f"/api/programs/activities/{camp.pk}/sign-ups",
                                                {"participant": family.neighbour_child.pk},
                                                content_type="application/json")
    assert answer.status_code == 404


def test_api_sign_up__self_too_old_for_camp__400(programme, family, nothing_written):
    camp = summer_camp(programme)
    with nothing_written():
        answer = client_of(family.courier).post(f"/api/programs/activities/{camp.pk}/sign-ups", {},
                                                content_type="application/json")
    assert answer.status_code == 400 and "the participant will be 36" in str(answer.json()["detail"])


def test_api_sign_up__full__waiting_position(programme, family, make_user):
    activity = make_activity(programme.worker, programme.organiser, capacity=1)
    enrolment_create(actor=family.neighbour, activity=activity)
    answer = client_of(family.courier).post(f"/api/programs/activities/{activity.pk}/sign-ups", {},
                                            content_type="application/json")
    assert (answer.json()["status"], answer.json()["waiting_position"]) == ("waiting", 1)


def test_api_staff__create_session_publish_update_cancel(programme):
    client = client_of(programme.worker)
    day = TODAY + datetime.timedelta(days=30)
    answer = client.post("/api/programs/activities", {
        "place": programme.tree.community.pk, "organiser": programme.organiser.pk, "title": "就业技能培训",
        "kind": "training", "capacity": 2, "signup_opens_at": f"{TODAY}T09:00:00+08:00",
        "signup_closes_at": f"{day}T09:00:00+08:00"}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    pk = answer.json()["id"]
    assert answer.json()["status"] == "draft"
    assert client.post(f"/api/programs/activities/{pk}/publish").status_code == 400  # no session yet
    session = client.post(f"/api/programs/activities/{pk}/sessions", {
        "starts_at": f"{day}T14:00:00+08:00", "ends_at": f"{day}T16:00:00+08:00", "venue": "培训室"},
        content_type="application/json")
    assert session.status_code == 200, session.content
    assert client.post(f"/api/programs/activities/{pk}/publish").json()["status"] == "published"
    changed = client.patch(f"/api/programs/activities/{pk}", {"capacity": 5}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["capacity"] == 5
    assert client.post(f"/api/programs/activities/{pk}/cancel").json()["status"] == "cancelled"
    assert Activity.objects.get(pk=pk).status == ActivityStatus.CANCELLED


def test_api_staff__resident__403_and_no_drafts(programme, family, nothing_written):
    draft = make_activity(programme.worker, programme.organiser, publish=False)
    client = client_of(family.courier)
    with nothing_written():
        assert client.get("/api/programs/activities/managed").status_code == 403
        assert client.post(f"/api/programs/activities/{programme.activity.pk}/publish").status_code == 403
        assert client.patch(f"/api/programs/activities/{programme.activity.pk}", {"capacity": 9},
                            content_type="application/json").status_code == 403
        assert client.get(f"/api/programs/activities/{programme.activity.pk}/sign-ups").status_code == 403
        assert client.post(f"/api/programs/activities/{draft.pk}/publish").status_code == 404


def test_api_sign_up_list__worker__in_order_with_positions(programme, family, make_user):
    activity = make_activity(programme.worker, programme.organiser, capacity=1)
    enrolment_create(actor=family.neighbour, activity=activity)
    enrolment_create(actor=family.courier, activity=activity)
    body = client_of(programme.worker).get(f"/api/programs/activities/{activity.pk}/sign-ups").json()
    assert [(e["name"], e["status"], e["waiting_position"]) for e in body["items"]] == [
        ("赵邻居", "confirmed", None), ("王快递", "waiting", 1)]
    assert Enrolment.objects.filter(status=EnrolmentStatus.WAITING).count() == 1


def test_api_staff_desk__sign_up_a_resident(programme):
    answer = client_of(programme.worker).post(f"/api/programs/activities/{programme.activity.pk}/sign-ups",
                                              {"participant": programme.tree.owner.pk},
                                              content_type="application/json")
    assert answer.status_code == 200 and answer.json()["participant"] == programme.tree.owner.pk
