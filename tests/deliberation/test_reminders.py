"""The reminder to the street office 3 months before an owners' committee's term ends."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from commonground.cases.models import Notification, NotificationKind
from commonground.core.models import OrganisationKind, RoleKind
from commonground.core.services.accounts import role_assign
from commonground.core.services.organisations import (
    organisation_create,
    organisation_member_add,
    organisation_update,
)
from commonground.deliberation import tasks
from commonground.deliberation.services import reminders
from commonground.deliberation.services.reminders import add_months, remind_committee_terms

TERM_END = datetime.date(2025, 3, 31)
ON = datetime.date(2025, 1, 1)


@pytest.fixture
def committee(tree):
    """The estate's owners' committee: two members whose term ends on TERM_END, one whose ended earlier."""
    organisation = organisation_create(name="竹竿巷小区业主委员会", kind=OrganisationKind.OWNERS_COMMITTEE,
                                       place=tree.estate, established_on=datetime.date(2020, 4, 1))
    organisation_member_add(organisation=organisation, person=tree.owner, position="主任",
                            term_from=datetime.date(2020, 4, 1), term_to=TERM_END)
    organisation_member_add(organisation=organisation, person=tree.neighbour_owner, position="委员",
                            term_from=datetime.date(2020, 4, 1), term_to=datetime.date(2023, 3, 31))
    return organisation


@pytest.fixture
def street_staff(tree, make_user):
    return [make_user(RoleKind.STREET_STAFF, tree.street), make_user(RoleKind.STREET_STAFF, tree.street)]


def told() -> list[tuple[int, str, str]]:
    return list(Notification.objects.order_by("user_id").values_list("user_id", "kind", "message"))


def test_remind_committee_terms__term_ends_within_window__each_street_staff_told_once(committee, street_staff):
    assert remind_committee_terms(on=ON) == 2
    message = reminders.term_message(reminders.committees_ending(ON)[0])
    assert told() == [(user.pk, NotificationKind.TERM_ENDING, message) for user in street_staff]
    assert "竹竿巷小区业主委员会" in message and "2025-03-31" in message
    assert Notification.objects.filter(case__isnull=False).count() == 0


def test_remind_committee_terms__run_again__nothing_new(committee, street_staff):
    remind_committee_terms(on=ON)
    before = told()
    assert remind_committee_terms(on=ON) == 0
    assert remind_committee_terms(on=ON + datetime.timedelta(days=1)) == 0
    assert told() == before


def test_remind_committee_terms__message_in_default_language_whatever_is_active(committee, street_staff):
    with translation.override("en"):
        remind_committee_terms(on=ON)
    with translation.override("zh-hans"):
        assert remind_committee_terms(on=ON) == 0
    assert Notification.objects.count() == 2


def test_remind_committee_terms__told_in_other_words_before__not_again(committee, street_staff):
    """A catalogue update changes the wording; the committee's name and the date still identify the reminder."""
    Notification.objects.create(user=street_staff[0], kind=NotificationKind.TERM_ENDING,
                                message="竹竿巷小区业主委员会任期将于2025-03-31届满，请督促其报告并筹备换届。")
    assert remind_committee_terms(on=ON) == 1
    assert Notification.objects.filter(user=street_staff[0]).count() == 1


@pytest.mark.parametrize(("on", "expected"), [
    (datetime.date(2024, 12, 30), 0),  # more than 3 months ahead
    (datetime.date(2024, 12, 31), 2),  # exactly 3 months ahead
    (TERM_END, 2),                     # the last day of the term
    (TERM_END + datetime.timedelta(days=1), 0),  # already ended
])
def test_remind_committee_terms__window__only_within_three_months(on, expected, committee, street_staff):
    assert remind_committee_terms(on=on) == expected
    assert Notification.objects.count() == expected


def test_remind_committee_terms__window_from_settings(committee, street_staff, settings):
    settings.CG_COMMITTEE_TERM_REMINDER_MONTHS = 1
    assert remind_committee_terms(on=ON) == 0
    assert remind_committee_terms(on=datetime.date(2025, 3, 1)) == 2


def test_remind_committee_terms__dissolved_committee__nothing(committee, street_staff):
    organisation_update(organisation=committee, dissolved_on=datetime.date(2024, 6, 1))
    assert remind_committee_terms(on=ON) == 0
    assert Notification.objects.count() == 0


def test_remind_committee_terms__latest_member_term_counts(committee, street_staff, tree):
    organisation_member_add(organisation=committee, person=tree.neighbour_owner, position="委员",
                            term_from=datetime.date(2022, 4, 1), term_to=datetime.date(2027, 3, 31))
    assert remind_committee_terms(on=ON) == 0


def test_remind_committee_terms__other_kinds_of_organisation__nothing(tree, street_staff):
    council = organisation_create(name="竹竿巷居委会", kind=OrganisationKind.RESIDENTS_COMMITTEE, place=tree.community)
    organisation_member_add(organisation=council, person=tree.owner, term_from=datetime.date(2020, 4, 1),
                            term_to=TERM_END)
    assert remind_committee_terms(on=ON) == 0


def test_remind_committee_terms__new_term_end__told_again(committee, street_staff):
    remind_committee_terms(on=ON)
    member = committee.memberships.get(term_to=TERM_END)
    member.term_to = datetime.date(2025, 4, 30)  # e.g. extended until the re-election
    member.save()
    assert remind_committee_terms(on=datetime.date(2025, 2, 1)) == 2
    assert Notification.objects.count() == 4


def test_remind_committee_terms__only_active_street_staff_of_that_street(committee, tree, make_user):
    right = make_user(RoleKind.STREET_STAFF, tree.street)
    make_user(RoleKind.STREET_STAFF, tree.other_street)
    make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    make_user(RoleKind.DISTRICT_ADMIN, tree.district)
    make_user(RoleKind.STREET_STAFF, tree.community)  # a street-staff role held below the street
    expired = make_user()
    role_assign(user=expired, role=RoleKind.STREET_STAFF, scope=tree.street, valid_from=datetime.date(2020, 1, 1),
                valid_to=datetime.date(2024, 12, 31))
    inactive = make_user(RoleKind.STREET_STAFF, tree.street)
    inactive.is_active = False
    inactive.save()
    assert remind_committee_terms(on=ON) == 1
    assert [row[0] for row in told()] == [right.pk]


def test_remind_committee_terms__no_street_staff__nothing(committee):
    assert remind_committee_terms(on=ON) == 0


def test_remind_terms_command__prints_how_many(committee, street_staff):
    out = StringIO()
    with translation.override("en"):
        call_command("remind_terms", "--on", "2025-01-01", stdout=out)
        call_command("remind_terms", "--on", "2025-01-01", stdout=out)
    assert out.getvalue().splitlines() == ["Committee terms: 2 reminders sent.", "Committee terms: 0 reminders sent."]


def test_remind_terms_command__bad_date__error(committee, street_staff):
    with translation.override("en"), pytest.raises(CommandError, match="--on must be a date"):
        call_command("remind_terms", "--on", "31/03/2025", stdout=StringIO())
    assert Notification.objects.count() == 0


def test_remind_committee_terms_task__uses_today(committee, street_staff, monkeypatch):
    monkeypatch.setattr(reminders, "today", lambda: ON)
    assert tasks.remind_committee_terms_task.delay().get() == 2
    assert tasks.remind_committee_terms_task() == 0


@pytest.mark.parametrize(("day", "months", "expected"), [
    (datetime.date(2025, 1, 1), 3, datetime.date(2025, 4, 1)),
    (datetime.date(2024, 11, 30), 3, datetime.date(2025, 2, 28)),
    (datetime.date(2023, 11, 30), 3, datetime.date(2024, 2, 29)),
    (datetime.date(2024, 10, 31), 14, datetime.date(2025, 12, 31)),
])
def test_add_months__clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected
