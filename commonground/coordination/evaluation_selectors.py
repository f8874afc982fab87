"""Reads of the property-service evaluation: which rounds a user sees, and the results computed from the answers
(no stored totals) in a fixed number of grouped queries, whatever the number of estates.

Scores. A question is answered 1–5; an estate's overall score is the weighted mean of its answers (each answer
weighs its question's weight) times 20, so all 5s make 100 and all 3s make 60. The objective figures are the
estate's property-service cases (the case engine's "property-service" category and its children, without the
supervision cases this module opens) reported in the round's period (its quarter, or its year) at places of the
estate: count, the share of closed cases closed on time (not overdue), and the mean revisit rating (1–5). Their
score out of 100 is half the on-time rate and half the mean rating / 5 (the on-time rate alone when no case was
rated). The combined score weighs the residents' score 70% and the cases' score 30% (the residents' score alone
when the period had no closed case). Supervision (a low score) looks at the residents' overall score.

Visibility. Results are aggregates only; nobody sees who answered what. A user sees the rows of the estates
where they hold evaluation.view (a property manager and an owners' committee member: their estate; community and
street staff: their area); ranks are positions among all the scored estates (companies) of the round.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from commonground.core.models import Household, Organisation, OrganisationKind, Place, PlaceKind, User
from commonground.core.models.places import within_q
from commonground.core.permissions import access_object, can, visible_to

from .models import SCORE_MAX, Answer, Aspect, EvaluationRound, Response, RoundStatus
from .services.evaluation import ESTATE_PATH_LENGTH, SUPERVISION_CATEGORY

SURVEY_WEIGHT = Decimal("0.7")
CASES_WEIGHT = Decimal("0.3")
TENTH = Decimal("0.1")
HUNDREDTH = Decimal("0.01")
POINTS = Decimal(100) / SCORE_MAX  # 20 points per scale step


def _q(value: Decimal, places: Decimal = TENTH) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def rounds_for(actor: Any, action: str = "evaluation.view") -> QuerySet[EvaluationRound]:
    return visible_to(actor, action, EvaluationRound.objects.select_related("place", "questionnaire"))


def access_round(actor: Any, pk: int, action: str = "evaluation.view") -> EvaluationRound:
    return access_object(actor, rounds_for(actor), action, view_action="evaluation.view",
                         missing=_("No such evaluation round."), pk=pk)


def visible_estates(actor: Any, within: str = "") -> QuerySet[Place]:
    estates = Place.objects.filter(kind=PlaceKind.ESTATE)
    if within:
        estates = estates.filter(within_q("path", [within]))
    return visible_to(actor, "evaluation.view", estates)


def access_estate(actor: Any, pk: int) -> Place:
    return access_object(actor, visible_estates(actor), "evaluation.view", view_action="evaluation.view",
                         missing=_("No such estate."), pk=pk)


@dataclass
class Sums:
    """What a score is computed from: answer sums per aspect and the weighted sums, plus the case figures."""

    responses: int = 0
    households: int = 0
    aspect_total: dict[str, int] = field(default_factory=dict)
    aspect_count: dict[str, int] = field(default_factory=dict)
    weighted: Decimal = Decimal(0)
    weights: Decimal = Decimal(0)
    cases: int = 0
    closed: int = 0
    on_time: int = 0
    rating_total: int = 0
    rated: int = 0

    def add(self, other: Sums) -> None:
        self.responses += other.responses
        self.households += other.households
        for aspect, total in other.aspect_total.items():
            self.aspect_total[aspect] = self.aspect_total.get(aspect, 0) + total
            self.aspect_count[aspect] = self.aspect_count.get(aspect, 0) + other.aspect_count[aspect]
        self.weighted += other.weighted
        self.weights += other.weights
        self.cases += other.cases
        self.closed += other.closed
        self.on_time += other.on_time
        self.rating_total += other.rating_total
        self.rated += other.rated

    @property
    def response_rate(self) -> Decimal | None:
        return _q(Decimal(100 * self.responses) / self.households) if self.households else None

    @property
    def aspects(self) -> dict[str, Decimal]:
        return {aspect: _q(Decimal(self.aspect_total[aspect]) / self.aspect_count[aspect], HUNDREDTH)
                for aspect in Aspect.values if self.aspect_count.get(aspect)}

    @property
    def score(self) -> Decimal | None:
        return _q(self.weighted / self.weights * POINTS) if self.weights else None

    @property
    def on_time_rate(self) -> Decimal | None:
        return _q(Decimal(100 * self.on_time) / self.closed) if self.closed else None

    @property
    def rating(self) -> Decimal | None:
        return _q(Decimal(self.rating_total) / self.rated, HUNDREDTH) if self.rated else None

    @property
    def case_score(self) -> Decimal | None:
        if not self.closed:
            return None
        on_time = Decimal(self.on_time) / self.closed
        if not self.rated:
            return _q(100 * on_time)
        return _q(50 * on_time + 50 * Decimal(self.rating_total) / self.rated / SCORE_MAX)

    @property
    def combined(self) -> Decimal | None:
        score, cases = self.score, self.case_score
        if score is None:
            return None
        if cases is None:
            return score
        return _q(SURVEY_WEIGHT * score + CASES_WEIGHT * cases)


@dataclass
class Row:
    pk: int
    name: str
    sums: Sums
    company: str = ""
    company_id: int | None = None
    path: str = ""
    rank: int | None = None


@dataclass
class RoundResults:
    round: EvaluationRound
    estates: list[Row]        # the estates the user sees, best first (unscored last)
    companies: list[Row]      # the companies serving them, best first
    estates_ranked: int       # scored estates of the whole round
    companies_ranked: int


def _weighted() -> ExpressionWrapper:
    return ExpressionWrapper(F("score") * F("question__weight"),
                             output_field=DecimalField(max_digits=14, decimal_places=2))


def _case_categories() -> QuerySet:
    from commonground.cases.models import Category

    return Category.objects.filter(Q(code="property-service") | Q(parent__code="property-service")).exclude(
        code=SUPERVISION_CATEGORY).values("pk")


def _estate_sums(round: EvaluationRound, estate_ids: list[int] | None = None) -> dict[int, Sums]:
    """The sums of every estate of the round (5 queries): households, responses, answers, cases."""
    from commonground.cases.models import Case

    place = within_q("path", [round.place_path])
    estates = {pk: path for pk, path in Place.objects.filter(place, kind=PlaceKind.ESTATE).filter(
        **({"pk__in": estate_ids} if estate_ids is not None else {})).values_list("pk", "path")}
    by_path = {path: pk for pk, path in estates.items()}
    sums = {pk: Sums() for pk in estates}
    scope = [round.place_path] if estate_ids is None else list(by_path)
    for row in (Household.objects.filter(within_q("flat__path", scope))
                .annotate(estate_path=Substr("flat__path", 1, ESTATE_PATH_LENGTH))
                .values("estate_path").annotate(n=Count("pk")).order_by()):
        if row["estate_path"] in by_path:
            sums[by_path[row["estate_path"]]].households = row["n"]
    responses = Response.objects.filter(round=round, estate_id__in=list(estates))
    for row in responses.values("estate_id").annotate(n=Count("pk")).order_by():
        sums[row["estate_id"]].responses = row["n"]
    for row in (Answer.objects.filter(response__round=round, response__estate_id__in=list(estates))
                .values("response__estate_id", "question__aspect")
                .annotate(total=Sum("score"), n=Count("pk"), weighted=Sum(_weighted()),
                          weights=Sum("question__weight")).order_by()):
        item = sums[row["response__estate_id"]]
        item.aspect_total[row["question__aspect"]] = row["total"]
        item.aspect_count[row["question__aspect"]] = row["n"]
        item.weighted += Decimal(row["weighted"])
        item.weights += Decimal(row["weights"])
    first, last = round.period
    start = datetime.datetime.combine(first, datetime.time.min)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min)
    from django.utils import timezone

    start, end = timezone.make_aware(start), timezone.make_aware(end)
    closed = Q(closed_at__isnull=False)
    for row in (Case.objects.filter(within_q("place_path", scope), category__in=_case_categories(),
                                    created_at__gte=start, created_at__lt=end)
                .annotate(estate_path=Substr("place_path", 1, ESTATE_PATH_LENGTH)).values("estate_path")
                .annotate(n=Count("pk"), closed=Count("pk", filter=closed),
                          on_time=Count("pk", filter=closed & Q(is_overdue=False)),
                          rating_total=Sum("rating"), rated=Count("rating")).order_by()):
        if row["estate_path"] in by_path:
            item = sums[by_path[row["estate_path"]]]
            item.cases, item.closed, item.on_time = row["n"], row["closed"], row["on_time"]
            item.rating_total, item.rated = row["rating_total"] or 0, row["rated"]
    return sums


def estate_scores(round: EvaluationRound) -> dict[int, Decimal]:
    """The residents' overall score of every estate of the round with answers (what supervision looks at)."""
    scores = {}
    for row in (Answer.objects.filter(response__round=round).values("response__estate_id")
                .annotate(weighted=Sum(_weighted()), weights=Sum("question__weight")).order_by()):
        scores[row["response__estate_id"]] = _q(Decimal(row["weighted"]) / Decimal(row["weights"]) * POINTS)
    return scores


def _rank(rows: list[Row]) -> int:
    """Rank rows by combined score (ties share a rank), unscored last; the number of ranked rows."""
    rows.sort(key=lambda r: (r.sums.combined is None, -(r.sums.combined or 0), r.name))
    previous, rank = None, 0
    for i, row in enumerate(rows, start=1):
        if row.sums.combined is None:
            row.rank = None
            continue
        if row.sums.combined != previous:
            rank, previous = i, row.sums.combined
        row.rank = rank
    return sum(1 for r in rows if r.rank is not None)


def _companies(round: EvaluationRound) -> dict[int, tuple[int, str, str]]:
    """estate id → (company id, company name, project department name), as of the end of the round's period."""
    result = {}
    for org in (Organisation.objects.of_kind(OrganisationKind.PROPERTY_COMPANY).active_on(round.period[1])
                .filter(within_q("place__path", [round.place_path]), place__kind=PlaceKind.ESTATE)
                .order_by("place_id", "established_on", "pk").values("place_id", "pk", "name", "parent_id",
                                                                     "parent__name")):
        result[org["place_id"]] = (org["parent_id"] or org["pk"], org["parent__name"] or org["name"], org["name"])
    return result


def round_results(actor: Any, round: EvaluationRound) -> RoundResults:
    """The round's results per estate and per company, for the estates the actor sees (a fixed number of
    queries)."""
    sums = _estate_sums(round)
    names = dict(Place.objects.filter(pk__in=list(sums)).values_list("pk", "name"))
    companies = _companies(round)
    visible = set(visible_estates(actor, round.place_path).values_list("pk", flat=True))
    rows = []
    for pk, item in sums.items():
        if not item.households and not item.responses:
            continue
        company_id, company, _department = companies.get(pk, (None, "", ""))
        rows.append(Row(pk=pk, name=names[pk], sums=item, company=company, company_id=company_id))
    ranked = _rank(rows)
    by_company: dict[int, Row] = {}
    for row in rows:
        if row.company_id is None:
            continue
        if row.company_id not in by_company:
            by_company[row.company_id] = Row(pk=row.company_id, name=row.company, sums=Sums())
        by_company[row.company_id].sums.add(row.sums)
    company_rows = list(by_company.values())
    companies_ranked = _rank(company_rows)
    seen_companies = {row.company_id for row in rows if row.pk in visible}
    return RoundResults(round=round, estates=[r for r in rows if r.pk in visible],
                        companies=[r for r in company_rows if r.pk in seen_companies],
                        estates_ranked=ranked, companies_ranked=companies_ranked)


def trend(actor: Any, round: EvaluationRound, estate: Place | None = None) -> list[dict[str, Any]]:
    """The overall score of every round over the same area up to this one (oldest first): of the estates the
    actor sees, or of one estate."""
    rounds = list(rounds_for(actor).filter(place=round.place).exclude(status=RoundStatus.DRAFT)
                  .filter(Q(year__lt=round.year) | Q(pk=round.pk) | Q(year=round.year, quarter__lt=round.quarter or 0))
                  .order_by("year", "quarter"))
    answers = Answer.objects.filter(response__round__in=[r.pk for r in rounds])
    if estate is not None:
        answers = answers.filter(response__estate=estate)
    else:
        answers = answers.filter(response__estate__in=visible_estates(actor, round.place_path))
    scores = {row["response__round_id"]: _q(Decimal(row["weighted"]) / Decimal(row["weights"]) * POINTS)
              for row in answers.values("response__round_id").annotate(
                  weighted=Sum(_weighted()), weights=Sum("question__weight")).order_by()}
    return [{"round": r, "label": r.name, "score": scores.get(r.pk)} for r in rounds]


def latest_scores(estate_ids: list[int]) -> dict[int, Decimal]:
    """The residents' overall score of each estate in the latest closed round that has its answers (one query);
    estates never evaluated are left out."""
    latest: dict[int, tuple[tuple, Decimal]] = {}
    for row in (Answer.objects.filter(response__estate_id__in=list(estate_ids),
                                      response__round__status=RoundStatus.CLOSED)
                .values("response__estate_id", "response__round_id", "response__round__year",
                        "response__round__quarter")
                .annotate(weighted=Sum(_weighted()), weights=Sum("question__weight")).order_by()):
        key = (row["response__round__year"], row["response__round__quarter"] or 5, row["response__round_id"])
        estate = row["response__estate_id"]
        if estate not in latest or key > latest[estate][0]:
            latest[estate] = (key, _q(Decimal(row["weighted"]) / Decimal(row["weights"]) * POINTS))
    return {estate: score for estate, (_key, score) in latest.items()}


def estate_round_sums(round: EvaluationRound, estate: Place) -> Sums:
    return _estate_sums(round, [estate.pk]).get(estate.pk, Sums())


def estate_evaluation(estate: Place, actor: Any = None) -> dict[str, Any]:
    """What the estate profile shows: the latest closed round's figures for the estate, its trend, and whether a
    round is open over it. For the partial template coordination/_evaluation_profile.html (`evaluation`)."""
    from .rules import low_score

    covering = EvaluationRound.objects.filter(
        place_path__in=[estate.path[:cut] for cut in range(10, len(estate.path) + 1, 10)]).exclude(
        status=RoundStatus.DRAFT).select_related("place").order_by("-year", F("quarter").desc(nulls_last=True))
    rounds = list(covering[:8])
    latest = next((r for r in rounds if r.status == RoundStatus.CLOSED), None)
    open_round = next((r for r in rounds if r.status == RoundStatus.OPEN), None)
    sums = estate_round_sums(latest, estate) if latest else None
    history = []
    if rounds:
        scores = {row["response__round_id"]: _q(Decimal(row["weighted"]) / Decimal(row["weights"]) * POINTS)
                  for row in Answer.objects.filter(response__estate=estate, response__round__in=[r.pk for r in rounds])
                  .values("response__round_id").annotate(weighted=Sum(_weighted()),
                                                         weights=Sum("question__weight")).order_by()}
        history = [{"round": r, "score": scores.get(r.pk)} for r in reversed(rounds)]
    return {"estate": estate, "round": latest, "sums": sums, "open_round": open_round, "trend": history,
            "is_low": bool(sums and sums.score is not None and sums.score < low_score()),
            "may_view": actor is None or can(actor, "evaluation.view", estate)}


def household_to_answer(user: User, round_pk: int) -> tuple[EvaluationRound, Any] | None:
    """The open round `round_pk` and the user's household still to answer it; None otherwise."""
    found = open_round_for(user, round_pk)
    return found


def open_round_for(user: User, round_pk: int | None = None) -> tuple[EvaluationRound, Any] | None:
    """The open round over the user's household with no answer from it yet, and that household (for the home's
    card and the answer form); None otherwise."""
    person_id = getattr(user, "person_id", None)
    if not person_id or not can(user, "evaluation.respond"):
        return None
    households = list(Household.objects.filter(
        Q(memberships__person_id=person_id) | Q(flat__ownerships__person_id=person_id,
                                                flat__ownerships__ended_on__isnull=True))
        .select_related("flat").distinct().order_by("pk")[:5])
    if not households:
        return None
    rounds = EvaluationRound.objects.filter(status=RoundStatus.OPEN).select_related("questionnaire")
    if round_pk is not None:
        rounds = rounds.filter(pk=round_pk)
    rounds = list(rounds.order_by("-year", "pk")[:10])
    answered = set(Response.objects.filter(round__in=rounds, household__in=households)
                   .values_list("round_id", "household_id"))
    for round in rounds:
        for household in households:
            if household.flat.path.startswith(round.place_path) and (round.pk, household.pk) not in answered \
                    and can(user, "evaluation.respond", household):
                return round, household
    return None
