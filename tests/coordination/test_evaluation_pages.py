"""The evaluation's pages, exports and API: the resident's form, who sees which rows (404 and nothing outside
the scope), aggregates only, and a query count independent of the number of estates."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.coordination.models import Response
from commonground.coordination.services.evaluation import PaperResponse, response_submit, responses_record
from commonground.core.clock import frozen_at
from commonground.core.models import OrganisationKind, PlaceKind
from commonground.core.services.organisations import organisation_create
from commonground.core.services.people import household_create, person_create
from commonground.core.services.places import place_create
from tests.conftest import make_id_number

from .evaluation_fixtures import OPEN_DAY, answers

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def answered(evaluation):
    with frozen_at(OPEN_DAY):
        for i, scores in ((0, (5, 4)), (1, (3, 3)), (4, (2, 2))):
            response_submit(actor=evaluation.residents[i], round=evaluation.round,
                            household=evaluation.households[i], answers=answers(*scores))
    return evaluation


def round_url(ev):
    return reverse("coordination:evaluation-round", args=[ev.round.pk])


def test_answer_page__resident_posts_scores__response_recorded_and_card_gone(client, evaluation):
    login(client, evaluation.residents[2])
    home = client.get("/")
    url = reverse("coordination:evaluation-answer", args=[evaluation.round.pk])
    assert url in home.content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert "小区保洁是否及时干净？" in page.content.decode()

    with frozen_at(OPEN_DAY):
        done = client.post(url, {"cleaning": "4", "repairs": "2", "comment": "电梯维修慢"})

    assert done.status_code == 302
    response = Response.objects.get()
    assert (response.household, sorted(response.answers.values_list("score", flat=True))) == (
        evaluation.households[2], [2, 4])
    assert client.get(url).status_code == 404
    assert url not in client.get("/").content.decode()


def test_answer_page__missing_score__form_error_nothing_written(client, evaluation):
    login(client, evaluation.residents[2])
    page = client.post(reverse("coordination:evaluation-answer", args=[evaluation.round.pk]), {"cleaning": "4"})

    assert page.status_code == 200
    assert "Choose a score for this question." in page.content.decode()
    assert Response.objects.count() == 0


def test_round_page__clerk__ranking_of_both_estates(client, answered):
    page = login(client, answered.clerk).get(round_url(answered)).content.decode()

    assert page.index("竹竿巷小区") < page.index("龙游小区")
    assert "甲物业" in page and "乙物业" in page
    assert reverse("coordination:evaluation-close", args=[answered.round.pk]) in page


def test_round_page__committee_member__own_estate_only(client, answered):
    page = login(client, answered.committee).get(round_url(answered)).content.decode()

    assert "竹竿巷小区" in page
    assert "龙游小区" not in page and "乙物业" not in page
    assert reverse("coordination:evaluation-close", args=[answered.round.pk]) not in page
    other = reverse("coordination:evaluation-estate", args=[answered.round.pk, answered.neighbour_estate.pk])
    assert client.get(other).status_code == 404


def test_estate_page__property_manager__aggregates_no_names(client, answered):
    url = reverse("coordination:evaluation-estate", args=[answered.round.pk, answered.estate.pk])
    page = login(client, answered.manager).get(url)

    text = page.content.decode()
    assert page.status_code == 200
    assert "76.7" in text  # (14 + 9) / 6 × 20; no cases: the combined score is the residents' score
    assert "张三" not in text and "住户1" not in text


def test_outsider__404_everywhere_and_nothing_in_lists(client, answered):
    login(client, answered.outsider)
    ev = answered
    urls = [round_url(ev), reverse("coordination:evaluation-estate", args=[ev.round.pk, ev.estate.pk]),
            reverse("coordination:evaluation-export", args=[ev.round.pk, "estates", "csv"]),
            f"/api/coordination/evaluation-rounds/{ev.round.pk}",
            f"/api/coordination/evaluation-rounds/{ev.round.pk}/estates"]
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    assert "竹竿巷" not in client.get(reverse("coordination:evaluations")).content.decode()
    assert client.get("/api/coordination/evaluation-rounds").json() == {"count": 0, "items": [], "capped": False}


def test_export__committee_member__own_estate_figures_no_household(client, answered):
    login(client, answered.committee)
    response = client.get(reverse("coordination:evaluation-export", args=[answered.round.pk, "estates", "csv"]))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:6] == ["Rank", "Estate", "Property company", "Households", "Responses", "Response rate (%)"]
    assert [row[:6] for row in rows[1:]] == [["1", "竹竿巷小区", "甲物业", "4", "2", "50.0"]]
    assert "张三" not in json.dumps(rows, ensure_ascii=False)


def test_export__xlsx__companies(client, answered):
    response = login(client, answered.clerk).get(
        reverse("coordination:evaluation-export", args=[answered.round.pk, "companies", "xlsx"]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="evaluation-{answered.round.pk}-companies.xlsx"'


def test_api__results_and_response(client, answered):
    login(client, answered.clerk)
    estates = client.get(f"/api/coordination/evaluation-rounds/{answered.round.pk}/estates").json()
    assert [(item["name"], item["rank"], item["score"], item["responses"]) for item in estates["items"]] == [
        ("竹竿巷小区", 1, "76.7", 2), ("龙游小区", 2, "40.0", 1)]
    companies = client.get(f"/api/coordination/evaluation-rounds/{answered.round.pk}/companies").json()
    assert [item["name"] for item in companies["items"]] == ["甲物业", "乙物业"]

    login(client, answered.residents[2])
    url = f"/api/coordination/evaluation-rounds/{answered.round.pk}/responses"
    with frozen_at(OPEN_DAY):
        created = client.post(url, {"answers": {"cleaning": 5, "repairs": 5}}, content_type="application/json")
        again = client.post(url, {"answers": {"cleaning": 5, "repairs": 5}}, content_type="application/json")
    assert created.status_code == 201
    assert again.status_code == 404  # nothing left for the household to answer
    bad = client.post(url, {"answers": {"cleaning": 9}}, content_type="application/json")
    assert bad.status_code == 422


def _more_estates(ev, tree, n):
    """n more estates in the tree's community, each with a household, a company and a paper response."""
    entries = []
    for i in range(n):
        estate = place_create(code=f"X{i}", name=f"新增{i}小区", kind=PlaceKind.ESTATE, parent=tree.community)
        flat = place_create(code=f"X{i}-1", name="1室", kind=PlaceKind.FLAT,
                            parent=place_create(code=f"X{i}-B", name="1幢", kind=PlaceKind.BUILDING, parent=estate))
        person = person_create(name=f"新住户{i}", id_number=make_id_number(seq=700 + i))
        organisation_create(name=f"新物业{i}", kind=OrganisationKind.PROPERTY_COMPANY, place=estate)
        entries.append(PaperResponse(household_create(flat=flat, head=person), person, answers(4, 4)))
    with frozen_at(OPEN_DAY):
        responses_record(actor=ev.clerk, round=ev.round, entries=entries)


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["page", "api-estates", "api-companies", "export"])
def test_query_count__one_or_many_estates__same(client, answered, tree, path):
    ev = answered
    url = {"page": round_url(ev), "api-estates": f"/api/coordination/evaluation-rounds/{ev.round.pk}/estates",
           "api-companies": f"/api/coordination/evaluation-rounds/{ev.round.pk}/companies",
           "export": reverse("coordination:evaluation-export", args=[ev.round.pk, "estates", "xlsx"])}[path]
    login(client, ev.clerk)
    client.get(url)
    few = _count(client, url)
    _more_estates(ev, tree, 6)

    assert _count(client, url) == few


def test_clerk_pages__questionnaire_then_round__created_and_opened(client, evaluation, tree):
    from commonground.coordination.models import EvaluationRound, Questionnaire

    login(client, evaluation.clerk)
    made = client.post(reverse("coordination:evaluation-questionnaire-new"), {
        "name": "简版问卷", "questions": "保洁是否干净？ | cleaning | 2\n维修是否及时？ | repairs and maintenance | 1"})
    assert made.status_code == 302
    questionnaire = Questionnaire.objects.get(name="简版问卷")
    assert list(questionnaire.questions.values_list("key", "aspect", "weight")) == [
        ("q1", "cleaning", 2), ("q2", "repairs", 1)]
    created = client.post(reverse("coordination:evaluation-new"), {
        "questionnaire": questionnaire.pk, "place": tree.street.pk, "year": 2023, "quarter": 3,
        "opens_on": "2023-09-01", "closes_on": "2023-09-30"})
    round = EvaluationRound.objects.get(year=2023, quarter=3)
    assert created.url == reverse("coordination:evaluation-round", args=[round.pk])
    client.post(reverse("coordination:evaluation-open", args=[round.pk]))
    round.refresh_from_db()
    assert round.status == "open"


def test_clerk_pages__committee_member__no_new_round_and_no_close(client, evaluation):
    login(client, evaluation.committee)

    assert client.get(reverse("coordination:evaluation-new")).status_code == 403
    assert client.post(reverse("coordination:evaluation-close", args=[evaluation.round.pk])).status_code == 403
    evaluation.round.refresh_from_db()
    assert evaluation.round.status == "open"
