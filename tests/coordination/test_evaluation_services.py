"""The evaluation's writes: one response per household (also when the check is passed by a race), closed rounds,
score bounds, who may answer, questionnaires frozen once used, and supervision cases opened once at close."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.cases.models import Case
from commonground.coordination.models import Answer, EvaluationSupervision, Response, RoundStatus
from commonground.coordination.services import evaluation as services
from commonground.coordination.services.evaluation import (
    PaperResponse,
    QuestionSpec,
    questionnaire_edit,
    response_submit,
    responses_record,
    round_close,
)
from commonground.core.clock import frozen_at

from .evaluation_fixtures import OPEN_DAY, answers

pytestmark = pytest.mark.django_db


def submit(ev, i, cleaning, repairs):
    with frozen_at(OPEN_DAY):
        return response_submit(actor=ev.residents[i], round=ev.round, household=ev.households[i],
                               answers=answers(cleaning, repairs))


def test_response_submit__member_of_household__response_with_scope_and_answers(evaluation):
    response = submit(evaluation, 0, 5, 4)

    assert (response.estate, response.company, response.parent_company, response.respondent) == (
        evaluation.estate, evaluation.departments[0], evaluation.companies[0], evaluation.people[0])
    assert response.estate_path == evaluation.estate.path
    assert response.street_path == evaluation.estate.path[:20]
    assert sorted(response.answers.values_list("question__key", "score")) == [("cleaning", 5), ("repairs", 4)]
    assert response.submitted_at == OPEN_DAY


def test_response_submit__second_for_household__refused_and_nothing_written(evaluation, nothing_written):
    submit(evaluation, 0, 5, 4)

    with nothing_written(), pytest.raises(ValidationError) as error:
        submit(evaluation, 0, 1, 1)

    assert error.value.message_dict == {
        "household": ["Your household has answered this evaluation already; each household answers once."]}
    assert Response.objects.count() == 1


def test_response_submit__race_past_the_check__constraint_gives_the_same_error(evaluation, monkeypatch):
    submit(evaluation, 0, 5, 4)
    real_filter = Response.objects.filter

    class Blind:
        def exists(self):
            return False

    def filter_blind(*args, **kwargs):  # the check sees no earlier response, as a racing request would
        if "household" in kwargs:
            return Blind()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Response.objects, "filter", filter_blind)

    with pytest.raises(ValidationError) as error:
        submit(evaluation, 0, 1, 1)

    monkeypatch.undo()
    assert error.value.message_dict["household"] == [
        "Your household has answered this evaluation already; each household answers once."]
    assert (Response.objects.count(), Answer.objects.count()) == (1, 2)


def test_response_submit__closed_round__refused(evaluation, nothing_written):
    with frozen_at(OPEN_DAY):
        round_close(actor=evaluation.clerk, round=evaluation.round)

    with nothing_written(), pytest.raises(ValidationError) as error:
        submit(evaluation, 0, 5, 4)

    assert error.value.message_dict == {"round": ["This evaluation round is not open for answers."]}


@pytest.mark.parametrize("score", [0, 6, -1, "4.5", "", None, "x"])
def test_response_submit__score_out_of_range__refused(evaluation, nothing_written, score):
    with nothing_written(), pytest.raises(ValidationError) as error, frozen_at(OPEN_DAY):
        response_submit(actor=evaluation.residents[0], round=evaluation.round,
                        household=evaluation.households[0], answers={"cleaning": score, "repairs": 3})

    assert error.value.message_dict == {"cleaning": ["Give a score from 1 to 5."]}


def test_response_submit__missing_question__refused(evaluation, nothing_written):
    with nothing_written(), pytest.raises(ValidationError) as error, frozen_at(OPEN_DAY):
        response_submit(actor=evaluation.residents[0], round=evaluation.round,
                        household=evaluation.households[0], answers={"cleaning": 3})

    assert error.value.message_dict == {"repairs": ["Give a score from 1 to 5."]}


def test_response_submit__not_a_member_of_household__refused(evaluation, nothing_written):
    with nothing_written(), pytest.raises(ValidationError) as error, frozen_at(OPEN_DAY):
        response_submit(actor=evaluation.residents[1], round=evaluation.round,
                        household=evaluation.households[0], answers=answers(5, 5))

    assert error.value.message_dict == {"household": ["Only a member or an owner of the household may answer for it."]}


def test_response_submit__resident_of_other_estate__permission_denied(evaluation, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied), frozen_at(OPEN_DAY):
        response_submit(actor=evaluation.residents[4], round=evaluation.round,
                        household=evaluation.households[0], answers=answers(5, 5))


def test_responses_record__batch__all_written_one_per_household(evaluation, nothing_written):
    entries = [PaperResponse(evaluation.households[i], evaluation.people[i], answers(4, 4)) for i in (1, 2, 5)]
    with frozen_at(OPEN_DAY):
        created = responses_record(actor=evaluation.clerk, round=evaluation.round, entries=entries)

    assert len(created) == 3
    assert Answer.objects.count() == 6
    with nothing_written(), pytest.raises(ValidationError), frozen_at(OPEN_DAY):
        responses_record(actor=evaluation.clerk, round=evaluation.round, entries=entries[:1])


def test_questionnaire_edit__used_by_a_round__refused(evaluation, nothing_written):
    with nothing_written(), pytest.raises(ValidationError) as error:
        questionnaire_edit(actor=evaluation.clerk, questionnaire=evaluation.questionnaire, name="新",
                           questions=[QuestionSpec("a", "问题", "cleaning")])

    assert error.value.message_dict == {"questions": ["A round uses this questionnaire; create a new one instead."]}


def close(ev):
    with frozen_at(OPEN_DAY + datetime.timedelta(days=20)):
        return round_close(actor=ev.clerk, round=ev.round)


def test_round_close__low_score__one_supervision_case_for_that_estate(evaluation):
    submit(evaluation, 0, 5, 4)
    submit(evaluation, 4, 2, 2)  # 龙游小区: 40.0

    round = close(evaluation)

    assert round.status == RoundStatus.CLOSED
    supervision = EvaluationSupervision.objects.get()
    assert (supervision.estate, supervision.score) == (evaluation.neighbour_estate, Decimal("40.0"))
    case = Case.objects.get()
    assert (case.category.code, case.place, case.stage) == ("property-supervision", evaluation.neighbour_estate,
                                                            "collect")
    assert "40.0" in case.description


def test_round_close__twice__no_second_case(evaluation):
    submit(evaluation, 4, 2, 2)
    close(evaluation)

    close(evaluation)

    assert (EvaluationSupervision.objects.count(), Case.objects.count()) == (1, 1)


def test_round_close__score_at_threshold__no_case(evaluation, settings):
    settings.CG_COORDINATION_LOW_SCORE = 60
    submit(evaluation, 4, 3, 3)  # exactly 60.0

    close(evaluation)

    assert Case.objects.count() == 0


def test_round_close__score_just_below_threshold__case(evaluation, settings):
    settings.CG_COORDINATION_LOW_SCORE = 61
    submit(evaluation, 4, 3, 3)

    close(evaluation)

    assert Case.objects.get().place == evaluation.neighbour_estate


def test_round_close__clerk_of_other_street__permission_denied(evaluation, nothing_written, make_user, tree):
    from commonground.core.models import RoleKind

    stranger = make_user(RoleKind.STREET_STAFF, tree.other_street)
    with nothing_written(), pytest.raises(PermissionDenied):
        round_close(actor=stranger, round=evaluation.round)


def test_low_score__setting__read(settings):
    from commonground.coordination.rules import low_score

    assert low_score() == 60
    settings.CG_COORDINATION_LOW_SCORE = 70
    assert low_score() == 70
    assert services.SUPERVISION_CATEGORY == "property-supervision"
