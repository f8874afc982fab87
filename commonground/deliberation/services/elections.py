"""Owners' committee elections: the preparatory group, candidates checked against the conditions, the
committee formed from the result, and the reminder before its term ends."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from commonground.core.models import Organisation, OrganisationKind, OrganisationMembership, Person, User
from commonground.core.permissions import require
from commonground.core.text import clean_text

from ..models import (
    CANDIDATE_CONDITIONS,
    Candidate,
    CandidateStatus,
    PreparatoryMember,
    PreparatoryRole,
    Vote,
    VoteStatus,
)

# The steps on an election's candidates and the permission each asks of the vote.
CANDIDATE_STEPS = {"add_candidate": "candidate.add", "review_candidate": "candidate.review",
                   "withdraw_candidate": "candidate.delete"}


def election_refusal(vote: Vote) -> str | None:
    """Why the vote's preparatory group and candidates cannot change now; None while it is a draft election."""
    if not vote.is_election:
        return _("This vote is not an election.")
    if vote.status != VoteStatus.DRAFT:
        return _("The election has been announced; its group and candidates are fixed.")
    return None


def _draft_election(actor: User, vote: Vote, action: str) -> None:
    require(actor, action, vote)
    refusal = election_refusal(vote)
    if refusal:
        raise ValidationError(refusal)


@transaction.atomic
def preparatory_member_add(*, actor: User, vote: Vote, name: str, role: str,
                           person: Person | None = None) -> PreparatoryMember:
    _draft_election(actor, vote, "vote.manage")
    name = clean_text(name or (person.name if person else ""), multiline=False).strip()
    if not name:
        raise ValidationError({"name": _("Give the member's name.")})
    if role not in PreparatoryRole.values:
        raise ValidationError({"role": _("Choose the member's role.")})
    return PreparatoryMember.objects.create(vote=vote, name=name[:100], role=role, person=person)


@transaction.atomic
def preparatory_member_remove(*, actor: User, member: PreparatoryMember) -> None:
    _draft_election(actor, member.vote, "vote.manage")
    member.delete()


def preparatory_group_problems(vote: Vote) -> list[str]:
    """What keeps the preparatory group from being lawful: odd size, owners at least half, a street-office leader."""
    roles = list(vote.preparatory_members.values_list("role", flat=True))
    problems = []
    if not roles or len(roles) % 2 == 0:
        problems.append(_("The preparatory group needs an odd number of members."))
    if roles.count(PreparatoryRole.OWNER) * 2 < len(roles) or not roles:
        problems.append(_("At least half of the preparatory group must be owner representatives."))
    if roles.count(PreparatoryRole.LEADER) != 1:
        problems.append(_("The preparatory group has one leader from the street office."))
    return problems


@transaction.atomic
def candidate_register(*, actor: User, vote: Vote, person: Person, statement: str = "") -> Candidate:
    """Put a person forward; they must own a flat in the estate."""
    _draft_election(actor, vote, CANDIDATE_STEPS["add_candidate"])
    if vote.candidates.filter(person=person).exists():
        raise ValidationError({"person": _("This person is already a candidate.")})
    position = (vote.candidates.aggregate(last=Max("position"))["last"] or 0) + 1  # never reuse a withdrawn number
    return Candidate.objects.create(vote=vote, person=person, statement=clean_text(statement).strip(), position=position,
                                    conditions={"is_owner": is_owner_in(vote, person)})


def is_owner_in(vote: Vote, person: Person) -> bool:
    from commonground.core.models import Ownership
    from commonground.core.models.places import within_q

    return Ownership.objects.current(vote.record_date).filter(
        within_q("flat__path", [vote.estate.path]), person=person).exists()


@transaction.atomic
def candidate_review(*, actor: User, candidate: Candidate, conditions: dict[str, bool], reason: str = "") -> Candidate:
    """Check the conditions one by one; a candidate who meets them all is qualified, otherwise not (with reason)."""
    _draft_election(actor, candidate.vote, CANDIDATE_STEPS["review_candidate"])
    checked = {key: bool(conditions.get(key)) for key in CANDIDATE_CONDITIONS}
    checked["is_owner"] = is_owner_in(candidate.vote, candidate.person)  # from the register, not from the form
    candidate.conditions = checked
    if all(checked.values()):
        candidate.status, candidate.rejection_reason = CandidateStatus.APPROVED, ""
    else:
        unmet = [str(CANDIDATE_CONDITIONS[key]) for key, ok in checked.items() if not ok]
        candidate.status = CandidateStatus.REJECTED
        candidate.rejection_reason = (clean_text(reason).strip() or _("Unmet: %(list)s") % {"list": "；".join(unmet)})[:300]
    candidate.save()
    return candidate


@transaction.atomic
def candidate_withdraw(*, actor: User, candidate: Candidate) -> None:
    _draft_election(actor, candidate.vote, CANDIDATE_STEPS["withdraw_candidate"])
    candidate.delete()


def check_ready_for_announcement(vote: Vote) -> dict[str, str]:
    errors = {}
    problems = preparatory_group_problems(vote)
    if problems:
        errors["preparatory_group"] = " ".join(str(p) for p in problems)
    qualified = vote.candidates.filter(status=CandidateStatus.APPROVED).count()
    if qualified < (vote.seats or 0):
        errors["candidates"] = _("%(seats)d seats need at least %(seats)d qualified candidates; there are "
                                 "%(count)d.") % {"seats": vote.seats, "count": qualified}
    if vote.candidates.filter(status=CandidateStatus.REGISTERED).exists():
        errors.setdefault("candidates", _("Review every candidate before announcing."))
    return errors


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def form_committee(*, vote: Vote, on: datetime.date) -> Organisation:
    """The elected candidates become the estate's owners' committee for the term; an earlier committee of
    the estate is dissolved the same day."""
    Organisation.objects.filter(place=vote.estate, kind=OrganisationKind.OWNERS_COMMITTEE,
                                dissolved_on__isnull=True).exclude(established_on=on).update(dissolved_on=on)
    committee = Organisation.objects.create(
        name=_("%(estate)s owners' committee (%(year)d)") % {"estate": vote.estate.name, "year": on.year},
        kind=OrganisationKind.OWNERS_COMMITTEE, place=vote.estate, established_on=on,
    )
    term_to = add_years(on, vote.term_years or 5) - datetime.timedelta(days=1)
    elected = [row["candidate"] for row in vote.result["candidates"] if row["elected"]]
    people = {c.pk: c.person_id for c in vote.candidates.filter(pk__in=elected)}
    OrganisationMembership.objects.bulk_create([
        OrganisationMembership(organisation=committee, person_id=people[pk], position=_("member"), term_from=on,
                               term_to=term_to) for pk in elected])
    vote.committee = committee
    vote.save(update_fields=["committee", "updated_at"])
    return committee

