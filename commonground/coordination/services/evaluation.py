"""Every write of the property-service evaluation: questionnaires, rounds (create, open, close), responses, and the
supervision cases a low score opens when its round closes."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import (
    Household,
    HouseholdMember,
    Organisation,
    OrganisationKind,
    Ownership,
    Person,
    Place,
    PlaceKind,
    User,
)
from commonground.core.models.places import SEGMENT_WIDTH, scope_columns
from commonground.core.permissions import can, require

from ..models import (
    SCORE_MAX,
    SCORE_MIN,
    Answer,
    Aspect,
    EvaluationRound,
    EvaluationSupervision,
    Question,
    Questionnaire,
    Response,
    RoundStatus,
)
from ..rules import low_score

ESTATE_PATH_LENGTH = 4 * SEGMENT_WIDTH  # district / street / community / estate
SUPERVISION_CATEGORY = "property-supervision"


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    text: str
    aspect: str
    weight: Decimal = Decimal(1)


def _clean_questions(questions: Sequence[QuestionSpec]) -> list[QuestionSpec]:
    errors = []
    if not questions:
        errors.append(_("A questionnaire needs at least one question."))
    keys = [q.key for q in questions]
    if len(set(keys)) != len(keys):
        errors.append(_("Each question needs its own key."))
    for q in questions:
        if not q.key or not q.text.strip():
            errors.append(_("Every question needs a key and a text."))
        if q.aspect not in Aspect.values:
            errors.append(_("Choose a service aspect for every question."))
        if not Decimal(q.weight) > 0 or Decimal(q.weight) >= 1000:
            errors.append(_("A question's weight is a number above 0 and below 1000."))
    if errors:
        raise ValidationError({"questions": sorted(set(errors), key=errors.index)})
    return list(questions)


@transaction.atomic
def questionnaire_create(*, actor: User, name: str, questions: Sequence[QuestionSpec],
                         description: str = "") -> Questionnaire:
    require(actor, "evaluation.manage")
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the questionnaire a name.")})
    if Questionnaire.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A questionnaire of this name exists already.")})
    questions = _clean_questions(questions)
    questionnaire = Questionnaire.objects.create(name=name, description=description.strip())
    _write_questions(questionnaire, questions)
    return questionnaire


def _write_questions(questionnaire: Questionnaire, questions: list[QuestionSpec]) -> None:
    Question.objects.bulk_create([
        Question(questionnaire=questionnaire, position=i, key=q.key, text=q.text.strip(), aspect=q.aspect,
                 weight=Decimal(q.weight)) for i, q in enumerate(questions, start=1)])


@transaction.atomic
def questionnaire_edit(*, actor: User, questionnaire: Questionnaire, name: str, questions: Sequence[QuestionSpec],
                       description: str = "") -> Questionnaire:
    """Replace the questionnaire's questions; refused once a round uses it (its answers would change meaning)."""
    require(actor, "evaluation.manage")
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if questionnaire.rounds.exists():
        raise ValidationError({"questions": _("A round uses this questionnaire; create a new one instead.")})
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the questionnaire a name.")})
    if Questionnaire.objects.filter(name=name).exclude(pk=questionnaire.pk).exists():
        raise ValidationError({"name": _("A questionnaire of this name exists already.")})
    questions = _clean_questions(questions)
    questionnaire.name, questionnaire.description = name, description.strip()
    questionnaire.save(update_fields=["name", "description", "updated_at"])
    questionnaire.questions.all().delete()
    _write_questions(questionnaire, questions)
    return questionnaire


def round_name(year: int, quarter: int | None) -> str:
    if quarter:
        return _("%(year)d Q%(quarter)d property-service evaluation") % {"year": year, "quarter": quarter}
    return _("%(year)d property-service evaluation") % {"year": year}


@transaction.atomic
def round_create(*, actor: User, questionnaire: Questionnaire, place: Place, year: int, quarter: int | None,
                 opens_on: datetime.date, closes_on: datetime.date, name: str = "") -> EvaluationRound:
    """A round in preparation over a street or the district; a clerk managing evaluations there opens it."""
    require(actor, "evaluation.manage", place)
    errors: dict[str, Any] = {}
    if place.kind not in (PlaceKind.STREET, PlaceKind.DISTRICT):
        errors["place"] = _("A round covers a street or the whole district.")
    if not 2000 <= year <= 2100:
        errors["year"] = _("Give a year between 2000 and 2100.")
    if quarter is not None and not 1 <= quarter <= 4:
        errors["quarter"] = _("A quarter is 1 to 4, or none for a whole year.")
    if closes_on < opens_on:
        errors["closes_on"] = _("The round must close on or after the day it opens.")
    if not errors and EvaluationRound.objects.filter(place=place, year=year, quarter=quarter).exists():
        errors["quarter"] = _("There is a round for this area and period already.")
    if errors:
        raise ValidationError(errors)
    return EvaluationRound.objects.create(
        name=name.strip() or round_name(year, quarter), questionnaire=questionnaire, place=place,
        place_path=place.path, year=year, quarter=quarter, opens_on=opens_on, closes_on=closes_on)


def _locked(round: EvaluationRound) -> EvaluationRound:
    return EvaluationRound.objects.select_for_update().select_related("place").get(pk=round.pk)


@transaction.atomic
def round_open(*, actor: User, round: EvaluationRound) -> EvaluationRound:
    require(actor, "evaluation.manage", round.place)
    round = _locked(round)
    if round.status != RoundStatus.DRAFT:
        raise ValidationError({"status": _("Only a round in preparation can be opened.")})
    round.status, round.opened_at = RoundStatus.OPEN, clock.now()
    round.save(update_fields=["status", "opened_at", "updated_at"])
    return round


@transaction.atomic
def round_close(*, actor: User, round: EvaluationRound) -> EvaluationRound:
    """Close the round and open a supervision case for every estate whose overall score is below the low-score
    setting. Closing a closed round again only opens the cases still missing (none when all exist)."""
    require(actor, "evaluation.manage", round.place)
    round = _locked(round)
    if round.status == RoundStatus.DRAFT:
        raise ValidationError({"status": _("A round in preparation cannot be closed; open it first.")})
    if round.status == RoundStatus.OPEN:
        round.status, round.closed_at = RoundStatus.CLOSED, clock.now()
        round.save(update_fields=["status", "closed_at", "updated_at"])
    _supervise(actor, round)
    return round


def _supervise(actor: User, round: EvaluationRound) -> list[EvaluationSupervision]:
    from commonground.cases.models import Category, Channel
    from commonground.cases.services.intake import case_report

    from ..evaluation_selectors import estate_scores

    threshold = Decimal(low_score())
    low = {estate_id: score for estate_id, score in estate_scores(round).items() if score < threshold}
    done = set(EvaluationSupervision.objects.filter(round=round).values_list("estate_id", flat=True))
    todo = [estate_id for estate_id in sorted(low) if estate_id not in done]
    if not todo:
        return []
    category = Category.objects.get(code=SUPERVISION_CATEGORY)
    created = []
    for estate in Place.objects.filter(pk__in=todo).order_by("path"):
        description = _("%(round)s: %(estate)s scored %(score)s of 100, below %(threshold)d. Supervise the "
                        "property company's service and agree improvements with the three parties.") % {
            "round": round.name, "estate": estate.name, "score": low[estate.pk], "threshold": threshold}
        case = case_report(actor=actor, category=category, description=description, place=estate,
                           channel=Channel.STAFF)
        created.append(EvaluationSupervision.objects.create(
            round=round, estate=estate, case=case, score=low[estate.pk], estate_path=estate.path))
    return created


def estate_of(flat: Place) -> Place | None:
    return Place.objects.filter(path=flat.path[:ESTATE_PATH_LENGTH], kind=PlaceKind.ESTATE).first()


def property_company(estate: Place, on: datetime.date | None = None) -> Organisation | None:
    """The estate's property company: its project department at the estate, in office on `on`."""
    return (Organisation.objects.of_kind(OrganisationKind.PROPERTY_COMPANY).active_on(on or clock.today())
            .filter(place=estate).select_related("parent").order_by("-established_on", "pk").first())


def is_member(person_id: int | None, household: Household) -> bool:
    """Whether the person lives in the household or owns its flat."""
    if not person_id:
        return False
    return (HouseholdMember.objects.filter(household=household, person_id=person_id).exists()
            or Ownership.objects.current().filter(flat_id=household.flat_id, person_id=person_id).exists())


def _clean_answers(round: EvaluationRound, answers: Mapping[str, Any],
                   comments: Mapping[str, str] | None) -> list[Answer]:
    questions = list(round.questionnaire.questions.all())
    errors = {}
    rows = []
    for question in questions:
        raw = answers.get(question.key)
        try:
            score = int(raw)
        except (TypeError, ValueError):
            score = None
        if score is None or str(raw).strip() != str(score) or not SCORE_MIN <= score <= SCORE_MAX:
            errors[question.key] = _("Give a score from %(min)d to %(max)d.") % {"min": SCORE_MIN, "max": SCORE_MAX}
            continue
        comment = ((comments or {}).get(question.key) or "").strip()[:300]
        rows.append(Answer(question=question, score=score, comment=comment))
    unknown = set(answers) - {q.key for q in questions}
    if unknown:
        errors["answers"] = _("Answer the questions of this round only.")
    if errors:
        raise ValidationError(errors)
    return rows


def _refuse_closed(round: EvaluationRound) -> None:
    if round.status != RoundStatus.OPEN:
        raise ValidationError({"round": _("This evaluation round is not open for answers.")})


ALREADY = "already"


def _already() -> ValidationError:
    return ValidationError({"household": ValidationError(
        _("Your household has answered this evaluation already; each household answers once."), code=ALREADY)})


def _scope(round: EvaluationRound, household: Household) -> tuple[Place, Organisation]:
    flat_path = household.flat.path
    if not flat_path.startswith(round.place_path):
        raise ValidationError({"household": _("This household is outside the area of the round.")})
    estate = estate_of(household.flat)
    company = property_company(estate) if estate else None
    if company is None:
        raise ValidationError({"household": _("The household's estate has no property company to rate.")})
    return estate, company


@transaction.atomic
def response_submit(*, actor: User, round: EvaluationRound, household: Household, answers: Mapping[str, Any],
                    comments: Mapping[str, str] | None = None) -> Response:
    """The household's one answer to the round, by a member or owner of it with evaluation.respond there."""
    require(actor, "evaluation.respond", household)
    if not is_member(getattr(actor, "person_id", None), household):
        raise ValidationError({"household": _("Only a member or an owner of the household may answer for it.")})
    round = _locked(round)
    _refuse_closed(round)
    estate, company = _scope(round, household)
    rows = _clean_answers(round, answers, comments)
    if Response.objects.filter(round=round, household=household).exists():
        raise _already()
    try:
        with transaction.atomic():
            response = Response.objects.create(
                round=round, estate=estate, household=household, company=company,
                parent_company=company.parent or company, respondent_id=actor.person_id,
                submitted_at=clock.now(), **scope_columns(Response, estate.path))
    except IntegrityError:  # a second submission racing this one won
        raise _already() from None
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    return response


@dataclass(frozen=True)
class PaperResponse:
    """A paper questionnaire collected door to door, entered by the community."""

    household: Household
    respondent: Person
    answers: Mapping[str, Any]


@transaction.atomic
def responses_record(*, actor: User, round: EvaluationRound, entries: Sequence[PaperResponse]) -> list[Response]:
    """Enter many paper questionnaires at once (the community's door-to-door collection; the demo uses it to stay
    fast). The same rules as `response_submit`: open round, each respondent of the household, scores 1–5, one per
    household; any refused entry refuses the whole batch."""
    round = _locked(round)
    _refuse_closed(round)
    require(actor, "evaluation.manage", round.place)
    questions = list(round.questionnaire.questions.all())
    round.questionnaire._prefetched_objects_cache = {"questions": questions}  # type: ignore[attr-defined]
    estates: dict[str, tuple[Place, Organisation]] = {}
    households = [entry.household.pk for entry in entries]
    if len(set(households)) != len(households) or Response.objects.filter(
            round=round, household_id__in=households).exists():
        raise _already()
    members = set(HouseholdMember.objects.filter(household_id__in=households).values_list("household_id",
                                                                                          "person_id"))
    owners = set(Ownership.objects.current().filter(flat_id__in=[e.household.flat_id for e in entries])
                 .values_list("flat_id", "person_id"))
    responses, answer_rows = [], []
    moment = clock.now()
    for entry in entries:
        household = entry.household
        if (household.pk, entry.respondent.pk) not in members and (household.flat_id, entry.respondent.pk) not in owners:
            raise ValidationError({"household": _("Only a member or an owner of the household may answer for it.")})
        key = household.flat.path[:ESTATE_PATH_LENGTH]
        if key not in estates:
            estates[key] = _scope(round, household)
        elif not household.flat.path.startswith(round.place_path):
            raise ValidationError({"household": _("This household is outside the area of the round.")})
        estate, company = estates[key]
        answer_rows.append(_clean_answers(round, entry.answers, None))
        responses.append(Response(round=round, estate=estate, household=household, company=company,
                                  parent_company_id=company.parent_id or company.pk, respondent=entry.respondent,
                                  submitted_at=moment, **scope_columns(Response, estate.path)))
    try:
        with transaction.atomic():
            created = Response.objects.bulk_create(responses, batch_size=500)
    except IntegrityError:
        raise _already() from None
    if not all(r.pk for r in created):  # backends that return no keys from a bulk insert
        by_household = dict(Response.objects.filter(round=round, household_id__in=households)
                            .values_list("household_id", "pk"))
        for r in created:
            r.pk = by_household[r.household_id]
    rows = []
    for response, answers in zip(created, answer_rows, strict=True):
        for row in answers:
            row.response_id = response.pk
            rows.append(row)
    Answer.objects.bulk_create(rows, batch_size=1000)
    return created


def may_respond(user: Any) -> bool:
    return can(user, "evaluation.respond")
