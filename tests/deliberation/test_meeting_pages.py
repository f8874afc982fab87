"""Meeting pages, the iCalendar files and the PDF: scoped by the resolver, lists filtered in SQL, query counts
that do not grow with the rows."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar

from commonground.cases.models import Case, Stage
from commonground.cases.services.tallies import tallies_rebuild
from commonground.core.services.organisations import organisation_member_add
from commonground.deliberation.models import Attendee, Meeting, MeetingStatus
from commonground.deliberation.services.meetings import (
    attendee_sign_in,
    meeting_create,
    meeting_record_minutes,
    resolution_add,
    resolution_open_case,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def url(name: str, *args) -> str:
    return reverse(f"deliberation:{name}", args=args)


@pytest.fixture
def worker_client(client, meeting_world):
    client.force_login(meeting_world.worker)
    return client


def neighbour_meeting(meeting_world, tree, *, in_hours: float = 48) -> Meeting:
    starts_at = timezone.now() + datetime.timedelta(hours=in_hours)
    return meeting_create(actor=meeting_world.neighbour_worker, place=tree.neighbour,
                          convener=meeting_world.neighbour_committee, kind="council", title="龙游议事会",
                          starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1), venue="龙游会议室")


def with_cases(plan_meeting, meeting_world, *, resolutions: int, cases_each: int) -> Meeting:
    meeting = plan_meeting(in_hours=-1)
    for n in range(resolutions):
        resolution = resolution_add(actor=meeting_world.worker, meeting=meeting, text=f"决议 {n + 1}")
        for m in range(cases_each):
            resolution_open_case(actor=meeting_world.worker, resolution=resolution, category=meeting_world.category,
                                 description=f"落实决议 {n + 1} 第 {m + 1} 件")
        attendee_sign_in(actor=meeting_world.worker, meeting=meeting, name=f"居民 {n + 1}")
    return meeting


# --- the list ---

def test_meetings__upcoming__own_community_only(worker_client, plan_meeting, meeting_world, tree):
    mine = plan_meeting()
    neighbour_meeting(meeting_world, tree)
    response = worker_client.get(url("meetings"))
    assert response.status_code == 200
    assert [m.pk for m in response.context["page"].object_list] == [mine.pk]
    assert "龙游议事会" not in response.content.decode()


def test_meetings__past_tab__only_meetings_that_ended(worker_client, plan_meeting):
    past, upcoming = plan_meeting(in_hours=-72), plan_meeting(in_hours=72)
    assert [m.pk for m in worker_client.get(url("meetings"), {"when": "past"}).context["page"].object_list] == [
        past.pk]
    assert [m.pk for m in worker_client.get(url("meetings")).context["page"].object_list] == [upcoming.pk]


def test_meetings__place_filter__meetings_under_that_place(worker_client, plan_meeting, meeting_world, tree):
    plan_meeting()
    at_estate = plan_meeting(place=tree.estate)
    response = worker_client.get(url("meetings"), {"place": tree.estate.pk})
    assert [m.pk for m in response.context["page"].object_list] == [at_estate.pk]


def test_meetings__place_of_another_community__nothing_listed(worker_client, plan_meeting, tree):
    plan_meeting()
    response = worker_client.get(url("meetings"), {"place": tree.neighbour.pk})
    assert list(response.context["page"].object_list) == []


def test_meetings__query_count_constant_for_1_and_6_meetings(worker_client, plan_meeting, meeting_world):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert worker_client.get(url("meetings")).status_code == 200
        return len(captured)

    meeting = plan_meeting()
    attendee_sign_in(actor=meeting_world.worker, meeting=meeting, name="赵大妈")
    few = queries()
    for _n in range(5):
        attendee_sign_in(actor=meeting_world.worker, meeting=plan_meeting(), name="赵大妈")
    assert queries() == few


def test_meetings__anonymous__sent_to_login(client):
    response = client.get(url("meetings"))
    assert response.status_code == 302 and "login" in response["Location"]


# --- planning ---

def test_meeting_create__posted__planned_with_agenda(worker_client, meeting_world, tree):
    organisation_member_add(organisation=meeting_world.owners_committee, person=tree.owner, position="主任")
    day = timezone.localdate() + datetime.timedelta(days=3)
    response = worker_client.post(url("meeting-create"), {
        "place": tree.community.pk, "convener": meeting_world.committee.pk, "kind": "council", "title": "红茶议事会",
        "day": day.isoformat(), "starts": "14:00", "ends": "16:00", "venue": "社区二楼会议室",
        "agenda": "停车位划线方案｜王主任\n\n电动车充电桩", "invitees": [tree.owner.pk]})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == url("meeting", meeting.pk)
    assert timezone.localtime(meeting.starts_at) == datetime.datetime(day.year, day.month, day.day, 14, tzinfo=SHANGHAI)
    assert list(meeting.agenda.values_list("title", "presenter")) == [("停车位划线方案", "王主任"), ("电动车充电桩", "")]
    assert list(meeting.attendees.values_list("person", flat=True)) == [tree.owner.pk]


def test_meeting_create__convener_of_another_community__400_nothing_stored(worker_client, meeting_world, tree):
    day = timezone.localdate() + datetime.timedelta(days=3)
    response = worker_client.post(url("meeting-create"), {
        "place": tree.community.pk, "convener": meeting_world.neighbour_committee.pk, "kind": "council",
        "title": "红茶议事会", "day": day.isoformat(), "starts": "14:00", "ends": "16:00", "venue": "会议室"})
    assert response.status_code == 400
    assert "convener" in response.context["form"].errors
    assert Meeting.objects.count() == 0


def test_meeting_create__ends_before_starts__error_at_end_time(worker_client, meeting_world, tree):
    day = timezone.localdate() + datetime.timedelta(days=3)
    response = worker_client.post(url("meeting-create"), {
        "place": tree.community.pk, "convener": meeting_world.committee.pk, "kind": "council", "title": "红茶议事会",
        "day": day.isoformat(), "starts": "14:00", "ends": "13:00", "venue": "会议室"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["ends"]
    assert Meeting.objects.count() == 0


def test_meeting_create__grid_worker__403(client, meeting_world):
    client.force_login(meeting_world.grid)
    assert client.get(url("meeting-create")).status_code == 403


def test_meeting_place_fields__conveners_of_that_place(worker_client, meeting_world, tree):
    response = worker_client.get(url("meeting-place-fields"), {"place": tree.estate.pk})
    conveners = list(response.context["form"].fields["convener"].queryset)
    assert conveners == [meeting_world.owners_committee, meeting_world.committee]


def test_meeting_edit__posted__saved(worker_client, plan_meeting, meeting_world, tree):
    meeting = plan_meeting()
    local = timezone.localtime(meeting.starts_at)
    response = worker_client.post(url("meeting-edit", meeting.pk), {
        "place": tree.community.pk, "convener": meeting_world.committee.pk, "kind": "pavilion", "title": "说事亭",
        "day": local.date().isoformat(), "starts": "09:00", "ends": "10:30", "venue": "说事亭"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.kind, meeting.title, timezone.localtime(meeting.ends_at).strftime("%H:%M")) == (
        "pavilion", "说事亭", "10:30")


# --- the meeting page ---

def test_meeting__another_community__404(client, plan_meeting, meeting_world):
    meeting = plan_meeting()
    client.force_login(meeting_world.neighbour_worker)
    for name in ("meeting", "meeting-ics", "meeting-pdf", "meeting-edit"):
        assert client.get(url(name, meeting.pk)).status_code == 404
    assert client.post(url("meeting-act", meeting.pk, "cancel")).status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_meeting__resolution_case__number_and_stage_shown(worker_client, plan_meeting, meeting_world):
    meeting = with_cases(plan_meeting, meeting_world, resolutions=1, cases_each=2)
    first, second = Case.objects.order_by("pk")
    Case.objects.filter(pk=first.pk).update(stage=Stage.CLOSED)
    tallies_rebuild()  # the update above went past the services that keep the counts
    first.refresh_from_db()
    page = worker_client.get(url("meeting", meeting.pk)).content.decode()
    assert f'href="{reverse("cases:detail", args=[first.number])}"' in page
    assert f"stage-closed\">{first.get_stage_display()}</span>" in page
    assert f"stage-collect\">{second.get_stage_display()}</span>" in page
    assert 'data-progress="1/2"' in page


def test_meeting__resident__case_number_without_link_and_no_actions(client, plan_meeting, meeting_world, tree):
    meeting = plan_meeting(place=tree.estate, in_hours=-1)
    resolution = resolution_add(actor=meeting_world.worker, meeting=meeting, text="施划停车位")
    case = resolution_open_case(actor=meeting_world.worker, resolution=resolution, category=meeting_world.category)
    client.force_login(meeting_world.resident)
    page = client.get(url("meeting", meeting.pk)).content.decode()
    assert f'<span class="case-no">{case.number}</span>' in page
    assert reverse("cases:detail", args=[case.number]) not in page
    assert "data-action=" not in page


def test_meeting__query_count_constant_for_1_and_4_resolutions(worker_client, plan_meeting, meeting_world):
    def queries(meeting: Meeting) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert worker_client.get(url("meeting", meeting.pk)).status_code == 200
        return len(captured)

    small = with_cases(plan_meeting, meeting_world, resolutions=1, cases_each=1)
    large = with_cases(plan_meeting, meeting_world, resolutions=4, cases_each=2)
    assert queries(large) == queries(small)


def test_meeting_act__sign_in_through_htmx__attendance_panel_back(worker_client, plan_meeting, tree):
    meeting = plan_meeting(invitees=[tree.owner])
    invitee = meeting.attendees.get()
    response = worker_client.post(url("meeting-act", meeting.pk, "sign-in"), {"attendee": invitee.pk},
                                  HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.templates[0].name == "deliberation/_meeting_attendance.html"
    invitee.refresh_from_db()
    assert invitee.signed_in_at is not None


def test_meeting_act__walk_in__recorded_and_back_to_attendance(worker_client, plan_meeting):
    meeting = plan_meeting()
    response = worker_client.post(url("meeting-act", meeting.pk, "walk-in"),
                                  {"walkin-name": "赵大妈", "walkin-affiliation": "3幢"})
    assert response["Location"] == url("meeting", meeting.pk) + "#attendance"
    assert list(Attendee.objects.values_list("name", "affiliation", "invited")) == [("赵大妈", "3幢", False)]


def test_meeting_act__open_case__case_linked(worker_client, plan_meeting, meeting_world):
    meeting = plan_meeting(in_hours=-1)
    resolution = resolution_add(actor=meeting_world.worker, meeting=meeting, text="施划停车位 40 个")
    worker_client.post(url("meeting-act", meeting.pk, "open-case"),
                       {"resolution": resolution.pk, "category": meeting_world.category.pk})
    assert list(resolution.cases.values_list("channel", flat=True)) == ["meeting"]


def test_meeting_act__open_case_for_resolution_of_another_meeting__nothing_opened(worker_client, plan_meeting,
                                                                                   meeting_world):
    meeting, other = plan_meeting(in_hours=-1), plan_meeting(in_hours=-1)
    resolution = resolution_add(actor=meeting_world.worker, meeting=other, text="施划停车位")
    worker_client.post(url("meeting-act", meeting.pk, "open-case"),
                       {"resolution": resolution.pk, "category": meeting_world.category.pk})
    assert Case.objects.count() == 0


def test_meeting_act__grid_worker_minutes__403_unchanged(client, plan_meeting, meeting_world):
    meeting = plan_meeting(in_hours=-1)
    client.force_login(meeting_world.grid)
    assert client.post(url("meeting-act", meeting.pk, "minutes"), {"minutes": "议定。"}).status_code == 403
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes) == (MeetingStatus.PLANNED, "")


def test_meeting_act__publish__notice_linked(worker_client, plan_meeting):
    meeting = plan_meeting()
    worker_client.post(url("meeting-act", meeting.pk, "publish"))
    assert list(meeting.notices.values_list("kind", flat=True)) == ["meeting"]


# --- iCalendar ---

def test_meeting_ics__parses_with_shanghai_start(worker_client, plan_meeting):
    day = timezone.localdate() + datetime.timedelta(days=4)
    starts_at = datetime.datetime(day.year, day.month, day.day, 14, 30, tzinfo=SHANGHAI)
    meeting = plan_meeting(starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2))
    response = worker_client.get(url("meeting-ics", meeting.pk))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.events
    assert (event.start, str(event.start.tzinfo)) == (starts_at, "Asia/Shanghai")
    assert event.end == starts_at + datetime.timedelta(hours=2)
    assert "DTSTART;TZID=Asia/Shanghai:" + starts_at.strftime("%Y%m%dT%H%M%S") in response.content.decode()
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Shanghai"]
    assert (str(event["SUMMARY"]), str(event["UID"]), str(event["STATUS"])) == (
        "红茶议事会：小区停车", f"meeting-{meeting.pk}@commonground", "CONFIRMED")
    assert "2. 电动车充电桩（王主任）" in str(event["DESCRIPTION"])


def test_meetings_ics__own_meetings_in_window_only(worker_client, plan_meeting, meeting_world, tree):
    recent, soon = plan_meeting(in_hours=-24 * 10), plan_meeting(in_hours=24 * 10)
    plan_meeting(in_hours=-24 * 40)   # too long ago
    plan_meeting(in_hours=24 * 100)   # too far ahead
    neighbour_meeting(meeting_world, tree)
    calendar = Calendar.from_ical(worker_client.get(url("meetings-ics")).content)
    assert sorted(str(e["UID"]) for e in calendar.events) == sorted(
        f"meeting-{m.pk}@commonground" for m in (recent, soon))


def test_meetings_ics__cancelled_meeting__marked_cancelled(worker_client, plan_meeting, meeting_world):
    from commonground.deliberation.services.meetings import meeting_cancel

    meeting_cancel(actor=meeting_world.worker, meeting=plan_meeting())
    [event] = Calendar.from_ical(worker_client.get(url("meetings-ics")).content).events
    assert str(event["STATUS"]) == "CANCELLED"


# --- PDF ---

def test_meeting_pdf__agenda_before_and_minutes_after(worker_client, plan_meeting, meeting_world):
    meeting = with_cases(plan_meeting, meeting_world, resolutions=2, cases_each=1)
    before = worker_client.get(url("meeting-pdf", meeting.pk))
    meeting_record_minutes(actor=meeting_world.worker, meeting=meeting, minutes="议定施划停车位。\n下次会议讨论充电桩。")
    after = worker_client.get(url("meeting-pdf", meeting.pk))
    assert before["Content-Type"] == after["Content-Type"] == "application/pdf"
    assert before.content.startswith(b"%PDF") and after.content.startswith(b"%PDF")
    assert len(after.content) > len(before.content)


def test_meeting_pdf__held__attendance_minutes_and_resolutions_with_cases(worker_client, plan_meeting,
                                                                          meeting_world, monkeypatch):
    meeting = with_cases(plan_meeting, meeting_world, resolutions=2, cases_each=1)
    meeting_record_minutes(actor=meeting_world.worker, meeting=meeting, minutes="议定施划停车位。")
    captured = {}
    monkeypatch.setattr("commonground.deliberation.views.meetings.render_pdf",
                        lambda **document: captured.update(document) or b"%PDF-stub")
    worker_client.get(url("meeting-pdf", meeting.pk))
    first, second = Case.objects.order_by("pk")
    assert captured["table"][1:] == [["1", "决议 1", f"{first.number} {first.get_stage_display()}"],
                                     ["2", "决议 2", f"{second.number} {second.get_stage_display()}"]]
    text = "\n".join(captured["paragraphs"])
    assert "1. 停车位划线方案" in text and "议定施划停车位。" in text
    attendance = _("Attendance: %(present)d signed in (%(invited_present)d of %(invited)d invited, "
                   "%(walk_ins)d without invitation).") % {"present": 2, "invited_present": 0, "invited": 0,
                                                           "walk_ins": 2}
    assert attendance in captured["paragraphs"]
    assert captured["issuer"] == "竹竿巷社区居委会"


def test_meeting_pdf__planned__agenda_table(worker_client, plan_meeting, monkeypatch):
    meeting = plan_meeting()
    captured = {}
    monkeypatch.setattr("commonground.deliberation.views.meetings.render_pdf",
                        lambda **document: captured.update(document) or b"%PDF-stub")
    worker_client.get(url("meeting-pdf", meeting.pk))
    assert captured["table"][1:] == [["1", "停车位划线方案", ""], ["2", "电动车充电桩", "王主任"]]


def test_meeting_edit__held_meeting__back_to_the_page_unchanged(worker_client, plan_meeting, meeting_world):
    meeting = meeting_record_minutes(actor=meeting_world.worker, meeting=plan_meeting(in_hours=-1), minutes="议定。")
    response = worker_client.post(url("meeting-edit", meeting.pk), {"title": "改"})
    assert response["Location"] == url("meeting", meeting.pk)
    meeting.refresh_from_db()
    assert meeting.title == "红茶议事会：小区停车"


def test_meeting_ics__title_with_a_line_break__one_line_and_parses(worker_client, plan_meeting):
    meeting = plan_meeting()
    Meeting.objects.filter(pk=meeting.pk).update(title="红茶议事会\n停车")  # as stored before intake cleaned it
    response = worker_client.get(url("meeting-ics", meeting.pk))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert (str(calendar["NAME"]), str(calendar.events[0]["SUMMARY"])) == ("红茶议事会 停车", "红茶议事会 停车")


def test_meeting_ics__meeting_stored_in_year_9999__200_left_out(worker_client, plan_meeting):
    meeting, kept = plan_meeting(), plan_meeting(in_hours=72)
    starts = datetime.datetime(9999, 12, 31, 20, 0, tzinfo=SHANGHAI)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))
    response = worker_client.get(url("meeting-ics", meeting.pk))
    assert (response.status_code, Calendar.from_ical(response.content).events) == (200, [])
    assert [str(e["UID"]) for e in Calendar.from_ical(worker_client.get(url("meeting-ics", kept.pk)).content).events
            ] == [f"meeting-{kept.pk}@commonground"]
