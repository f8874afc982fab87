"""The iCalendar feeds, parsed with icalendar: a place's published sessions (for users signed in, as the meetings'
feed), and a person's own feed behind a secret address (their and their children's confirmed sessions)."""

from __future__ import annotations

import datetime

from django.test import Client
from icalendar import Calendar

from commonground.programs.models import ActivityCalendarToken
from commonground.programs.services.activities import activity_cancel, calendar_token_reset, enrolment_create

from .activities_fixtures import summer_camp
from .activity_fixtures import TODAY, at, make_activity


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def events(body: bytes) -> list:
    return list(Calendar.from_ical(body).walk("VEVENT"))


def test_place_calendar__published_sessions_under_place__drafts_left_out(programme, family):
    camp = summer_camp(programme)
    make_activity(programme.worker, programme.organiser, publish=False, title="草稿活动")
    answer = client_of(family.courier).get(f"/programs/calendar/place/{programme.tree.street.code}.ics")
    assert answer.status_code == 200 and answer["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(answer.content)
    assert sorted(str(e["SUMMARY"]) for e in found) == sorted([programme.activity.title] + [camp.title] * 3)
    first_camp_day = min(e.start for e in found if str(e["SUMMARY"]) == camp.title)
    assert first_camp_day == at(TODAY + datetime.timedelta(days=20), 8)
    assert all(str(e["STATUS"]) == "CONFIRMED" for e in found)


def test_place_calendar__by_id_and_other_place__scoped(programme, family):
    summer_camp(programme)
    client = client_of(family.courier)
    assert len(events(client.get(f"/programs/calendar/place/{programme.tree.community.pk}.ics").content)) == 4
    assert events(client.get(f"/programs/calendar/place/{programme.tree.far_community.code}.ics").content) == []
    assert client.get("/programs/calendar/place/nowhere.ics").status_code == 404


def test_place_calendar__anonymous__login_required(programme):
    answer = Client().get(f"/programs/calendar/place/{programme.tree.community.code}.ics")
    assert answer.status_code == 302 and "/login" in answer["Location"]


def test_my_calendar__confirmed_child_sessions__waiting_left_out(programme, family):
    camp = summer_camp(programme)
    full = make_activity(programme.worker, programme.organiser, capacity=1, title="满员活动")
    enrolment_create(actor=family.neighbour, activity=full)
    enrolment_create(actor=family.courier, activity=full)  # waiting: not in the calendar
    enrolment_create(actor=family.courier, activity=camp, participant=family.child)
    token = calendar_token_reset(actor=family.courier)
    answer = Client().get(f"/programs/calendar/me/{token.token}.ics")
    assert answer.status_code == 200
    found = events(answer.content)
    assert [str(e["SUMMARY"]) for e in found] == [camp.title] * 3
    assert str(found[0]["LOCATION"]) == "社区党群服务中心（竹竿巷社区）"


def test_my_calendar__cancelled_activity__marked_cancelled(programme, family):
    enrolment_create(actor=family.courier, activity=programme.activity)
    activity_cancel(actor=programme.worker, activity=programme.activity)
    token = calendar_token_reset(actor=family.courier)
    found = events(Client().get(f"/programs/calendar/me/{token.token}.ics").content)
    assert [str(e["STATUS"]) for e in found] == ["CANCELLED"]


def test_my_calendar__reset__old_address_404(programme, family):
    old = calendar_token_reset(actor=family.courier).token
    client = client_of(family.courier)
    assert client.post("/programs/my-activities/calendar/reset/").status_code == 302
    new = ActivityCalendarToken.objects.get(user=family.courier).token
    assert new != old
    assert Client().get(f"/programs/calendar/me/{old}.ics").status_code == 404
    assert Client().get(f"/programs/calendar/me/{new}.ics").status_code == 200
    assert new in client.get("/programs/my-activities/").content.decode()
