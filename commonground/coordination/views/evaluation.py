"""Property-service evaluation pages: the rounds, a round's ranking of companies and estates with its trend, an
estate's result, exports of the results (aggregates only), the household's answer form, and the clerks' pages to
create questionnaires and rounds and to open and close them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core import clock
from commonground.core.forms import apply_service_errors
from commonground.core.models import Place, PlaceKind
from commonground.core.permissions import can, require, visible_to
from commonground.core.tables import table_response

from ..evaluation_forms import AnswerForm, QuestionnaireForm, RoundForm
from ..evaluation_selectors import (
    access_estate,
    access_round,
    estate_round_sums,
    household_to_answer,
    open_round_for,
    round_results,
    rounds_for,
    trend,
)
from ..models import Aspect, Questionnaire
from ..rules import low_score
from ..services.evaluation import (
    estate_of,
    property_company,
    questionnaire_create,
    response_submit,
    round_close,
    round_create,
    round_open,
)

ASPECTS = [(value, label) for value, label in Aspect.choices]


def _chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"labels": [row["label"] for row in rows],
            "scores": [float(row["score"]) if row["score"] is not None else None for row in rows],
            "name": _("Overall score"), "low": low_score()}


@login_required
def evaluations(request: HttpRequest) -> HttpResponse:
    """The rounds the user sees; the household's open round to answer; the clerk's actions."""
    may_view = can(request.user, "evaluation.view")
    to_answer = open_round_for(request.user)
    if not may_view and to_answer is None:
        raise Http404(_("No evaluation here."))
    rounds = list(rounds_for(request.user).order_by("-year", "-quarter", "pk")[:40]) if may_view else []
    return render(request, "coordination/evaluation_list.html", {
        "rounds": rounds, "to_answer": to_answer, "may_manage": can(request.user, "evaluation.manage"),
        "questionnaires": Questionnaire.objects.order_by("name")[:20] if can(request.user, "evaluation.manage")
        else []})


@login_required
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A round: companies and estates ranked, the trend over earlier rounds, and open/close for its clerk."""
    round = access_round(request.user, pk)
    results = round_results(request.user, round)
    rows = trend(request.user, round)
    return render(request, "coordination/evaluation_round.html", {
        "round": round, "results": results, "trend": rows, "chart": _chart(rows), "aspects": ASPECTS,
        "may_manage": can(request.user, "evaluation.manage", round.place), "low_score": low_score()})


@login_required
def estate_page(request: HttpRequest, pk: int, estate_pk: int) -> HttpResponse:
    round = access_round(request.user, pk)
    estate = access_estate(request.user, estate_pk)
    if not estate.path.startswith(round.place_path):
        raise Http404(_("No such estate."))
    sums = estate_round_sums(round, estate)
    rows = trend(request.user, round, estate=estate)
    aspects = [(label, sums.aspects.get(value)) for value, label in ASPECTS if value in sums.aspects]
    return render(request, "coordination/evaluation_estate.html", {
        "round": round, "estate": estate, "sums": sums, "aspects": aspects, "trend": rows, "chart": _chart(rows)})


def _percent(value: Any) -> str:
    return "" if value is None else str(value)


@login_required
def export(request: HttpRequest, pk: int, what: str, fmt: str) -> HttpResponse:
    """The round's results per estate or per company, as the user sees them: figures only, no household."""
    round = access_round(request.user, pk)
    if what not in ("estates", "companies") or fmt not in ("csv", "xlsx"):
        raise Http404
    results = round_results(request.user, round)
    aspect_headers = [str(label) for _value, label in ASPECTS]
    headers = [_("Rank"), _("Estate") if what == "estates" else _("Property company")]
    if what == "estates":
        headers.append(_("Property company"))
    headers += [_("Households"), _("Responses"), _("Response rate (%)"), *aspect_headers, _("Overall score"),
                _("Property-service cases"), _("Closed on time (%)"), _("Mean revisit rating"), _("Cases score"),
                _("Combined score")]
    table = []
    for row in (results.estates if what == "estates" else results.companies):
        s = row.sums
        line = [row.rank or "", row.name] + ([row.company] if what == "estates" else [])
        line += [s.households, s.responses, _percent(s.response_rate),
                 *[_percent(s.aspects.get(value)) for value, _label in ASPECTS], _percent(s.score), s.cases,
                 _percent(s.on_time_rate), _percent(s.rating), _percent(s.case_score), _percent(s.combined)]
        table.append(line)
    return table_response(fmt, headers, table, filename=f"evaluation-{round.pk}-{what}",
                          title=_("Property-service evaluation results"))


@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The household's answer form: one page, 1–5 per question."""
    household = household_to_answer(request.user, pk)
    if household is None:
        raise Http404(_("There is nothing for your household to answer in this round."))
    round, household = household
    questions = list(round.questionnaire.questions.all())
    form = AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        comment = data.pop("comment", "")
        try:
            response_submit(actor=request.user, round=round, household=household, answers=data,
                            comments={questions[-1].key: comment} if comment and questions else None)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your household's evaluation is recorded."))
            return redirect("home")
    estate = estate_of(household.flat)
    return render(request, "coordination/evaluation_answer.html", {
        "round": round, "household": household, "form": form, "estate": estate,
        "company": property_company(estate) if estate else None})


def _managed_places(user: Any) -> list[tuple[int, str]]:
    places = visible_to(user, "evaluation.manage", Place.objects.filter(
        kind__in=[PlaceKind.DISTRICT, PlaceKind.STREET])).order_by("path")[:40]
    return [(place.pk, place.name) for place in places]


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    places = _managed_places(request.user)
    if not places:
        raise PermissionDenied(_("You do not have permission to do this here."))
    questionnaires = [(q.pk, q.name) for q in Questionnaire.objects.order_by("name")[:50]]
    form = RoundForm(request.POST or None, questionnaires=questionnaires, places=places, today=clock.today())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round = round_create(actor=request.user, questionnaire=Questionnaire.objects.get(pk=data["questionnaire"]),
                                 place=Place.objects.get(pk=data["place"]), year=data["year"],
                                 quarter=data["quarter"], opens_on=data["opens_on"], closes_on=data["closes_on"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("coordination:evaluation-round", round.pk)
    return render(request, "coordination/evaluation_form.html", {"form": form, "title": _("New evaluation round")})


@login_required
def questionnaire_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "evaluation.manage")
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire_create(actor=request.user, name=form.cleaned_data["name"],
                                 description=form.cleaned_data["description"],
                                 questions=form.cleaned_data["questions"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("coordination:evaluations")
    return render(request, "coordination/evaluation_form.html", {"form": form, "title": _("New questionnaire")})


@require_POST
@login_required
def round_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    round = access_round(request.user, pk)
    require(request.user, "evaluation.manage", round.place)
    try:
        if action == "open":
            round_open(actor=request.user, round=round)
            messages.success(request, _("The round is open for answers."))
        elif action == "close":
            round_close(actor=request.user, round=round)
            messages.success(request, _("The round is closed; estates with a low score have a supervision case."))
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("coordination:evaluation-round", round.pk)


urlpatterns: list[URLPattern] = [
    path("evaluations/", evaluations, name="evaluations"),
    path("evaluations/new/", round_new, name="evaluation-new"),
    path("evaluations/questionnaires/new/", questionnaire_new, name="evaluation-questionnaire-new"),
    path("evaluations/<int:pk>/", round_page, name="evaluation-round"),
    path("evaluations/<int:pk>/answer/", answer, name="evaluation-answer"),
    path("evaluations/<int:pk>/open/", round_action, {"action": "open"}, name="evaluation-open"),
    path("evaluations/<int:pk>/close/", round_action, {"action": "close"}, name="evaluation-close"),
    path("evaluations/<int:pk>/estates/<int:estate_pk>/", estate_page, name="evaluation-estate"),
    path("evaluations/<int:pk>/export/<str:what>.<str:fmt>", export, name="evaluation-export"),
]
