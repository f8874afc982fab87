"""Renewal representatives: every step allowed and refused; a refused step changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from commonground.core import clock
from commonground.core.models import Ownership, PlaceKind, RoleKind
from commonground.core.services.people import ownership_end
from commonground.core.services.places import place_create
from commonground.deliberation.models import Notice, NoticeKind, Representative, RepresentativeStatus
from commonground.deliberation.services import representatives as reps
from commonground.deliberation.services.representatives import (
    representative_board,
    representative_confirm,
    representative_nominate,
    representative_register,
    representative_reject_after_notice,
    representative_review,
    representative_withdraw,
    representatives_of,
    representatives_publish_notice,
    residents_by_building,
)

S = RepresentativeStatus
POSTED = datetime.date(2025, 3, 1)
ENDS = datetime.date(2025, 3, 6)  # POSTED + 5 days (CG_REPRESENTATIVE_NOTICE_DAYS default)


def on_day(day: datetime.date):
    return clock.frozen_at(timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0))))


def publish(actor, estate, day: datetime.date = POSTED) -> Notice:
    with on_day(day):
        return representatives_publish_notice(actor=actor, estate=estate)


def confirm(actor, rep, day: datetime.date) -> Representative:
    with on_day(day):
        return representative_confirm(actor=actor, representative=rep)


def nominated(clerk, rep_estate, index: int = 0, person=None) -> Representative:
    person = person or [rep_estate.owner, rep_estate.tenant][index]
    return representative_nominate(actor=clerk, building=rep_estate.buildings[index], person=person)


def advanced(clerk, rep_estate, to: str, index: int = 0) -> Representative:
    """A representative of building `index` moved along to status `to`."""
    rep = nominated(clerk, rep_estate, index)
    if to == S.NOMINATED:
        return rep
    rep = representative_register(actor=clerk, representative=rep)
    if to == S.REGISTERED:
        return rep
    rep = representative_review(actor=clerk, representative=rep, approve=True)
    if to == S.APPROVED:
        return rep
    publish(clerk, rep_estate.estate)
    rep.refresh_from_db()
    if to == S.NOTICED:
        return rep
    return confirm(clerk, rep, ENDS + datetime.timedelta(days=1))


@pytest.fixture
def outsider(tree, make_user):
    """A community worker of the neighbouring community: representative.* but not here."""
    return make_user(RoleKind.COMMUNITY_WORKER, tree.neighbour)


# --- nominate ------------------------------------------------------------------------------------------------

def test_representative_nominate__owner_living_there__nominated(clerk, rep_estate):
    rep = nominated(clerk, rep_estate)
    assert (rep.status, rep.building, rep.person, rep.nominated_by) == (S.NOMINATED, rep_estate.buildings[0],
                                                                        rep_estate.owner, clerk)


def test_representative_nominate__tenant_living_there__nominated(clerk, rep_estate):
    rep = representative_nominate(actor=clerk, building=rep_estate.buildings[1], person=rep_estate.tenant)
    assert rep.status == S.NOMINATED


def test_representative_nominate__owner_living_elsewhere__nominated(clerk, rep_estate):
    rep = representative_nominate(actor=clerk, building=rep_estate.buildings[1], person=rep_estate.landlord)
    assert rep.person == rep_estate.landlord


def test_representative_nominate__person_not_in_building__refused(clerk, rep_estate, tree):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        representative_nominate(actor=clerk, building=rep_estate.buildings[0], person=tree.neighbour_owner)
    assert raised.value.message_dict == {"person": ["李四 neither lives nor owns a flat in 1幢."]}
    assert Representative.objects.count() == 0


def test_representative_nominate__lives_in_another_building_of_the_estate__refused(clerk, rep_estate):
    with pytest.raises(ValidationError):
        representative_nominate(actor=clerk, building=rep_estate.buildings[0], person=rep_estate.tenant)
    assert Representative.objects.count() == 0


def test_representative_nominate__title_ended__refused(clerk, rep_estate):
    ownership_end(ownership=Ownership.objects.get(person=rep_estate.landlord), ended_on=datetime.date(2021, 1, 1))
    with pytest.raises(ValidationError):
        representative_nominate(actor=clerk, building=rep_estate.buildings[1], person=rep_estate.landlord)
    assert Representative.objects.count() == 0


def test_representative_nominate__second_for_building__refused(clerk, rep_estate, nothing_written):
    first = representative_nominate(actor=clerk, building=rep_estate.buildings[1], person=rep_estate.tenant)
    with nothing_written():
        with translation.override("en"), pytest.raises(ValidationError) as raised:
            representative_nominate(actor=clerk, building=rep_estate.buildings[1], person=rep_estate.landlord)
        assert raised.value.message_dict == {"building": ["2幢 already has a representative: 周七 (nominated)."]}
    assert list(Representative.objects.values_list("pk", flat=True)) == [first.pk]


def test_representative_nominate__race_past_the_check__database_refuses(clerk, rep_estate, monkeypatch):
    representative_nominate(actor=clerk, building=rep_estate.buildings[1], person=rep_estate.tenant)
    monkeypatch.setattr(reps, "LIVE_STATUSES", [])  # as if a concurrent request had not committed yet
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        representative_nominate(actor=clerk, building=rep_estate.buildings[1], person=rep_estate.landlord)
    assert raised.value.message_dict == {"building": ["2幢 already has a representative."]}
    assert Representative.objects.count() == 1


def test_representative_nominate__after_rejection__nominated_again(clerk, rep_estate):
    rep = advanced(clerk, rep_estate, S.REGISTERED, index=1)
    representative_review(actor=clerk, representative=rep, approve=False, reason="未在本楼实际居住")
    again = representative_nominate(actor=clerk, building=rep_estate.buildings[1], person=rep_estate.landlord)
    assert again.status == S.NOMINATED
    assert Representative.objects.filter(building=rep_estate.buildings[1]).count() == 2


def test_representative_nominate__estate_not_building__refused(clerk, rep_estate):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        representative_nominate(actor=clerk, building=rep_estate.estate, person=rep_estate.owner)
    assert raised.value.message_dict == {"building": [f"{rep_estate.estate.name} is not a building of an estate."]}
    assert Representative.objects.count() == 0


def test_representative_nominate__building_outside_an_estate__refused(clerk, tree):
    loose = place_create(code="LOOSE-B1", name="散楼1幢", kind=PlaceKind.BUILDING, parent=tree.community)
    with pytest.raises(ValidationError):
        representative_nominate(actor=clerk, building=loose, person=tree.owner)
    assert Representative.objects.count() == 0


@pytest.mark.parametrize("who", ["outsider", "resident", "anonymous"])
def test_representative_nominate__not_allowed_here__denied(who, request, rep_estate, make_user, tree):
    from django.contrib.auth.models import AnonymousUser
    user = {"outsider": lambda: request.getfixturevalue("outsider"),
            "resident": lambda: make_user(RoleKind.RESIDENT, tree.estate, person=rep_estate.owner),
            "anonymous": AnonymousUser}[who]()
    with pytest.raises(PermissionDenied):
        representative_nominate(actor=user, building=rep_estate.buildings[0], person=rep_estate.owner)
    assert Representative.objects.count() == 0


def test_representative_nominate__street_staff_and_renewal_worker__nominated(rep_estate, make_user, tree):
    street = make_user(RoleKind.STREET_STAFF, tree.street)
    renewal = make_user(RoleKind.RENEWAL_WORKER, tree.estate)
    first = representative_nominate(actor=street, building=rep_estate.buildings[0], person=rep_estate.owner)
    second = representative_nominate(actor=renewal, building=rep_estate.buildings[1], person=rep_estate.tenant)
    assert [first.nominated_by, second.nominated_by] == [street, renewal]


# --- register ------------------------------------------------------------------------------------------------

def test_representative_register__nominated__registered(clerk, rep_estate):
    rep = representative_register(actor=clerk, representative=nominated(clerk, rep_estate))
    assert rep.status == S.REGISTERED
    assert Representative.objects.get().status == S.REGISTERED


def test_representative_register__already_registered__refused(clerk, rep_estate, nothing_written):
    rep = advanced(clerk, rep_estate, S.REGISTERED)
    with nothing_written():
        with translation.override("en"), pytest.raises(ValidationError) as raised:
            representative_register(actor=clerk, representative=rep)
        assert raised.value.messages == ["This step is not open: the representative of 1幢 is registered."]


def test_representative_register__stale_object__checks_the_stored_state(clerk, rep_estate):
    rep = nominated(clerk, rep_estate)
    representative_register(actor=clerk, representative=rep)
    assert rep.status == S.NOMINATED  # the caller's copy is stale; the service reads the row
    with pytest.raises(ValidationError):
        representative_register(actor=clerk, representative=rep)


def test_representative_register__out_of_scope__denied(clerk, rep_estate, outsider, nothing_written):
    rep = nominated(clerk, rep_estate)
    with nothing_written(), pytest.raises(PermissionDenied):
        representative_register(actor=outsider, representative=rep)


# --- review --------------------------------------------------------------------------------------------------

def test_representative_review__approve__approved(clerk, rep_estate):
    rep = representative_review(actor=clerk, representative=advanced(clerk, rep_estate, S.REGISTERED), approve=True)
    stored = Representative.objects.get()
    assert (stored.status, stored.reviewed_by, stored.rejection_reason) == (S.APPROVED, clerk, "")
    assert rep.status == S.APPROVED


def test_representative_review__reject_with_reason__rejected(clerk, rep_estate):
    rep = advanced(clerk, rep_estate, S.REGISTERED)
    representative_review(actor=clerk, representative=rep, approve=False, reason="  登记表信息不全  ")
    stored = Representative.objects.get()
    assert (stored.status, stored.rejection_reason, stored.reviewed_by) == (S.REJECTED, "登记表信息不全", clerk)


def test_representative_review__reject_without_reason__refused(clerk, rep_estate, nothing_written):
    rep = advanced(clerk, rep_estate, S.REGISTERED)
    with nothing_written():
        with translation.override("en"), pytest.raises(ValidationError) as raised:
            representative_review(actor=clerk, representative=rep, approve=False, reason="   ")
        assert raised.value.message_dict == {"reason": ["Give the reason."]}


@pytest.mark.parametrize("status", [S.NOMINATED, S.APPROVED, S.NOTICED, S.CONFIRMED])
def test_representative_review__not_registered__refused(status, clerk, rep_estate, nothing_written):
    rep = advanced(clerk, rep_estate, status)
    with nothing_written(), pytest.raises(ValidationError):
        representative_review(actor=clerk, representative=rep, approve=True)


def test_representative_review__out_of_scope__denied(clerk, rep_estate, outsider, nothing_written):
    rep = advanced(clerk, rep_estate, S.REGISTERED)
    with nothing_written(), pytest.raises(PermissionDenied):
        representative_review(actor=outsider, representative=rep, approve=True)


# --- the public notice ---------------------------------------------------------------------------------------

def test_representatives_publish_notice__approved__one_notice_lists_building_and_name(clerk, rep_estate):
    first = advanced(clerk, rep_estate, S.APPROVED, index=0)
    second = advanced(clerk, rep_estate, S.APPROVED, index=1)
    with translation.override("en"):
        notice = publish(clerk, rep_estate.estate)
    assert (notice.kind, notice.place, notice.posted_on, notice.ends_on, notice.published_by) == (
        NoticeKind.REPRESENTATIVES, rep_estate.estate, POSTED, ENDS, clerk)
    assert notice.title == f"Notice of the renewal representatives of {rep_estate.estate.name}"
    assert notice.table == [["Building", "Representative"], ["1幢", "张三"], ["2幢", "周七"]]
    assert "2025-03-01" in notice.body and "2025-03-06" in notice.body
    for person in (rep_estate.owner, rep_estate.tenant):
        assert person.phone not in notice.body + str(notice.table)
        assert person.id_number not in notice.body + str(notice.table)
    for rep in (first, second):
        rep.refresh_from_db()
        assert (rep.status, rep.notice) == (S.NOTICED, notice)


def test_representatives_publish_notice__only_approved_are_listed(clerk, rep_estate):
    advanced(clerk, rep_estate, S.APPROVED, index=0)
    registered = advanced(clerk, rep_estate, S.REGISTERED, index=1)
    notice = publish(clerk, rep_estate.estate)
    assert notice.table[1:] == [["1幢", "张三"]]
    registered.refresh_from_db()
    assert (registered.status, registered.notice) == (S.REGISTERED, None)


def test_representatives_publish_notice__default_day_is_today(clerk, rep_estate):
    from commonground.core.clock import today

    advanced(clerk, rep_estate, S.APPROVED)
    notice = representatives_publish_notice(actor=clerk, estate=rep_estate.estate)
    assert (notice.posted_on, notice.ends_on) == (today(), today() + datetime.timedelta(days=5))


def test_representatives_publish_notice__period_from_settings(clerk, rep_estate, settings):
    settings.CG_REPRESENTATIVE_NOTICE_DAYS = 7
    advanced(clerk, rep_estate, S.APPROVED)
    notice = publish(clerk, rep_estate.estate)
    assert notice.ends_on == datetime.date(2025, 3, 8)


def test_representatives_publish_notice__none_approved__refused(clerk, rep_estate, nothing_written):
    advanced(clerk, rep_estate, S.REGISTERED)
    with nothing_written():
        with translation.override("en"), pytest.raises(ValidationError) as raised:
            publish(clerk, rep_estate.estate)
        assert raised.value.messages == [
            f"No representative of {rep_estate.estate.name} has been approved in the joint review yet."]


def test_representatives_publish_notice__already_noticed__refused(clerk, rep_estate, nothing_written):
    advanced(clerk, rep_estate, S.NOTICED)
    with nothing_written(), pytest.raises(ValidationError):
        publish(clerk, rep_estate.estate)


def test_representatives_publish_notice__not_an_estate__refused(clerk, rep_estate, nothing_written):
    advanced(clerk, rep_estate, S.APPROVED)
    with nothing_written(), pytest.raises(ValidationError):
        publish(clerk, rep_estate.buildings[0])


def test_representatives_publish_notice__owners_committee_member__denied(clerk, rep_estate, make_user, tree, nothing_written):
    advanced(clerk, rep_estate, S.APPROVED)
    member = make_user(RoleKind.OWNERS_COMMITTEE_MEMBER, tree.estate)
    with nothing_written(), pytest.raises(PermissionDenied):
        publish(member, rep_estate.estate)


def test_representatives_publish_notice__renewal_worker__published(clerk, rep_estate, make_user, tree):
    advanced(clerk, rep_estate, S.APPROVED)
    notice = publish(make_user(RoleKind.RENEWAL_WORKER, tree.estate), rep_estate.estate)
    assert notice.representatives.count() == 1


def test_representatives_publish_notice__out_of_scope__denied(clerk, rep_estate, outsider, nothing_written):
    advanced(clerk, rep_estate, S.APPROVED)
    with nothing_written(), pytest.raises(PermissionDenied):
        publish(outsider, rep_estate.estate)


# --- confirm, objection, withdrawal --------------------------------------------------------------------------

def test_representative_confirm__after_the_notice__confirmed(clerk, rep_estate):
    rep = advanced(clerk, rep_estate, S.NOTICED)
    rep = confirm(clerk, rep, datetime.date(2025, 3, 7))
    stored = Representative.objects.get()
    assert (stored.status, stored.confirmed_on) == (S.CONFIRMED, datetime.date(2025, 3, 7))


@pytest.mark.parametrize("day", [POSTED, ENDS])
def test_representative_confirm__notice_still_running__refused(day, clerk, rep_estate, nothing_written):
    rep = advanced(clerk, rep_estate, S.NOTICED)
    with nothing_written():
        with translation.override("en"), pytest.raises(ValidationError) as raised:
            confirm(clerk, rep, day)
        assert raised.value.messages == ["The notice runs until 2025-03-06; confirm the representative after that day."]


@pytest.mark.parametrize("status", [S.NOMINATED, S.REGISTERED, S.APPROVED, S.CONFIRMED])
def test_representative_confirm__not_on_notice__refused(status, clerk, rep_estate, nothing_written):
    rep = advanced(clerk, rep_estate, status)
    with nothing_written(), pytest.raises(ValidationError):
        confirm(clerk, rep, datetime.date(2025, 4, 1))


def test_representative_confirm__out_of_scope__denied(clerk, rep_estate, outsider, nothing_written):
    rep = advanced(clerk, rep_estate, S.NOTICED)
    with nothing_written(), pytest.raises(PermissionDenied):
        confirm(outsider, rep, datetime.date(2025, 4, 1))


def test_representative_reject_after_notice__objection_upheld__rejected_and_building_free(clerk, rep_estate):
    rep = advanced(clerk, rep_estate, S.NOTICED)
    rep = representative_reject_after_notice(actor=clerk, representative=rep, reason="居民异议：长期不在本楼居住")
    stored = Representative.objects.get()
    assert (stored.status, stored.rejection_reason, stored.reviewed_by) == (S.REJECTED, "居民异议：长期不在本楼居住",
                                                                            clerk)
    assert stored.notice is not None  # it was on that notice
    assert representative_nominate(actor=clerk, building=rep_estate.buildings[0], person=rep_estate.owner).pk != rep.pk


def test_representative_reject_after_notice__without_reason__refused(clerk, rep_estate, nothing_written):
    rep = advanced(clerk, rep_estate, S.NOTICED)
    with nothing_written(), pytest.raises(ValidationError):
        representative_reject_after_notice(actor=clerk, representative=rep, reason="")


@pytest.mark.parametrize("status", [S.APPROVED, S.CONFIRMED])
def test_representative_reject_after_notice__not_on_notice__refused(status, clerk, rep_estate, nothing_written):
    rep = advanced(clerk, rep_estate, status)
    with nothing_written(), pytest.raises(ValidationError):
        representative_reject_after_notice(actor=clerk, representative=rep, reason="异议")


def test_representative_reject_after_notice__out_of_scope__denied(clerk, rep_estate, outsider, nothing_written):
    rep = advanced(clerk, rep_estate, S.NOTICED)
    with nothing_written(), pytest.raises(PermissionDenied):
        representative_reject_after_notice(actor=outsider, representative=rep, reason="异议")


def test_representative_withdraw__nominated__rejected_with_reason(clerk, rep_estate):
    rep = nominated(clerk, rep_estate)
    with translation.override("en"):
        representative_withdraw(actor=clerk, representative=rep, reason="身体原因")
    stored = Representative.objects.get()
    assert (stored.status, stored.rejection_reason) == (S.REJECTED, "Withdrawn: 身体原因")


def test_representative_withdraw__confirmed__refused(clerk, rep_estate, nothing_written):
    rep = advanced(clerk, rep_estate, S.CONFIRMED)
    with nothing_written(), pytest.raises(ValidationError):
        representative_withdraw(actor=clerk, representative=rep, reason="身体原因")


# --- reads ---------------------------------------------------------------------------------------------------

def test_representatives_of__confirmed_only_by_building(clerk, rep_estate, tree):
    second = advanced(clerk, rep_estate, S.CONFIRMED, index=1)
    first = advanced(clerk, rep_estate, S.NOTICED, index=0)
    assert list(representatives_of(rep_estate.estate)) == [second]
    confirm(clerk, first, datetime.date(2025, 4, 1))
    assert list(representatives_of(rep_estate.estate)) == [first, second]
    assert list(representatives_of(tree.neighbour_estate)) == []


def test_representative_board__every_building_with_its_current_representative(clerk, rep_estate):
    rep = advanced(clerk, rep_estate, S.REGISTERED, index=1)
    representative_review(actor=clerk, representative=rep, approve=False, reason="信息不全")
    current = representative_nominate(actor=clerk, building=rep_estate.buildings[1], person=rep_estate.landlord)
    confirmed = advanced(clerk, rep_estate, S.CONFIRMED, index=0)
    board = representative_board(rep_estate.estate)
    assert [(row.building, row.representative) for row in board] == [
        (rep_estate.buildings[0], confirmed), (rep_estate.buildings[1], current), (rep_estate.buildings[2], None)]


def test_representative_board__query_count_constant(clerk, rep_estate, tree):
    nominated(clerk, rep_estate)
    with CaptureQueriesContext(connection) as few:
        [row.representative.person.name for row in representative_board(rep_estate.estate) if row.representative]
    for n in range(4, 10):
        place_create(code=f"{tree.estate.code}-B{n}", name=f"{n}幢", kind=PlaceKind.BUILDING, parent=tree.estate)
    advanced(clerk, rep_estate, S.NOTICED, index=1)
    with CaptureQueriesContext(connection) as many:
        board = representative_board(rep_estate.estate)
        [(row.representative.person.name, row.representative.notice) for row in board if row.representative]
    assert len(board) == 9
    assert len(few) == len(many) == 2


def test_residents_by_building__people_living_or_owning_per_building(rep_estate):
    found = residents_by_building(rep_estate.estate)
    assert found == {rep_estate.buildings[0].pk: [(rep_estate.owner.pk, "张三")],
                     rep_estate.buildings[1].pk: [(rep_estate.landlord.pk, "吴八"), (rep_estate.tenant.pk, "周七")]}
