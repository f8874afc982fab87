"""Owners' committee elections: seats and term, the preparatory group, the candidate checklist, readiness for
announcement, and the committee formed from the result."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from commonground.core import clock
from commonground.core.models import Organisation, OrganisationKind, OrganisationMembership, RoleKind
from commonground.core.services.organisations import organisation_create
from commonground.core.services.people import ownership_create, person_create
from commonground.core.services.places import place_create
from commonground.deliberation.models import (
    CandidateStatus,
    Elector,
    Notice,
    NoticeKind,
    PreparatoryRole,
    Vote,
    VoteStatus,
)
from commonground.deliberation.services.ballots import ballot_cast
from commonground.deliberation.services.elections import (
    candidate_register,
    candidate_review,
    candidate_withdraw,
    preparatory_group_problems,
    preparatory_member_add,
    preparatory_member_remove,
)
from commonground.deliberation.services.votes import vote_announce, vote_close, vote_create

RECORD = datetime.date(2030, 2, 20)
CREATED = timezone.make_aware(datetime.datetime(2030, 2, 20, 9, 0))
OPENS = timezone.make_aware(datetime.datetime(2030, 3, 20, 9, 0))
CLOSES = timezone.make_aware(datetime.datetime(2030, 3, 27, 18, 0))
ANNOUNCED_ON = datetime.date(2030, 3, 1)
COUNTED_ON = datetime.date(2030, 3, 28)
OTHER_CONDITIONS = ["law_abiding", "no_arrears", "capable", "no_conflict", "no_record"]
ODD_GROUP = "The preparatory group needs an odd number of members."
OWNERS_HALF = "At least half of the preparatory group must be owner representatives."
ONE_LEADER = "The preparatory group has one leader from the street office."


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def election(clerk, estate, *, seats: int | None = 5, term_years: int | None = 3, **changes) -> Vote:
    fields = {"title": "第三届业主委员会选举", "record_date": RECORD, "opens_at": OPENS, "closes_at": CLOSES, **changes}
    with clock.frozen_at(CREATED):
        return vote_create(actor=clerk, estate=estate, kind="election", matter="9", seats=seats,
                           term_years=term_years, **fields)


def group(clerk, vote, roles: list[str]) -> None:
    for n, role in enumerate(roles):
        preparatory_member_add(actor=clerk, vote=vote, name=f"成员{n}", role=role)


def qualify(clerk, vote, people) -> list:
    candidates = []
    for person in people:
        candidate = candidate_register(actor=clerk, vote=vote, person=person, statement="愿意为大家服务")
        candidates.append(candidate_review(actor=clerk, candidate=candidate,
                                           conditions=dict.fromkeys(OTHER_CONDITIONS, True)))
    return candidates


LAWFUL = [PreparatoryRole.LEADER, PreparatoryRole.OWNER, PreparatoryRole.OWNER]


# --- seats and term ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("seats", [5, 7, 9, 11])
def test_vote_create__election_odd_seats_five_to_eleven__accepted_as_matter_three(register, clerk, seats):
    vote = election(clerk, register.estate, seats=seats)
    assert (vote.kind, vote.matter, vote.seats, vote.term_years) == ("election", "3", seats, 3)


@pytest.mark.parametrize("seats", [None, 0, 1, 2, 4, 6, 10, 12, 13])
def test_vote_create__election_seats_not_allowed__refused_nothing_stored(register, clerk, seats):
    with pytest.raises(ValidationError) as refused:
        election(clerk, register.estate, seats=seats)
    assert refused.value.message_dict == {"seats": ["An owners' committee has an odd number of seats: 3、5、7、9、11."]}
    assert Vote.objects.count() == 0


def test_vote_create__three_seats_in_estate_under_threshold__accepted(register, clerk):
    assert election(clerk, register.estate, seats=3).seats == 3  # 9 flats, under the default 100


def test_vote_create__three_seats_when_flats_reach_threshold__refused(register, clerk, settings):
    settings.CG_SMALL_ESTATE_HOUSEHOLDS = 9  # the estate has exactly 9 flats: not "under" 9
    with pytest.raises(ValidationError) as refused:
        election(clerk, register.estate, seats=3)
    assert refused.value.message_dict == {"seats": ["An owners' committee has an odd number of seats: 5、7、9、11."]}
    settings.CG_SMALL_ESTATE_HOUSEHOLDS = 10
    assert election(clerk, register.estate, seats=3).seats == 3


@pytest.mark.parametrize("years", [3, 4, 5])
def test_vote_create__term_three_to_five_years__accepted(register, clerk, years):
    assert election(clerk, register.estate, term_years=years).term_years == years


@pytest.mark.parametrize("years", [None, 0, 2, 6, 10])
def test_vote_create__term_outside_three_to_five__refused(register, clerk, years):
    with pytest.raises(ValidationError) as refused:
        election(clerk, register.estate, term_years=years)
    assert refused.value.message_dict == {"term_years": ["The term is 3 to 5 years."]}
    assert Vote.objects.count() == 0


def test_vote_create__decision_with_seats__seats_and_term_dropped(register, clerk):
    with clock.frozen_at(CREATED):
        vote = vote_create(actor=clerk, estate=register.estate, matter="5", title="电梯", record_date=RECORD,
                           opens_at=OPENS, closes_at=CLOSES, seats=5, term_years=3)
    assert (vote.seats, vote.term_years) == (None, None)


# --- the preparatory group ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("roles", "problems"), [
    ([], [ODD_GROUP, OWNERS_HALF, ONE_LEADER]),
    (LAWFUL, []),
    ([PreparatoryRole.LEADER, PreparatoryRole.OWNER, PreparatoryRole.OWNER, PreparatoryRole.OWNER], [ODD_GROUP]),
    ([PreparatoryRole.LEADER, PreparatoryRole.OWNER, PreparatoryRole.OWNER, PreparatoryRole.DEVELOPER,
      PreparatoryRole.RESIDENTS_COMMITTEE], [OWNERS_HALF]),
    ([PreparatoryRole.LEADER, PreparatoryRole.OWNER, PreparatoryRole.OWNER, PreparatoryRole.OWNER,
      PreparatoryRole.DEVELOPER], []),
    ([PreparatoryRole.OWNER] * 3, [ONE_LEADER]),
    ([PreparatoryRole.LEADER, PreparatoryRole.LEADER, *[PreparatoryRole.OWNER] * 3], [ONE_LEADER]),
    ([PreparatoryRole.LEADER, PreparatoryRole.DEVELOPER], [ODD_GROUP, OWNERS_HALF]),
    ([PreparatoryRole.LEADER], [OWNERS_HALF]),
])
def test_preparatory_group_problems__composition__lists_each_problem(register, clerk, roles, problems):
    vote = election(clerk, register.estate)
    group(clerk, vote, roles)
    assert [str(p) for p in preparatory_group_problems(vote)] == problems


def test_preparatory_member_add__no_name_or_bad_role__refused(register, clerk):
    vote = election(clerk, register.estate)
    with pytest.raises(ValidationError) as refused:
        preparatory_member_add(actor=clerk, vote=vote, name=" ", role=PreparatoryRole.OWNER)
    assert refused.value.message_dict == {"name": ["Give the member's name."]}
    with pytest.raises(ValidationError) as refused:
        preparatory_member_add(actor=clerk, vote=vote, name="钱五", role="chair")
    assert refused.value.message_dict == {"role": ["Choose the member's role."]}
    assert vote.preparatory_members.count() == 0


def test_preparatory_member_add__person_without_name__takes_persons_name(register, clerk):
    vote = election(clerk, register.estate)
    member = preparatory_member_add(actor=clerk, vote=vote, name="", role=PreparatoryRole.OWNER,
                                    person=register.owners[4])
    assert member.name == "钱五"


def test_preparatory_member_add__decision_vote__refused(register, clerk):
    with clock.frozen_at(CREATED):
        vote = vote_create(actor=clerk, estate=register.estate, matter="5", title="电梯", record_date=RECORD,
                           opens_at=OPENS, closes_at=CLOSES)
    with pytest.raises(ValidationError) as refused:
        preparatory_member_add(actor=clerk, vote=vote, name="钱五", role=PreparatoryRole.OWNER)
    assert refused.value.messages == ["This vote is not an election."]


# --- candidates --------------------------------------------------------------------------------------------------

def test_candidate_register__owner__registered_with_is_owner_from_register(register, clerk):
    vote = election(clerk, register.estate)
    candidate = candidate_register(actor=clerk, vote=vote, person=register.owners[3], statement=" 愿意服务 ")
    assert (candidate.status, candidate.conditions, candidate.statement, candidate.position) == (
        CandidateStatus.REGISTERED, {"is_owner": True}, "愿意服务", 1)
    second = candidate_register(actor=clerk, vote=vote, person=register.owners[4])
    assert second.position == 2


def test_candidate_register__twice__refused(register, clerk):
    vote = election(clerk, register.estate)
    candidate_register(actor=clerk, vote=vote, person=register.owners[3])
    with pytest.raises(ValidationError) as refused:
        candidate_register(actor=clerk, vote=vote, person=register.owners[3])
    assert refused.value.message_dict == {"person": ["This person is already a candidate."]}
    assert vote.candidates.count() == 1


def test_candidate_review__non_owner_claimed_owner__rejected_is_owner_from_register(register, clerk, tree):
    vote = election(clerk, register.estate)
    candidate = candidate_register(actor=clerk, vote=vote, person=tree.neighbour_owner)
    assert candidate.conditions == {"is_owner": False}
    candidate = candidate_review(actor=clerk, candidate=candidate,
                                 conditions={"is_owner": True, **dict.fromkeys(OTHER_CONDITIONS, True)})
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.REJECTED
    assert candidate.conditions == {"is_owner": False, **dict.fromkeys(OTHER_CONDITIONS, True)}
    assert candidate.rejection_reason == "Unmet: is an owner in this estate"


def test_candidate_review__owner_unticked_is_owner__still_owner_and_qualified(register, clerk):
    vote = election(clerk, register.estate)
    candidate = candidate_register(actor=clerk, vote=vote, person=register.owners[2])  # a co-owner
    candidate = candidate_review(actor=clerk, candidate=candidate,
                                 conditions={"is_owner": False, **dict.fromkeys(OTHER_CONDITIONS, True)})
    assert candidate.status == CandidateStatus.APPROVED
    assert candidate.conditions["is_owner"] is True
    assert candidate.rejection_reason == ""


def test_candidate_review__owner_only_after_record_date__not_an_owner(register, clerk, tree):
    vote = election(clerk, register.estate)
    newcomer = person_create(name="新业主")
    flat = place_create(code=f"{register.estate.code}-B9-NEW", name="9幢901室", kind="flat",
                        parent=register.flats[0].parent)
    ownership_create(flat=flat, person=newcomer, exclusive_area_m2=Decimal("80.00"),
                     acquired_on=RECORD + datetime.timedelta(days=1))
    candidate = candidate_register(actor=clerk, vote=vote, person=newcomer)
    candidate = candidate_review(actor=clerk, candidate=candidate,
                                 conditions={"is_owner": True, **dict.fromkeys(OTHER_CONDITIONS, True)})
    assert (candidate.status, candidate.conditions["is_owner"]) == (CandidateStatus.REJECTED, False)


def test_candidate_review__unmet_conditions__rejected_with_list_or_given_reason(register, clerk):
    vote = election(clerk, register.estate)
    first, second = (candidate_register(actor=clerk, vote=vote, person=p) for p in register.owners[3:5])
    first = candidate_review(actor=clerk, candidate=first, conditions={
        **dict.fromkeys(OTHER_CONDITIONS, True), "no_arrears": False, "no_conflict": False})
    assert first.status == CandidateStatus.REJECTED
    assert first.rejection_reason == ("Unmet: owes no property fees or maintenance fund；neither they nor close "
                                      "relatives work for the property-service company")
    second = candidate_review(actor=clerk, candidate=second, conditions={"law_abiding": True},
                              reason=" 欠缴物业费 ")
    assert (second.status, second.rejection_reason) == (CandidateStatus.REJECTED, "欠缴物业费")
    assert second.conditions == {"is_owner": True, "law_abiding": True, "no_arrears": False, "capable": False,
                                 "no_conflict": False, "no_record": False}


def test_candidate_review__rejected_then_rechecked__qualified_reason_cleared(register, clerk):
    vote = election(clerk, register.estate)
    candidate = candidate_register(actor=clerk, vote=vote, person=register.owners[3])
    candidate_review(actor=clerk, candidate=candidate, conditions={}, reason="材料不全")
    candidate = candidate_review(actor=clerk, candidate=candidate, conditions=dict.fromkeys(OTHER_CONDITIONS, True))
    assert (candidate.status, candidate.rejection_reason) == (CandidateStatus.APPROVED, "")


def test_candidate_withdraw__draft__removed(register, clerk):
    vote = election(clerk, register.estate)
    candidate = candidate_register(actor=clerk, vote=vote, person=register.owners[3])
    candidate_withdraw(actor=clerk, candidate=candidate)
    assert vote.candidates.count() == 0


# --- ready for announcement --------------------------------------------------------------------------------------

def announce(clerk, vote) -> Vote:
    with clock.frozen_at(timezone.make_aware(datetime.datetime.combine(ANNOUNCED_ON, datetime.time(10, 0)))):
        return vote_announce(actor=clerk, vote=vote)


def test_vote_announce__election_fewer_qualified_than_seats__refused_nothing_frozen(register, clerk):
    vote = election(clerk, register.estate, seats=5)
    group(clerk, vote, LAWFUL)
    qualify(clerk, vote, register.owners[:4])
    with pytest.raises(ValidationError) as refused:
        announce(clerk, vote)
    assert refused.value.message_dict == {
        "candidates": ["5 seats need at least 5 qualified candidates; there are 4."]}
    vote.refresh_from_db()
    assert vote.status == VoteStatus.DRAFT
    assert (Elector.objects.count(), Notice.objects.count()) == (0, 0)


def test_vote_announce__election_with_unreviewed_candidate__refused(register, clerk):
    vote = election(clerk, register.estate, seats=3)
    group(clerk, vote, LAWFUL)
    qualify(clerk, vote, register.owners[:3])
    candidate_register(actor=clerk, vote=vote, person=register.owners[3])
    with pytest.raises(ValidationError) as refused:
        announce(clerk, vote)
    assert refused.value.message_dict == {"candidates": ["Review every candidate before announcing."]}
    assert Vote.objects.get(pk=vote.pk).status == VoteStatus.DRAFT


def test_vote_announce__election_with_unlawful_group__refused(register, clerk):
    vote = election(clerk, register.estate, seats=3)
    group(clerk, vote, [PreparatoryRole.LEADER, PreparatoryRole.OWNER])
    qualify(clerk, vote, register.owners[:3])
    with pytest.raises(ValidationError) as refused:
        announce(clerk, vote)
    assert refused.value.message_dict == {"preparatory_group": [ODD_GROUP]}
    assert Elector.objects.count() == 0


def test_vote_announce__election_ready__notice_lists_group_and_qualified_candidates(register, clerk, tree):
    vote = election(clerk, register.estate, seats=3)
    group(clerk, vote, LAWFUL)
    qualify(clerk, vote, [*register.owners[:3], tree.neighbour_owner])  # the last is not an owner: rejected
    vote = announce(clerk, vote)
    assert vote.status == VoteStatus.ANNOUNCED
    notice = Notice.objects.get(vote=vote, kind=NoticeKind.VOTE)
    assert notice.table == [["No.", "Candidate", "Statement"], ["1", "王一", "愿意为大家服务"],
                            ["2", "王二", "愿意为大家服务"], ["3", "王三", "愿意为大家服务"]]
    assert "Seats: 3; term: 3 years. Each owner marks at most 3 candidates." in notice.body
    assert "Preparatory group: 成员0（leader (street office)）、成员1（owner representative）、成员2（owner representative）" \
        in notice.body


def test_election_services__after_announcement__group_and_candidates_fixed(open_election, clerk, register):
    vote = open_election()
    member = vote.preparatory_members.first()
    for attempt in (
        lambda: preparatory_member_add(actor=clerk, vote=vote, name="新成员", role=PreparatoryRole.OWNER),
        lambda: preparatory_member_remove(actor=clerk, member=member),
        lambda: candidate_register(actor=clerk, vote=vote, person=register.owners[5]),
        lambda: candidate_withdraw(actor=clerk, candidate=vote.candidates.first()),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.messages == ["The election has been announced; its group and candidates are fixed."]
    assert (vote.preparatory_members.count(), vote.candidates.count()) == (3, 4)


# --- the result and the committee ---------------------------------------------------------------------------------

@pytest.fixture
def owners_users(register, make_user, tree) -> list:
    return [make_user(RoleKind.RESIDENT, tree.estate, person=p) for p in register.owners]


def close(clerk, vote, day: datetime.date) -> Vote:
    """The clerk closes the vote on `day` (after it closed)."""
    with clock.frozen_at(timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))):
        return vote_close(actor=clerk, vote=vote)


def mark(vote, users, marks: dict[int, list[int]]) -> None:
    """marks: owner index -> candidate indexes (candidates in ballot order)."""
    candidates = list(vote.candidates.values_list("pk", flat=True))
    for owner, chosen in marks.items():
        ballot_cast(vote=vote, actor=users[owner], candidates=[candidates[i] for i in chosen])


def test_vote_close__election_fills_seats__committee_formed_previous_dissolved(open_election, clerk, register,
                                                                             owners_users, tree):
    previous = organisation_create(name="第二届业委会", kind=OrganisationKind.OWNERS_COMMITTEE, place=register.estate,
                                   established_on=datetime.date(2020, 1, 1))
    neighbours = organisation_create(name="龙游业委会", kind=OrganisationKind.OWNERS_COMMITTEE,
                                     place=tree.neighbour_estate, established_on=datetime.date(2020, 1, 1))
    vote = open_election(seats=3, term_years=3)  # candidates: owners 0, 1, 3, 4
    mark(vote, owners_users, {0: [0, 1, 2], 1: [0, 1, 2], 3: [0, 2, 3], 4: [1, 2, 3], 5: [0, 1, 3]})
    day = datetime.date(2031, 5, 6)
    vote = close(clerk, vote, day)
    assert vote.outcome == "passed"
    assert (vote.result["elected"], vote.result["tied"], vote.result["unfilled"]) == (
        sorted(vote.result["elected"]), [], 0)
    elected_people = set(vote.candidates.filter(pk__in=vote.result["elected"]).values_list("person_id", flat=True))
    assert elected_people == {register.owners[i].pk for i in (0, 1, 3)}
    committee = Organisation.objects.get(pk=vote.committee_id)
    assert (committee.kind, committee.place, committee.established_on, committee.dissolved_on) == (
        OrganisationKind.OWNERS_COMMITTEE, register.estate, day, None)
    assert committee.name == "竹竿巷小区 owners' committee (2031)"
    memberships = OrganisationMembership.objects.filter(organisation=committee)
    assert sorted(memberships.values_list("person_id", "position", "term_from", "term_to")) == sorted(
        (pk, "member", day, datetime.date(2034, 5, 5)) for pk in elected_people)
    previous.refresh_from_db()
    neighbours.refresh_from_db()
    assert previous.dissolved_on == day
    assert neighbours.dissolved_on is None


def test_vote_close__election_five_year_term__term_to_five_years_less_a_day(open_election, clerk, owners_users):
    vote = open_election(seats=3, term_years=5)
    mark(vote, owners_users, {0: [0, 1, 2], 1: [0, 1, 2], 3: [0, 1, 2], 4: [0, 1, 2], 5: [0, 1, 2]})
    vote = close(clerk, vote, datetime.date(2031, 1, 1))
    assert set(OrganisationMembership.objects.filter(organisation=vote.committee)
               .values_list("term_from", "term_to")) == {(datetime.date(2031, 1, 1), datetime.date(2035, 12, 31))}


def test_vote_close__election_tie_across_last_seat__no_committee_tie_reported(open_election, clerk, register,
                                                                            owners_users):
    previous = organisation_create(name="第二届业委会", kind=OrganisationKind.OWNERS_COMMITTEE, place=register.estate,
                                   established_on=datetime.date(2020, 1, 1))
    vote = open_election(seats=3)
    # 0: 4 owners, 500 m²; 1: 4 owners, 400 m²; 2 and 3: 3 owners, 400 m² each, level across the third seat.
    mark(vote, owners_users, {0: [0, 2, 3], 1: [0, 1], 3: [0, 1, 2], 4: [0, 1, 3], 5: [1, 2, 3]})
    vote = close(clerk, vote, datetime.date(2031, 5, 6))
    candidates = list(vote.candidates.values_list("pk", flat=True))
    rows = {row["candidate"]: row for row in vote.result["candidates"]}
    assert rows[candidates[2]]["area"] == rows[candidates[3]]["area"] == [40000, 60000]
    assert rows[candidates[2]]["heads"] == rows[candidates[3]]["heads"] == [3, 5]
    assert vote.result["elected"] == candidates[:2]
    assert set(vote.result["tied"]) == set(candidates[2:])
    assert (vote.outcome, vote.result["unfilled"], vote.committee) == ("failed", 1, None)
    previous.refresh_from_db()
    assert previous.dissolved_on is None
    body = Notice.objects.get(vote=vote, kind=NoticeKind.RESULT).body
    assert "1 seat(s) not filled." in body
    assert body.count(" — tied") == 2
    assert body.count(" — elected") == 2


def test_vote_close__election_no_quorum__no_committee(open_election, clerk, owners_users):
    vote = open_election(seats=3)
    mark(vote, owners_users, {0: [0, 1, 2], 3: [0, 1, 2]})
    vote = close(clerk, vote, datetime.date(2031, 5, 6))
    assert (vote.outcome, vote.committee, vote.result["unfilled"]) == ("no_quorum", None, 3)
    assert not Organisation.objects.filter(kind=OrganisationKind.OWNERS_COMMITTEE).exists()


def test_vote_close__election_result_notice__receipts_with_marked_names(open_election, clerk, owners_users):
    vote = open_election(seats=3)
    mark(vote, owners_users, {0: [0, 1, 2], 1: [], 3: [0, 3]})
    vote = close(clerk, vote, datetime.date(2031, 5, 6))
    notice = Notice.objects.get(vote=vote, kind=NoticeKind.RESULT)
    by_receipt = {row[0]: row[1] for row in notice.table[1:]}
    receipts = {b.cast_by_id: b.receipt_code for b in vote.ballots.all()}
    assert by_receipt == {receipts[owners_users[0].pk]: "王一、王二、赵四", receipts[owners_users[1].pk]: "(none marked)",
                          receipts[owners_users[3].pk]: "王一、钱五"}
