"""Owners' decisions: creating, announcing with the notice period, closing with a fixed, hashed, re-checkable
result, and noting an appeal."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from commonground.core import clock
from commonground.core.models import PlaceKind, RoleKind
from commonground.core.services.places import place_create
from commonground.deliberation.models import (
    Ballot,
    Elector,
    Notice,
    NoticeKind,
    Outcome,
    Vote,
    VoteStatus,
)
from commonground.deliberation.services.ballots import ballot_cast, ballot_enter
from commonground.deliberation.services.votes import (
    ballot_record,
    tally_record,
    vote_announce,
    vote_cancel,
    vote_close,
    vote_create,
    vote_note_appeal,
    vote_verify,
)
from commonground.deliberation.tally import record_hash
from tests.files import image_bytes

RECORD = datetime.date(2030, 2, 20)
CREATED = timezone.make_aware(datetime.datetime(2030, 2, 20, 9, 0))
OPENS = timezone.make_aware(datetime.datetime(2030, 3, 20, 9, 0))
CLOSES = timezone.make_aware(datetime.datetime(2030, 3, 27, 18, 0))
COUNTED_ON = datetime.date(2030, 3, 28)
COUNTED = timezone.make_aware(datetime.datetime(2030, 3, 28, 9, 0))  # the clerk closes the vote the next morning
HOUR = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


def create(clerk, estate, **changes) -> Vote:
    fields = {"matter": "5", "title": "使用维修资金更换电梯", "record_date": RECORD, "opens_at": OPENS,
              "closes_at": CLOSES, **changes}
    with clock.frozen_at(CREATED):
        return vote_create(actor=clerk, estate=estate, **fields)


def announce(clerk, vote, on: datetime.date) -> Vote:
    with clock.frozen_at(timezone.make_aware(datetime.datetime.combine(on, datetime.time(10, 0)))):
        return vote_announce(actor=clerk, vote=vote)


def close(clerk, vote, at: datetime.datetime = COUNTED) -> Vote:
    with clock.frozen_at(at):
        return vote_close(actor=clerk, vote=vote)


@pytest.fixture
def voters(register, make_user, tree) -> dict[str, object]:
    """Logins for every person on the register fixture (the developer has none: it votes on paper)."""
    people = {"zhang": tree.owner, **{f"o{i}": p for i, p in enumerate(register.owners)}}
    return {name: make_user(RoleKind.RESIDENT, tree.estate, person=person) for name, person in people.items()}


@pytest.fixture
def announced(register, clerk):
    return announce(clerk, create(clerk, register.estate), on=OPENS.date() - datetime.timedelta(days=15))


def cast_all(vote, voters, choices: dict[str, str]) -> dict[str, Ballot]:
    with clock.frozen_at(OPENS + HOUR):
        return {name: ballot_cast(vote=vote, actor=voters[name], choice=choice) for name, choice in choices.items()}


PASSING = {"o0": "agree", "o1": "agree", "o3": "agree", "o4": "against", "o5": "abstain"}


# --- create ------------------------------------------------------------------------------------------------------

def test_vote_create__valid__draft_with_window(register, clerk):
    vote = create(clerk, register.estate, allow_change=False)
    assert (vote.status, vote.kind, vote.matter, vote.seats, vote.term_years) == ("draft", "decision", "5", None,
                                                                                  None)
    assert (vote.opens_at, vote.closes_at, vote.allow_change, vote.created_by) == (OPENS, CLOSES, False, clerk)
    assert (vote.electorate_heads, vote.record_hash, vote.outcome) == (0, "", "")


@pytest.mark.parametrize(("changes", "errors"), [
    ({"opens_at": CREATED}, {"opens_at": ["Voting must open in the future."]}),
    ({"opens_at": CREATED - HOUR, "closes_at": CLOSES}, {"opens_at": ["Voting must open in the future."]}),
    ({"closes_at": OPENS}, {"closes_at": ["Voting must close after it opens."]}),
    ({"closes_at": OPENS - HOUR}, {"closes_at": ["Voting must close after it opens."]}),
    ({"record_date": OPENS.date() + datetime.timedelta(days=1)},
     {"record_date": ["The record date must not be after voting opens."]}),
    ({"title": "   "}, {"title": ["Give the vote a title."]}),
])
def test_vote_create__invalid_window_or_title__refused_nothing_stored(register, clerk, changes, errors):
    with pytest.raises(ValidationError) as refused:
        create(clerk, register.estate, **changes)
    assert refused.value.message_dict == errors
    assert Vote.objects.count() == 0


def test_vote_create__record_date_on_opening_day__accepted(register, clerk):
    assert create(clerk, register.estate, record_date=OPENS.date()).record_date == OPENS.date()


@pytest.mark.parametrize("place", ["community", "building"])
def test_vote_create__not_an_estate__refused_nothing_stored(tree, clerk, place):
    with pytest.raises(ValidationError) as refused:
        create(clerk, getattr(tree, place))
    assert refused.value.message_dict == {"estate": ["Owners vote in an estate (小区)."]}
    assert Vote.objects.count() == 0


def test_vote_create__worker_of_another_community__permission_denied(register, make_user, tree):
    outsider = make_user(RoleKind.COMMUNITY_WORKER, tree.far_community)
    with pytest.raises(PermissionDenied):
        create(outsider, register.estate)
    assert Vote.objects.count() == 0


def test_vote_create__owner_without_manage_right__permission_denied(register, voters):
    with pytest.raises(PermissionDenied):
        create(voters["o0"], register.estate)
    assert Vote.objects.count() == 0


# --- announce: the notice period -----------------------------------------------------------------------------------

def test_vote_announce__exactly_fifteen_days_before_opening__accepted_with_notice(register, clerk):
    on = OPENS.date() - datetime.timedelta(days=15)
    vote = announce(clerk, create(clerk, register.estate), on=on)
    assert (vote.status, vote.announced_on, vote.electorate_heads) == ("announced", on, 7)
    assert vote.electorate_area_m2 == Decimal("875.50")
    notice = Notice.objects.get(vote=vote)
    assert (notice.kind, notice.place, notice.posted_on, notice.ends_on) == (
        NoticeKind.VOTE, register.estate, on, CLOSES.date())
    assert notice.title == "Notice: 使用维修资金更换电梯"
    assert "Voting opens 2030-03-20 09:00 and closes 2030-03-27 18:00." in notice.body
    assert "Register of owners as on 2030-02-20: 7 owners, 875.50 m² of exclusive area." in notice.body


def test_vote_announce__fourteen_days_before_opening__refused_nothing_stored(register, clerk):
    vote = create(clerk, register.estate)
    with pytest.raises(ValidationError) as refused:
        announce(clerk, vote, on=OPENS.date() - datetime.timedelta(days=14))
    assert refused.value.message_dict == {"opens_at": [
        "The notice must be posted 15 days before voting opens: open on 2030-03-21 or later."]}
    vote.refresh_from_db()
    assert vote.status == VoteStatus.DRAFT
    assert (Elector.objects.count(), Notice.objects.count()) == (0, 0)


def test_vote_announce__notice_days_setting__twenty_required(register, clerk, settings):
    settings.CG_VOTE_NOTICE_DAYS = 20
    vote = create(clerk, register.estate)
    with pytest.raises(ValidationError):
        announce(clerk, vote, on=OPENS.date() - datetime.timedelta(days=15))
    assert Notice.objects.count() == 0
    vote = announce(clerk, vote, on=OPENS.date() - datetime.timedelta(days=20))
    assert vote.status == VoteStatus.ANNOUNCED


def test_vote_announce__twice__refused_electorate_unchanged(announced, clerk):
    with pytest.raises(ValidationError) as refused:
        announce(clerk, announced, on=OPENS.date() - datetime.timedelta(days=15))
    assert refused.value.messages == ["Only a draft can be announced; this vote is announced."]
    assert (Elector.objects.filter(vote=announced).count(), Notice.objects.count()) == (7, 1)


def test_vote_announce__record_date_after_announcement__refused(register, clerk):
    vote = create(clerk, register.estate, record_date=datetime.date(2030, 3, 10))
    with pytest.raises(ValidationError) as refused:
        announce(clerk, vote, on=datetime.date(2030, 3, 1))
    assert refused.value.message_dict == {
        "record_date": ["The record date must be today or earlier, so the register is known."]}
    assert Elector.objects.count() == 0


def test_vote_announce__estate_without_owners__refused_stays_draft(tree, clerk):
    empty = place_create(code="EMPTY-E", name="空小区", kind=PlaceKind.ESTATE, parent=tree.community)
    vote = create(clerk, empty)
    with pytest.raises(ValidationError) as refused:
        announce(clerk, vote, on=datetime.date(2030, 3, 1))
    assert refused.value.messages == ["No owners are registered in this estate on the record date."]
    vote.refresh_from_db()
    assert vote.status == VoteStatus.DRAFT
    assert Notice.objects.count() == 0


def test_vote_announce__worker_of_another_community__permission_denied(register, clerk, make_user, tree):
    vote = create(clerk, register.estate)
    with pytest.raises(PermissionDenied):
        announce(make_user(RoleKind.COMMUNITY_WORKER, tree.far_community), vote, on=datetime.date(2030, 3, 1))
    vote.refresh_from_db()
    assert vote.status == VoteStatus.DRAFT


def test_vote_cancel__before_opening__cancelled_after_opening_refused(announced, clerk):
    with pytest.raises(ValidationError), clock.frozen_at(OPENS):
        vote_cancel(actor=clerk, vote=announced)
    assert Vote.objects.get(pk=announced.pk).status == VoteStatus.ANNOUNCED
    with clock.frozen_at(OPENS - HOUR):
        assert vote_cancel(actor=clerk, vote=announced).status == VoteStatus.CANCELLED


# --- close --------------------------------------------------------------------------------------------------------

def test_vote_close__before_closes_at__refused_nothing_fixed(announced, clerk, voters):
    cast_all(announced, voters, PASSING)
    with pytest.raises(ValidationError) as refused:
        close(clerk, announced, at=CLOSES - datetime.timedelta(seconds=1))
    assert refused.value.messages == ["Voting is still open until 2030-03-27 18:00."]
    vote = Vote.objects.get(pk=announced.pk)
    assert (vote.status, vote.outcome, vote.result, vote.record_hash) == ("announced", "", {}, "")
    assert not Notice.objects.filter(kind=NoticeKind.RESULT).exists()


def test_vote_close__draft__refused(register, clerk):
    vote = create(clerk, register.estate)
    with pytest.raises(ValidationError) as refused:
        close(clerk, vote, at=CLOSES + HOUR)
    assert refused.value.messages == ["Only an announced vote can be closed."]


def test_vote_close__twice__refused_result_unchanged(announced, clerk, voters):
    cast_all(announced, voters, PASSING)
    vote = close(clerk, announced)
    with pytest.raises(ValidationError):
        close(clerk, vote, at=COUNTED + HOUR)
    assert Vote.objects.get(pk=vote.pk).closed_at == COUNTED
    assert Notice.objects.filter(kind=NoticeKind.RESULT).count() == 1


def test_vote_close__worker_of_another_community__permission_denied(announced, make_user, tree):
    with pytest.raises(PermissionDenied):
        close(make_user(RoleKind.COMMUNITY_WORKER, tree.far_community), announced, at=CLOSES)
    assert Vote.objects.get(pk=announced.pk).status == VoteStatus.ANNOUNCED


def test_vote_close__ordinary_matter__passed_with_every_share_and_hash(announced, clerk, voters):
    ballots = cast_all(announced, voters, PASSING)
    vote = close(clerk, announced)
    vote.refresh_from_db()
    assert (vote.status, vote.outcome, vote.closed_at, vote.closed_by) == ("closed", "passed", COUNTED, clerk)
    result = {k: v for k, v in vote.result.items() if k != "record"}
    assert result == {
        "outcome": "passed", "quorum_met": True, "threshold": "more_than_half",
        "quorum": {"area": [60000, 87550], "heads": [5, 7]},
        "agree": {"area": [40000, 60000], "heads": [3, 5]},
        "against": {"area": [10000, 60000], "heads": [1, 5]},
        "abstain": {"area": [10000, 60000], "heads": [1, 5]},
    }
    record = vote.result["record"]
    assert vote.record_hash == record_hash(record)
    assert len(vote.record_hash) == 64
    assert record["electorate"] == {"area": 87550, "heads": 7}
    receipts = sorted((b.receipt_code, b.choice) for b in ballots.values())
    assert [(b["receipt"], b["choice"]) for b in record["ballots"]] == receipts
    assert [b["area"] for b in record["ballots"]] == [
        int(b.elector.area_m2 * 100) for b in sorted(ballots.values(), key=lambda b: b.receipt_code)]
    assert "王" not in str(record) and "张" not in str(record)  # no names, only receipt codes

    notice = Notice.objects.get(vote=vote, kind=NoticeKind.RESULT)
    assert (notice.posted_on, notice.ends_on) == (COUNTED_ON, COUNTED_ON + datetime.timedelta(days=15))
    assert notice.table == [["Receipt code", "Choice"], *[[code, choice] for code, choice in receipts]]
    assert f"SHA-256 of the ballot record: {vote.record_hash}" in notice.body
    assert "Result: passed" in notice.body
    assert ("Agree: 400.00 m² / 600.00 m² (66.67%) of the participating area, 3 / 5 (60.00%) of the "
            "participating owners.") in notice.body
    assert "Taking part: 600.00 m² / 875.50 m² (68.53%) of the area, 5 / 7 (71.43%) of the owners." in notice.body


@pytest.mark.parametrize(("matter", "outcome"), [("5", Outcome.PASSED), ("7", Outcome.FAILED)])
def test_vote_close__same_ballots__ordinary_passes_supermajority_fails(register, clerk, voters, matter, outcome):
    vote = announce(clerk, create(clerk, register.estate, matter=matter), on=datetime.date(2030, 3, 1))
    cast_all(vote, voters, {"zhang": "against", "o0": "agree", "o1": "agree", "o3": "agree", "o4": "agree",
                            "o5": "agree"})
    developer = Elector.objects.get(vote=vote, memberships__organisation=register.developer)
    with clock.frozen_at(OPENS + HOUR):
        ballot_enter(vote=vote, actor=clerk, elector=developer, choice="against",
                     scan=SimpleUploadedFile("p.png", image_bytes("PNG"), content_type="image/png"))
    vote = close(clerk, vote)
    assert vote.outcome == outcome
    assert vote.result["agree"] == {"area": [60000, 87550], "heads": [5, 7]}
    assert vote.result["threshold"] == ("three_quarters" if matter == "7" else "more_than_half")


def test_vote_close__too_few_take_part__no_quorum(announced, clerk, voters):
    cast_all(announced, voters, {"o0": "agree", "o1": "agree", "o3": "agree", "o4": "agree"})  # 4/7, 500/875.50
    vote = close(clerk, announced)
    assert vote.outcome == Outcome.NO_QUORUM
    assert vote.result["quorum"] == {"area": [50000, 87550], "heads": [4, 7]}
    assert "Result: no quorum" in Notice.objects.get(vote=vote, kind=NoticeKind.RESULT).body


def test_vote_close__changed_ballot__only_last_version_counted_all_kept(announced, clerk, voters):
    cast_all(announced, voters, PASSING)
    with clock.frozen_at(OPENS + 2 * HOUR):
        ballot_cast(vote=announced, actor=voters["o4"], choice="agree")
    vote = close(clerk, announced)
    assert vote.result["agree"] == {"area": [50000, 60000], "heads": [4, 5]}
    ballot = Ballot.objects.get(elector__vote=vote, cast_by=voters["o4"])
    (changed,) = [b for b in vote.result["record"]["ballots"] if b["receipt"] == ballot.receipt_code]
    assert changed["choice"] == "agree"
    assert ballot.versions.count() == 2


# --- verify and re-tally -----------------------------------------------------------------------------------------

@pytest.fixture
def closed(announced, clerk, voters) -> Vote:
    cast_all(announced, voters, PASSING)
    return close(clerk, announced)


def test_vote_verify__untouched__both_checks_hold(closed):
    assert vote_verify(Vote.objects.get(pk=closed.pk)) == (True, True)


def test_tally_record__stored_record__gives_stored_result(closed):
    vote = Vote.objects.get(pk=closed.pk)
    assert tally_record(vote.result["record"]) == {k: v for k, v in vote.result.items() if k != "record"}
    assert ballot_record(vote) == vote.result["record"]


def test_vote_verify__ballot_row_tampered_after_close__second_check_fails(closed):
    ballot = Ballot.objects.filter(vote=closed, choice="against").get()
    Ballot.objects.filter(pk=ballot.pk).update(choice="agree")
    assert vote_verify(Vote.objects.get(pk=closed.pk)) == (True, False)


def test_vote_verify__ballot_deleted_after_close__second_check_fails(closed):
    ballot = Ballot.objects.filter(vote=closed, choice="abstain").get()
    ballot.versions.all().delete()
    ballot.delete()
    assert vote_verify(Vote.objects.get(pk=closed.pk)) == (True, False)


def test_vote_verify__stored_record_tampered__first_check_fails(closed):
    vote = Vote.objects.get(pk=closed.pk)
    vote.result["record"]["ballots"][0]["choice"] = "abstain" if vote.result["record"]["ballots"][0][
        "choice"] != "abstain" else "agree"
    Vote.objects.filter(pk=vote.pk).update(result=vote.result)
    assert vote_verify(Vote.objects.get(pk=vote.pk)) == (False, False)


def test_vote_verify__stored_hash_replaced__first_check_fails(closed):
    Vote.objects.filter(pk=closed.pk).update(record_hash="0" * 64)
    assert vote_verify(Vote.objects.get(pk=closed.pk)) == (False, True)


def test_vote_verify__stored_outcome_replaced__first_check_fails(closed):
    Vote.objects.filter(pk=closed.pk).update(outcome=Outcome.FAILED)
    assert vote_verify(Vote.objects.get(pk=closed.pk)) == (False, True)


# --- appeal -------------------------------------------------------------------------------------------------------

def test_vote_note_appeal__before_close__refused(announced, clerk):
    with pytest.raises(ValidationError) as refused:
        vote_note_appeal(actor=clerk, vote=announced, note="业主王一向拱墅区人民法院起诉")
    assert refused.value.messages == ["Only a decided vote can be appealed."]
    assert Vote.objects.get(pk=announced.pk).appeal_note == ""


def test_vote_note_appeal__after_close__noted_decision_unchanged(closed, clerk):
    vote = vote_note_appeal(actor=clerk, vote=closed, note="  业主王一向拱墅区人民法院起诉 ")
    vote.refresh_from_db()
    assert vote.appeal_note == "业主王一向拱墅区人民法院起诉"
    assert vote.appeal_noted_at is not None
    assert (vote.status, vote.outcome) == ("closed", "passed")
    assert vote_verify(vote) == (True, True)


def test_vote_note_appeal__empty_note__refused(closed, clerk):
    with pytest.raises(ValidationError) as refused:
        vote_note_appeal(actor=clerk, vote=closed, note="   ")
    assert refused.value.message_dict == {"note": ["Say who appealed, when and to which court."]}
    assert Vote.objects.get(pk=closed.pk).appeal_noted_at is None


def test_vote_verify__stored_shares_altered__first_check_fails(closed):
    vote = Vote.objects.get(pk=closed.pk)
    vote.result["agree"] = {"area": [59000, 60000], "heads": [5, 5]}  # outcome and record untouched
    Vote.objects.filter(pk=vote.pk).update(result=vote.result)
    assert vote_verify(Vote.objects.get(pk=vote.pk)) == (False, True)


@pytest.mark.parametrize("changes", [
    {"opens_at": datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-12)))},
    {"closes_at": datetime.datetime(1, 1, 1, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=12)))},
    {"record_date": datetime.date(1, 1, 1)},
])
def test_vote_create__time_outside_1900_2099__refused_nothing_stored(register, clerk, changes):
    with pytest.raises(ValidationError) as refused:
        create(clerk, register.estate, **changes)
    assert refused.value.message_dict == {name: ["Give a date from 1900-01-01 to 2099-12-31."] for name in changes}
    assert Vote.objects.count() == 0


def test_vote_create__title_and_description_with_control_characters__cleaned(register, clerk):
    vote = create(clerk, register.estate, title="更换\x00电梯\n方案", description="第一行\x0b\n第二行\ufffe")
    assert (vote.title, vote.description) == ("更换电梯 方案", "第一行\n第二行")
