"""Property-service evaluation (物业服务评价): a configurable questionnaire, rounds over a street or the district,
one response per household rating the estate's property company, and the supervision cases low scores open.

Results are computed from the answers (evaluation_selectors), never stored as totals. A response carries its
scope (estate path, street path) so results filter in the database; its respondent is kept only for the
one-per-household rule and is never shown.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.models.base import AuditHistory
from commonground.core.models.places import SEGMENT_WIDTH

__all__ = ["Answer", "Aspect", "EvaluationRound", "EvaluationSupervision", "Question", "Questionnaire",
           "Response", "RoundStatus", "SCORE_MAX", "SCORE_MIN"]

SCORE_MIN, SCORE_MAX = 1, 5


class Aspect(models.TextChoices):
    CLEANING = "cleaning", _("cleaning and sanitation")
    SECURITY = "security", _("security and order")
    REPAIRS = "repairs", _("repairs and maintenance")
    GREENERY = "greenery", _("greenery upkeep")
    FEES = "fees", _("fee transparency")
    SERVICE = "service", _("service attitude")
    OVERALL = "overall", _("overall impression")


class Questionnaire(TimeStampedModel):
    """A list of questions answered on a 1–5 scale; editable until a round uses it."""

    name = models.CharField(_("questionnaire name"), max_length=100, unique=True)
    description = models.TextField(_("questionnaire description"), blank=True)

    history = AuditHistory()
    scope_path = None  # district-wide configuration: seen by everyone who sees evaluations

    class Meta:
        verbose_name = _("evaluation questionnaire")
        verbose_name_plural = _("evaluation questionnaires")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Question(TimeStampedModel):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("question position"))
    key = models.SlugField(_("question key"), max_length=40)
    text = models.CharField(_("question text"), max_length=200)
    aspect = models.CharField(_("service aspect"), max_length=16, choices=Aspect.choices)
    weight = models.DecimalField(_("question weight"), max_digits=5, decimal_places=2, default=Decimal(1))

    class Meta:
        verbose_name = _("evaluation question")
        verbose_name_plural = _("evaluation questions")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="question_key_once"),
            models.UniqueConstraint(fields=["questionnaire", "position"], name="question_position_once"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="question_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.text


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("in preparation")
    OPEN = "open", _("open for answers")
    CLOSED = "closed", _("closed")


class EvaluationRound(TimeStampedModel):
    """One evaluation of the property companies over a street or the district, for a year or a quarter."""

    name = models.CharField(_("round name"), max_length=100)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="rounds",
                                      verbose_name=_("evaluation questionnaire"))
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="evaluation_rounds",
                              verbose_name=_("area covered"))
    place_path = models.CharField(max_length=255, editable=False, db_index=True)
    year = models.PositiveSmallIntegerField(_("evaluation year"))
    quarter = models.PositiveSmallIntegerField(_("evaluation quarter"), null=True, blank=True)
    opens_on = models.DateField(_("answers from"))
    closes_on = models.DateField(_("answers until"))
    status = models.CharField(_("round status"), max_length=8, choices=RoundStatus.choices,
                              default=RoundStatus.DRAFT, db_index=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = AuditHistory()
    place_path_fields = ("place_path",)

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-year", F("quarter").desc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                                   name="evaluationround_quarter_range"),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="evaluationround_dates_ordered"),
            models.UniqueConstraint(fields=["place", "year", "quarter"], condition=Q(quarter__isnull=False),
                                    name="evaluationround_once_per_quarter"),
            models.UniqueConstraint(fields=["place", "year"], condition=Q(quarter__isnull=True),
                                    name="evaluationround_once_per_year"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, paths: list[str]) -> Q:
        """A round is seen by whoever holds the permission inside the area it covers (an estate's committee sees
        the district's round) or above it."""
        above = {path[:cut] for path in paths for cut in range(SEGMENT_WIDTH, len(path) + 1, SEGMENT_WIDTH)}
        condition = Q(place_path__in=above)
        for path in paths:
            condition |= Q(place_path__startswith=path)
        return condition

    @property
    def period(self) -> tuple:
        """The first and last day the round's objective figures count (its quarter, or its year)."""
        import datetime

        if self.quarter:
            first = datetime.date(self.year, 3 * self.quarter - 2, 1)
            last = (datetime.date(self.year + 1, 1, 1) if self.quarter == 4
                    else datetime.date(self.year, 3 * self.quarter + 1, 1)) - datetime.timedelta(days=1)
            return first, last
        return datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)


class Response(TimeStampedModel):
    """One household's answers in one round. The respondent is kept for the one-per-household rule only."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="responses",
                              verbose_name=_("evaluation round"))
    estate = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("estate"))
    household = models.ForeignKey("core.Household", on_delete=models.PROTECT, related_name="evaluation_responses",
                                  verbose_name=_("household"))
    company = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="evaluation_responses",
                                verbose_name=_("property project department rated"))
    parent_company = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("property company rated"))
    respondent = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("evaluation respondent"))
    submitted_at = models.DateTimeField(_("submitted at"))
    estate_path = models.CharField(max_length=255, editable=False)
    street_path = models.CharField(max_length=255, editable=False)

    scope_path = "estate_path"
    place_path_fields = ("estate_path",)
    scope_prefixes = {"street_path": 2}

    class Meta:
        verbose_name = _("evaluation response")
        verbose_name_plural = _("evaluation responses")
        ordering = ["round", "estate_path", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "household"], name="response_one_per_household")]
        indexes = [models.Index(fields=["round", "estate_path"], name="response_round_estate"),
                   models.Index(fields=["estate", "round"], name="response_estate_round")]

    def __str__(self) -> str:
        return f"{self.round} · {self.estate_id}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(_("score (1–5)"))
    comment = models.CharField(_("answer comment"), max_length=300, blank=True)

    scope_path = "response__estate_path"

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                                   name="answer_score_range"),
            models.UniqueConstraint(fields=["response", "question"], name="answer_once_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score}"


class EvaluationSupervision(TimeStampedModel):
    """The supervision case a low score opened for an estate when its round closed: one per round and estate."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="supervisions")
    estate = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("overall score"), max_digits=5, decimal_places=1)
    estate_path = models.CharField(max_length=255, editable=False)

    scope_path = "estate_path"
    place_path_fields = ("estate_path",)

    class Meta:
        verbose_name = _("evaluation supervision case")
        verbose_name_plural = _("evaluation supervision cases")
        constraints = [models.UniqueConstraint(fields=["round", "estate"], name="evaluationsupervision_once")]

    def __str__(self) -> str:
        return f"{self.round} · {self.estate_id}"
