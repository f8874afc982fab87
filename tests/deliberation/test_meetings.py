"""Meeting services: planning, sign-in at the door, minutes, resolutions that open cases, the meeting notice.
Every refusal leaves the records as they were."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commonground.cases.models import Case, Category, Channel, ReporterKind, Stage
from commonground.cases.selectors import visible_cases
from commonground.cases.services.tallies import tallies_rebuild
from commonground.core import clock
from commonground.core.models import RoleKind
from commonground.deliberation.meeting_selectors import access_meeting, case_progress
from commonground.deliberation.models import (
    AgendaItem,
    Attendee,
    Meeting,
    MeetingStatus,
    Notice,
    NoticeKind,
)
from commonground.deliberation.services.meetings import (
    agenda_item_add,
    attendee_invite,
    attendee_sign_in,
    meeting_cancel,
    meeting_publish_notice,
    meeting_record_minutes,
    meeting_update,
    resolution_add,
    resolution_open_case,
)


def started(plan_meeting) -> Meeting:
    return plan_meeting(in_hours=-1)


# --- meeting_create ---

def test_meeting_create__agenda_and_invitees__stored_in_order(plan_meeting, tree):
    meeting = plan_meeting(invitees=[tree.owner, tree.owner])
    assert meeting.status == MeetingStatus.PLANNED
    assert list(meeting.agenda.values_list("position", "title", "presenter")) == [
        (1, "停车位划线方案", ""), (2, "电动车充电桩", "王主任")]
    assert list(meeting.attendees.values_list("person_id", "name", "invited", "signed_in_at")) == [
        (tree.owner.pk, "张三", True, None)]


def test_meeting_create__ends_before_starts__refused_nothing_stored(plan_meeting):
    starts_at = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as error:
        plan_meeting(starts_at=starts_at, ends_at=starts_at)
    assert set(error.value.message_dict) == {"ends_at"}
    assert (Meeting.objects.count(), AgendaItem.objects.count()) == (0, 0)


def test_meeting_create__empty_title_and_venue__refused_nothing_stored(plan_meeting):
    with pytest.raises(ValidationError) as error:
        plan_meeting(title="  ", venue="")
    assert set(error.value.message_dict) == {"title", "venue"}
    assert Meeting.objects.count() == 0


def test_meeting_create__convener_of_another_community__refused(plan_meeting, meeting_world):
    with pytest.raises(ValidationError) as error:
        plan_meeting(convener=meeting_world.neighbour_committee)
    assert set(error.value.message_dict) == {"convener"}
    assert Meeting.objects.count() == 0


def test_meeting_create__convener_above_the_workers_scope__refused(plan_meeting, meeting_world):
    with pytest.raises(ValidationError) as error:
        plan_meeting(convener=meeting_world.street_office)
    assert set(error.value.message_dict) == {"convener"}
    assert Meeting.objects.count() == 0


def test_meeting_create__convener_below_the_place__refused(plan_meeting, meeting_world):
    with pytest.raises(ValidationError):
        plan_meeting(convener=meeting_world.owners_committee)  # the estate's committee does not convene the community
    assert Meeting.objects.count() == 0


def test_meeting_create__estate_meeting_convened_by_community__stored(plan_meeting, meeting_world, tree):
    meeting = plan_meeting(place=tree.estate, convener=meeting_world.committee)
    assert (meeting.place, meeting.convener) == (tree.estate, meeting_world.committee)


def test_meeting_create__place_of_another_community__denied(plan_meeting, meeting_world, tree):
    with pytest.raises(PermissionDenied):
        plan_meeting(place=tree.neighbour, convener=meeting_world.neighbour_committee)
    assert Meeting.objects.count() == 0


def test_meeting_create__grid_worker__denied(plan_meeting, meeting_world):
    with pytest.raises(PermissionDenied):
        plan_meeting(actor=meeting_world.grid)
    assert Meeting.objects.count() == 0


def test_meeting_create__invitee_from_another_community__refused(plan_meeting, tree):
    with pytest.raises(ValidationError) as error:
        plan_meeting(invitees=[tree.neighbour_owner])
    assert set(error.value.message_dict) == {"invitees"}
    assert (Meeting.objects.count(), Attendee.objects.count()) == (0, 0)


def test_meeting_create__naive_times__read_as_shanghai(plan_meeting):
    meeting = plan_meeting(starts_at=datetime.datetime(2031, 5, 6, 14, 0), ends_at=datetime.datetime(2031, 5, 6, 16))
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M %Z") == "2031-05-06 14:00 CST"


# --- meeting_update ---

def test_meeting_update__title_and_times__changed(plan_meeting, meeting_world):
    meeting = plan_meeting()
    later = meeting.starts_at + datetime.timedelta(days=1)
    meeting = meeting_update(actor=meeting_world.worker, meeting=meeting, title="红茶议事会（改期）", starts_at=later,
                             ends_at=later + datetime.timedelta(hours=1))
    meeting.refresh_from_db()
    assert (meeting.title, meeting.starts_at, meeting.ends_at) == (
        "红茶议事会（改期）", later, later + datetime.timedelta(hours=1))


def test_meeting_update__after_held__refused_unchanged(plan_meeting, meeting_world, nothing_written):
    meeting = started(plan_meeting)
    meeting_record_minutes(actor=meeting_world.worker, meeting=meeting, minutes="议定划线。")
    with nothing_written(), pytest.raises(ValidationError):
        meeting_update(actor=meeting_world.worker, meeting=meeting, title="改")


def test_meeting_update__end_before_start__refused_unchanged(plan_meeting, meeting_world, nothing_written):
    meeting = plan_meeting()
    with nothing_written():
        with pytest.raises(ValidationError) as error:
            meeting_update(actor=meeting_world.worker, meeting=meeting, ends_at=meeting.starts_at)
        assert set(error.value.message_dict) == {"ends_at"}


def test_meeting_update__status_field__refused_unchanged(plan_meeting, meeting_world, nothing_written):
    meeting = plan_meeting()
    with nothing_written(), pytest.raises(ValidationError):
        meeting_update(actor=meeting_world.worker, meeting=meeting, status=MeetingStatus.HELD)


def test_meeting_update__worker_of_another_community__denied_unchanged(plan_meeting, meeting_world, nothing_written):
    meeting = plan_meeting()
    with nothing_written(), pytest.raises(PermissionDenied):
        meeting_update(actor=meeting_world.neighbour_worker, meeting=meeting, title="改")


# --- agenda and invitations ---

def test_agenda_item_add__appended_after_the_last(plan_meeting, meeting_world):
    meeting = plan_meeting()
    item = agenda_item_add(actor=meeting_world.worker, meeting=meeting, title="其他事项", presenter=" 李书记 ")
    assert (item.position, item.title, item.presenter) == (3, "其他事项", "李书记")


def test_agenda_item_add__empty__refused_unchanged(plan_meeting, meeting_world, nothing_written):
    meeting = plan_meeting()
    with nothing_written(), pytest.raises(ValidationError):
        agenda_item_add(actor=meeting_world.worker, meeting=meeting, title=" ")


def test_attendee_invite__by_name__invited_not_signed(plan_meeting, meeting_world):
    attendee = attendee_invite(actor=meeting_world.worker, meeting=plan_meeting(), name="物业 陈经理",
                               affiliation="绿城物业")
    assert (attendee.name, attendee.affiliation, attendee.invited, attendee.signed_in_at) == (
        "物业 陈经理", "绿城物业", True, None)


def test_attendee_invite__person_twice__refused_unchanged(plan_meeting, meeting_world, tree, nothing_written):
    meeting = plan_meeting(invitees=[tree.owner])
    with nothing_written(), pytest.raises(ValidationError):
        attendee_invite(actor=meeting_world.worker, meeting=meeting, person=tree.owner)


def test_attendee_invite__cancelled_meeting__refused_unchanged(plan_meeting, meeting_world, nothing_written):
    meeting = meeting_cancel(actor=meeting_world.worker, meeting=plan_meeting())
    with nothing_written(), pytest.raises(ValidationError):
        attendee_invite(actor=meeting_world.worker, meeting=meeting, name="王五")


# --- sign-in at the door ---

def test_attendee_sign_in__invitee_twice__first_time_kept(plan_meeting, meeting_world, tree):
    meeting = plan_meeting(invitees=[tree.owner])
    invitee = meeting.attendees.get()
    first = timezone.now()
    with clock.frozen_at(first):
        attendee_sign_in(actor=meeting_world.grid, meeting=meeting, attendee=invitee)
    with clock.frozen_at(first + datetime.timedelta(minutes=5)):
        again = attendee_sign_in(actor=meeting_world.grid, meeting=meeting, attendee=invitee)
    assert (again.pk, again.signed_in_at) == (invitee.pk, first)
    assert Attendee.objects.filter(meeting=meeting).count() == 1


def test_attendee_sign_in__walk_in_by_name_twice__one_attendee(plan_meeting, meeting_world):
    meeting = plan_meeting()
    one = attendee_sign_in(actor=meeting_world.grid, meeting=meeting, name="赵大妈", affiliation="3幢")
    two = attendee_sign_in(actor=meeting_world.grid, meeting=meeting, name=" 赵大妈 ", affiliation="3幢")
    assert one.pk == two.pk
    assert list(meeting.attendees.values_list("name", "affiliation", "invited")) == [("赵大妈", "3幢", False)]
    assert one.signed_in_at is not None


def test_attendee_sign_in__person_already_invited__signs_the_invitation(plan_meeting, meeting_world, tree):
    meeting = plan_meeting(invitees=[tree.owner])
    attendee = attendee_sign_in(actor=meeting_world.worker, meeting=meeting, person=tree.owner)
    assert (attendee.invited, attendee.signed_in_at is not None) == (True, True)
    assert meeting.attendees.count() == 1


def test_attendee_sign_in__attendee_of_another_meeting__refused_unchanged(plan_meeting, meeting_world, tree, nothing_written):
    meeting, other = plan_meeting(), plan_meeting(invitees=[tree.owner])
    with nothing_written(), pytest.raises(ValidationError):
        attendee_sign_in(actor=meeting_world.worker, meeting=meeting, attendee=other.attendees.get())


def test_attendee_sign_in__cancelled_meeting__refused_unchanged(plan_meeting, meeting_world, nothing_written):
    meeting = meeting_cancel(actor=meeting_world.worker, meeting=plan_meeting())
    with nothing_written(), pytest.raises(ValidationError):
        attendee_sign_in(actor=meeting_world.grid, meeting=meeting, name="赵大妈")


def test_attendee_sign_in__resident__denied_unchanged(plan_meeting, meeting_world, tree, nothing_written):
    meeting = plan_meeting(place=tree.estate)
    with nothing_written(), pytest.raises(PermissionDenied):
        attendee_sign_in(actor=meeting_world.resident, meeting=meeting, name="张三")


def test_attendee_sign_in__no_name__refused_unchanged(plan_meeting, meeting_world, nothing_written):
    meeting = plan_meeting()
    with nothing_written(), pytest.raises(ValidationError):
        attendee_sign_in(actor=meeting_world.grid, meeting=meeting, name="  ")


# --- minutes, cancelling ---

def test_meeting_record_minutes__after_start__held(plan_meeting, meeting_world):
    meeting = meeting_record_minutes(actor=meeting_world.worker, meeting=started(plan_meeting), minutes=" 议定划线。 ")
    assert (meeting.status, meeting.minutes) == (MeetingStatus.HELD, "议定划线。")


def test_meeting_record_minutes__again__corrected(plan_meeting, meeting_world):
    meeting = started(plan_meeting)
    meeting_record_minutes(actor=meeting_world.worker, meeting=meeting, minutes="初稿")
    meeting = meeting_record_minutes(actor=meeting_world.worker, meeting=meeting, minutes="定稿")
    assert (meeting.status, meeting.minutes) == (MeetingStatus.HELD, "定稿")


def test_meeting_record_minutes__before_start__refused_unchanged(plan_meeting, meeting_world, nothing_written):
    meeting = plan_meeting()
    with nothing_written(), pytest.raises(ValidationError):
        meeting_record_minutes(actor=meeting_world.worker, meeting=meeting, minutes="议定划线。")


def test_meeting_record_minutes__cancelled__refused_unchanged(plan_meeting, meeting_world, nothing_written):
    meeting = meeting_cancel(actor=meeting_world.worker, meeting=started(plan_meeting))
    with nothing_written(), pytest.raises(ValidationError):
        meeting_record_minutes(actor=meeting_world.worker, meeting=meeting, minutes="议定划线。")


def test_meeting_record_minutes__grid_worker__denied_unchanged(plan_meeting, meeting_world, nothing_written):
    meeting = started(plan_meeting)
    with nothing_written(), pytest.raises(PermissionDenied):
        meeting_record_minutes(actor=meeting_world.grid, meeting=meeting, minutes="议定划线。")


def test_meeting_cancel__held__refused_unchanged(plan_meeting, meeting_world, nothing_written):
    meeting = meeting_record_minutes(actor=meeting_world.worker, meeting=started(plan_meeting), minutes="议定。")
    with nothing_written(), pytest.raises(ValidationError):
        meeting_cancel(actor=meeting_world.worker, meeting=meeting)


def test_meeting_cancel__twice__cancelled(plan_meeting, meeting_world):
    meeting = meeting_cancel(actor=meeting_world.worker, meeting=plan_meeting())
    assert meeting_cancel(actor=meeting_world.worker, meeting=meeting).status == MeetingStatus.CANCELLED


# --- resolutions and their cases ---

def test_resolution_add__numbered_in_order(plan_meeting, meeting_world):
    meeting = started(plan_meeting)
    resolution_add(actor=meeting_world.worker, meeting=meeting, text="施划停车位 40 个")
    second = resolution_add(actor=meeting_world.worker, meeting=meeting, text="增设充电桩")
    assert (second.position, list(meeting.resolutions.values_list("text", flat=True))) == (
        2, ["施划停车位 40 个", "增设充电桩"])


def test_resolution_add__before_start__refused_unchanged(plan_meeting, meeting_world, nothing_written):
    meeting = plan_meeting()
    with nothing_written(), pytest.raises(ValidationError):
        resolution_add(actor=meeting_world.worker, meeting=meeting, text="施划停车位")


def test_resolution_open_case__case_opened_in_engine_and_linked(plan_meeting, meeting_world, tree):
    meeting = started(plan_meeting)
    resolution = resolution_add(actor=meeting_world.worker, meeting=meeting, text="施划停车位 40 个")
    case = resolution_open_case(actor=meeting_world.worker, resolution=resolution, category=meeting_world.category)
    assert (case.stage, case.channel, case.place, case.reporter, case.category) == (
        Stage.COLLECT, Channel.MEETING, tree.community, meeting_world.worker, meeting_world.category)
    assert case.description == "红茶议事会：小区停车：施划停车位 40 个"
    assert case.number.startswith("SX")
    assert list(resolution.cases.all()) == [case]
    assert list(visible_cases(meeting_world.worker).filter(resolutions=resolution)) == [case]
    assert case.events.filter(action="reported").count() == 1


def test_resolution_open_case__own_description_and_place__used(plan_meeting, meeting_world, tree):
    resolution = resolution_add(actor=meeting_world.worker, meeting=started(plan_meeting), text="修缮车棚")
    case = resolution_open_case(actor=meeting_world.worker, resolution=resolution, category=meeting_world.category,
                                description="1幢车棚顶棚修缮", place=tree.building)
    assert (case.description, case.place) == ("1幢车棚顶棚修缮", tree.building)


def test_resolution_open_case__place_of_another_community__denied_nothing_opened(plan_meeting, meeting_world,
                                                                                  tree):
    resolution = resolution_add(actor=meeting_world.worker, meeting=started(plan_meeting), text="修缮车棚")
    with pytest.raises(PermissionDenied):
        resolution_open_case(actor=meeting_world.worker, resolution=resolution, category=meeting_world.category,
                             place=tree.neighbour_estate)
    assert (Case.objects.count(), resolution.cases.count()) == (0, 0)


def test_resolution_open_case__category_not_open_to_staff__refused_nothing_opened(plan_meeting, meeting_world):
    residents_only = Category.objects.create(code="noise", name="噪音", sla_hours=8, open_to=[ReporterKind.RESIDENT])
    resolution = resolution_add(actor=meeting_world.worker, meeting=started(plan_meeting), text="夜间施工噪音")
    with pytest.raises(ValidationError) as error:
        resolution_open_case(actor=meeting_world.worker, resolution=resolution, category=residents_only)
    assert set(error.value.message_dict) == {"category"}
    assert (Case.objects.count(), resolution.cases.count()) == (0, 0)


def test_resolution_open_case__worker_of_another_community__denied_nothing_opened(plan_meeting, meeting_world):
    resolution = resolution_add(actor=meeting_world.worker, meeting=started(plan_meeting), text="修缮车棚")
    with pytest.raises(PermissionDenied):
        resolution_open_case(actor=meeting_world.neighbour_worker, resolution=resolution,
                             category=meeting_world.category)
    assert (Case.objects.count(), resolution.cases.count()) == (0, 0)


def test_case_progress__one_of_two_closed(plan_meeting, meeting_world):
    meeting = started(plan_meeting)
    resolution = resolution_add(actor=meeting_world.worker, meeting=meeting, text="施划停车位 40 个")
    first = resolution_open_case(actor=meeting_world.worker, resolution=resolution, category=meeting_world.category)
    resolution_open_case(actor=meeting_world.worker, resolution=resolution, category=meeting_world.category,
                         description="另一件事项：划线")
    Case.objects.filter(pk=first.pk).update(stage=Stage.CLOSED)
    tallies_rebuild()  # the update above went past the services that keep the counts
    progress = case_progress(access_meeting(meeting_world.worker, meeting.pk, details=True))
    assert (progress.done, progress.total) == (1, 2)


# --- the meeting notice ---

def test_meeting_publish_notice__posted_today_until_the_meeting_day(plan_meeting, meeting_world, tree):
    meeting = plan_meeting(in_hours=24 * 5)
    today = timezone.localdate()
    notice = meeting_publish_notice(actor=meeting_world.worker, meeting=meeting)
    day = timezone.localtime(meeting.starts_at).date()
    assert (notice.kind, notice.place, notice.meeting, notice.posted_on, notice.ends_on) == (
        NoticeKind.MEETING, tree.community, meeting, today, day)
    assert "社区二楼会议室" in notice.body
    assert "2. 电动车充电桩（王主任）" in notice.body
    assert f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}" in notice.body


def test_meeting_publish_notice__meeting_day_passed__refused_nothing_posted(plan_meeting, meeting_world):
    meeting = plan_meeting(in_hours=-72)
    with pytest.raises(ValidationError):
        meeting_publish_notice(actor=meeting_world.worker, meeting=meeting)
    assert Notice.objects.count() == 0


def test_meeting_publish_notice__grid_worker__denied_nothing_posted(plan_meeting, meeting_world):
    with pytest.raises(PermissionDenied):
        meeting_publish_notice(actor=meeting_world.grid, meeting=plan_meeting())
    assert Notice.objects.count() == 0


def test_meeting_create__building_commissioner_at_their_building(tree, make_user, meeting_world):
    from commonground.core.services.organisations import organisation_create
    from commonground.deliberation.services.meetings import meeting_create

    building_committee = organisation_create(name="1幢楼事会", kind="building_committee", place=tree.building)
    commissioner = make_user(RoleKind.BUILDING_COMMISSIONER, tree.building)
    starts_at = timezone.now() + datetime.timedelta(days=1)
    meeting = meeting_create(actor=commissioner, place=tree.building, convener=building_committee, kind="building",
                             title="三和楼事会", starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1),
                             venue="1幢架空层")
    assert meeting.place == tree.building
    with pytest.raises(ValidationError):  # the community's committee is above the commissioner's scope
        meeting_create(actor=commissioner, place=tree.building, convener=meeting_world.committee, kind="building",
                       title="三和楼事会", starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1),
                       venue="1幢架空层")
    assert Meeting.objects.count() == 1


# --- bad input from any channel (the web form as much as the API) ---

@pytest.mark.parametrize(("starts_at", "field"), [
    (datetime.datetime(1, 1, 1, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=12))), "starts_at"),
    (datetime.datetime(9999, 12, 31, 20, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-12))), "starts_at"),
    (datetime.datetime(1899, 12, 31, 9, 0), "starts_at"),  # naive, as a form gives it
])
def test_meeting_create__time_outside_1900_2099__refused_nothing_stored(plan_meeting, starts_at, field):
    with pytest.raises(ValidationError) as error:
        plan_meeting(starts_at=starts_at, ends_at=starts_at.replace(hour=starts_at.hour + 2))
    assert set(error.value.message_dict) == {"starts_at", "ends_at"}
    assert (Meeting.objects.count(), AgendaItem.objects.count()) == (0, 0)


def test_meeting_create__more_agenda_items_than_the_cap__refused_nothing_stored(plan_meeting):
    with pytest.raises(ValidationError) as error:
        plan_meeting(agenda=[f"议题{n}" for n in range(31)])
    assert set(error.value.message_dict) == {"agenda"}
    assert (Meeting.objects.count(), AgendaItem.objects.count()) == (0, 0)


def test_meeting_create__agenda_at_the_cap__stored(plan_meeting):
    assert plan_meeting(agenda=[f"议题{n}" for n in range(30)]).agenda.count() == 30


def test_agenda_item_add__agenda_full__refused_unchanged(plan_meeting, meeting_world, nothing_written):
    meeting = plan_meeting(agenda=[f"议题{n}" for n in range(30)])
    with nothing_written():
        with pytest.raises(ValidationError) as error:
            agenda_item_add(actor=meeting_world.worker, meeting=meeting, title="第31项")
        assert set(error.value.message_dict) == {"agenda"}


def test_meeting_create__text_with_control_characters__cleaned(plan_meeting, meeting_world):
    meeting = plan_meeting(title="红茶\x00议事会\n停车", venue="会议室\x0b", agenda=[("议题\r\n一", "王\x07主任")])
    resolution = resolution_add(actor=meeting_world.worker, meeting=plan_meeting(in_hours=-1), text="决议\x00\n第二行")
    assert (meeting.title, meeting.venue) == ("红茶议事会 停车", "会议室")
    assert list(meeting.agenda.values_list("title", "presenter")) == [("议题 一", "王主任")]
    assert resolution.text == "决议\n第二行"
