"""The activities pages: the noticeboard, an activity's sign-up for oneself or a child, my sign-ups with the QR
code, the staff pages (form, sessions, publish, cancel, the sign-up list and its export, the desk), who sees
what, and the query counts of the lists."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from commonground.core.models import RoleKind
from commonground.programs.models import Activity, ActivityStatus, Enrolment, EnrolmentStatus
from commonground.programs.services.activities import enrolment_create

from .activities_fixtures import summer_camp
from .activity_fixtures import TODAY, make_activity


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_noticeboard__resident__published_shown_drafts_not(programme, family):
    draft = make_activity(programme.worker, programme.organiser, publish=False, title="内部草稿")
    page = client_of(family.courier).get("/programs/activities/")
    assert page.status_code == 200
    text = page.content.decode()
    assert programme.activity.title in text and draft.title not in text


def test_noticeboard__filters__kind_and_text(programme, family):
    camp = summer_camp(programme)
    client = client_of(family.courier)
    text = client.get("/programs/activities/?kind=camp").content.decode()
    assert camp.title in text and programme.activity.title not in text
    text = client.get("/programs/activities/?q=手工").content.decode()
    assert camp.title not in text and programme.activity.title in text


def test_activity_page__draft__stranger_404_staff_200(programme, family):
    draft = make_activity(programme.worker, programme.organiser, publish=False)
    assert client_of(family.courier).get(f"/programs/activities/{draft.pk}/").status_code == 404
    assert client_of(programme.worker).get(f"/programs/activities/{draft.pk}/").status_code == 200


def test_activity_page__courier__child_offered_self_refused(programme, family):
    camp = summer_camp(programme)
    page = client_of(family.courier).get(f"/programs/activities/{camp.pk}/")
    text = page.content.decode()
    assert f'<option value="{family.child.pk}">' in text
    assert f'value="{family.teenager.pk}"' not in text and f'value="{family.courier_person.pk}"' not in text
    assert "the participant will be 36" in text


def test_activity_sign_up__child_by_page__confirmed_and_on_my_sign_ups(programme, family):
    camp = summer_camp(programme)
    client = client_of(family.courier)
    answer = client.post(f"/programs/activities/{camp.pk}/", {"participant": family.child.pk})
    assert answer.status_code == 302
    enrolment = Enrolment.objects.get(activity=camp)
    assert (enrolment.participant, enrolment.status) == (family.child, EnrolmentStatus.CONFIRMED)
    mine = client.get("/programs/my-activities/").content.decode()
    assert family.child.name in mine and enrolment.code in mine
    qr = client.get(f"/programs/sign-ups/{enrolment.pk}/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    assert client_of(family.neighbour).get(f"/programs/sign-ups/{enrolment.pk}/qr.svg").status_code == 404


def test_activity_sign_up__neighbours_child_posted__refused_nothing_written(programme, family, nothing_written):
    camp = summer_camp(programme)
    with nothing_written():
        answer = client_of(family.courier).post(f"/programs/activities/{camp.pk}/",
                                                {"participant": family.neighbour_child.pk})
    assert answer.status_code == 400


def test_my_activities__waiting__shows_position(programme, family, make_user):
    activity = make_activity(programme.worker, programme.organiser, capacity=1)
    owner = make_user(RoleKind.RESIDENT, programme.tree.estate, person=programme.tree.owner)
    enrolment_create(actor=owner, activity=activity)
    enrolment_create(actor=family.neighbour, activity=activity)
    enrolment_create(actor=family.courier, activity=activity)
    text = client_of(family.courier).get("/programs/my-activities/").content.decode()
    assert "waiting, number 2" in text


def test_enrolment_cancel__own_by_page__cancelled(programme, family):
    enrolment = enrolment_create(actor=family.courier, activity=programme.activity)
    answer = client_of(family.courier).post(f"/programs/sign-ups/{enrolment.pk}/cancel/", {"next": "my"})
    assert answer.status_code == 302 and answer["Location"] == "/programs/my-activities/"
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.CANCELLED


def test_enrolment_cancel__neighbours__404_nothing_written(programme, family, nothing_written):
    enrolment = enrolment_create(actor=family.courier, activity=programme.activity)
    with nothing_written():
        assert client_of(family.neighbour).post(f"/programs/sign-ups/{enrolment.pk}/cancel/").status_code == 404


@pytest.mark.parametrize("url", ["/programs/activities/manage/", "/programs/activities/new/",
                                 "/programs/activities/{pk}/edit/", "/programs/activities/{pk}/sign-ups/",
                                 "/programs/activities/{pk}/sign-ups.csv", "/programs/activities/{pk}/desk/"])
def test_staff_pages__resident__403(programme, family, url):
    assert client_of(family.courier).get(url.format(pk=programme.activity.pk)).status_code == 403


@pytest.mark.parametrize("url", ["/programs/activities/{pk}/publish/", "/programs/activities/{pk}/cancel/"])
def test_staff_steps__resident__403_nothing_written(programme, family, nothing_written, url):
    with nothing_written():
        assert client_of(family.courier).post(url.format(pk=programme.activity.pk)).status_code == 403


def test_staff_pages__other_community_worker__draft_404(programme, make_user):
    other = make_user(RoleKind.COMMUNITY_WORKER, programme.tree.far_community)
    draft = make_activity(programme.worker, programme.organiser, publish=False, title="别处草稿")
    client = client_of(other)
    assert client.get(f"/programs/activities/{draft.pk}/edit/").status_code == 404
    assert client.get(f"/programs/activities/{draft.pk}/sign-ups.xlsx").status_code == 404
    assert "别处草稿" not in client.get("/programs/activities/manage/").content.decode()
    assert client.get(f"/programs/activities/{programme.activity.pk}/sign-ups/").status_code == 403


def test_activity_new__worker__draft_with_session_then_publish(programme):
    client = client_of(programme.worker)
    day = TODAY + datetime.timedelta(days=30)
    answer = client.post("/programs/activities/new/", {
        "place": programme.tree.community.pk, "organiser": programme.organiser.pk, "title": "老年智能手机课",
        "kind": "course", "audience": "everyone", "min_age": "60", "capacity": "20", "fee": "0",
        "signup_opens_at": f"{TODAY}T09:00", "signup_closes_at": f"{day}T09:00",
        "session-starts_at": f"{day}T14:00", "session-ends_at": f"{day}T16:00", "session-venue": "活动室"})
    assert answer.status_code == 302
    created = Activity.objects.get(title="老年智能手机课")
    assert (created.status, created.capacity, created.min_age, created.sessions.count()) == (
        ActivityStatus.DRAFT, 20, 60, 1)
    more = client.post(f"/programs/activities/{created.pk}/edit/", {
        "add_session": "1", "session-starts_at": f"{day}T18:00", "session-ends_at": f"{day}T19:00"})
    assert more.status_code == 302 and created.sessions.count() == 2
    assert client.post(f"/programs/activities/{created.pk}/publish/").status_code == 302
    assert Activity.objects.get(pk=created.pk).status == ActivityStatus.PUBLISHED


def test_activity_edit__capacity_below_confirmed__400_nothing_written(programme, family, nothing_written):
    enrolment_create(actor=family.courier, activity=programme.activity)
    enrolment_create(actor=family.neighbour, activity=programme.activity)
    item = programme.activity
    data = {"save": "1", "organiser": programme.organiser.pk, "title": item.title, "kind": item.kind,
            "audience": item.audience, "capacity": "1", "fee": "0",
            "signup_opens_at": item.signup_opens_at.astimezone().strftime("%Y-%m-%dT%H:%M"),
            "signup_closes_at": item.signup_closes_at.astimezone().strftime("%Y-%m-%dT%H:%M")}
    with nothing_written():
        answer = client_of(programme.worker).post(f"/programs/activities/{item.pk}/edit/", data)
    assert answer.status_code == 400 and "already have a confirmed place" in answer.content.decode()


def test_enrolment_list__grid_worker__masked_names_and_export(programme, family, make_user):
    enrolment_create(actor=family.courier, activity=programme.activity)
    worker_page = client_of(programme.worker).get(f"/programs/activities/{programme.activity.pk}/sign-ups/")
    assert "王快递" in worker_page.content.decode() and "13900000021" in worker_page.content.decode()
    answer = client_of(programme.worker).get(f"/programs/activities/{programme.activity.pk}/sign-ups.xlsx")
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("王快递", "13900000021", "place confirmed")
    answer = client_of(programme.worker).get(f"/programs/activities/{programme.activity.pk}/sign-ups.csv")
    assert "王快递" in b"".join(answer.streaming_content).decode("utf-8-sig")


def test_enrolment_list__commissioner_without_personal_data__masked(programme, family, make_user):
    from commonground.core.permissions import can

    commissioner = make_user(RoleKind.BUILDING_COMMISSIONER, programme.tree.community)
    enrolment_create(actor=family.courier, activity=programme.activity)
    if can(commissioner, "person.view_personal_data", programme.tree.community):
        pytest.skip("building commissioners see personal data in full here")
    text = client_of(commissioner).get(f"/programs/activities/{programme.activity.pk}/sign-ups/").content.decode()
    assert "王**" in text and "139****0021" in text and "王快递" not in text


def test_desk__worker_finds_by_phone_tail_and_signs_up(programme):
    client = client_of(programme.worker)
    found = client.get(f"/programs/activities/{programme.activity.pk}/desk/?q=0001")
    assert found.status_code == 200 and programme.tree.owner.name in found.content.decode()
    answer = client.post(f"/programs/activities/{programme.activity.pk}/desk/", {"person": programme.tree.owner.pk})
    assert answer.status_code == 302
    enrolment = Enrolment.objects.get(activity=programme.activity)
    assert (enrolment.participant, enrolment.enrolled_by) == (programme.tree.owner, programme.worker)


def test_desk__person_outside_scope__404_nothing_written(programme, nothing_written):
    with nothing_written():
        answer = client_of(programme.worker).post(f"/programs/activities/{programme.activity.pk}/desk/",
                                                  {"person": programme.tree.neighbour_owner.pk})
    assert answer.status_code == 404


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url)
        assert answer.status_code == 200
        if hasattr(answer, "streaming_content"):
            b"".join(answer.streaming_content)
    return len(queries)


@pytest.mark.parametrize(("who", "url"), [
    ("courier", "/programs/activities/"), ("worker", "/programs/activities/manage/"),
    ("courier", "/programs/my-activities/"), ("worker", "/programs/activities/{pk}/sign-ups/"),
    ("worker", "/programs/activities/{pk}/sign-ups.csv"), ("courier", "/api/programs/activities"),
    ("courier", "/api/programs/my-sign-ups"), ("worker", "/api/programs/activities/{pk}/sign-ups"),
    ("worker", "/api/programs/activities/managed"), ("courier", "/programs/calendar/place/{place}.ics"),
])
def test_lists__one_and_many_rows__same_query_count(programme, family, make_user, who, url):
    from commonground.core.services.people import person_create
    from tests.conftest import make_id_number

    user = family.courier if who == "courier" else programme.worker
    big = make_activity(programme.worker, programme.organiser, capacity=2, title="大活动")
    url = url.format(pk=big.pk, place=programme.tree.community.code)
    client = client_of(user)
    enrolment_create(actor=family.courier, activity=big)
    one = _queries(client, url)
    for n in range(3):
        make_activity(programme.worker, programme.organiser, title=f"活动{n}")
        person = person_create(name=f"报名人{n}", id_number=make_id_number(seq=60 + n))
        enrolment_create(actor=make_user(RoleKind.RESIDENT, programme.tree.estate, person=person), activity=big)
    enrolment_create(actor=family.courier, activity=programme.activity)
    assert _queries(client, url) == one


def test_noticeboard__place_filter__choices_from_the_board_and_filtered(programme, family, make_user):
    from commonground.core.models import Organisation, OrganisationKind
    from commonground.core.services.organisations import organisation_create

    far_worker = make_user(RoleKind.COMMUNITY_WORKER, programme.tree.far_community)
    far = organisation_create(name="武林路社区居委会", kind=OrganisationKind.RESIDENTS_COMMITTEE,
                              place=programme.tree.far_community)
    assert isinstance(far, Organisation)
    far_activity = make_activity(far_worker, far, title="武林路读书会")
    client = client_of(family.courier)
    page = client.get("/programs/activities/")
    options = [code for code, _label in page.context["form"].fields["place"].choices]
    assert programme.tree.street.code in options and programme.tree.far_community.code in options
    text = client.get(f"/programs/activities/?place={programme.tree.other_street.code}").content.decode()
    assert far_activity.title in text and programme.activity.title not in text
