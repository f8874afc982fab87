"""Door-to-door work: visits to a household and the consent survey (意愿征询)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.models.base import PortableIndex

from .projects import ConsentAnswer, Household, Outcome


class Concern(models.TextChoices):
    COMPENSATION = "compensation", _("compensation")
    RELOCATION = "relocation", _("temporary relocation")
    ELDERLY = "elderly", _("elderly or disabled members")
    TENANTS = "tenants", _("tenants")
    INHERITANCE = "inheritance", _("inheritance or ownership dispute")
    LOAN = "loan", _("mortgage or loan")
    FLAT_CHOICE = "flat_choice", _("new flat (floor, orientation, area)")
    OTHER = "other", _("other")


class Visit(TimeStampedModel):
    """One visit to a household: who went, whom they met, what came of it and what happens next. A concern
    that needs another department opens a case (`case`)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="visits")
    place_path = models.CharField(max_length=255, editable=False)
    visited_at = models.DateTimeField(_("visited at"))
    visitors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="renewal_visits",
                                      verbose_name=_("visitors"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    met = models.CharField(_("met"), max_length=100, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    concerns = models.JSONField(_("concerns"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    next_on = models.DateField(_("next visit on"), null=True, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="renewal_visits", verbose_name=_("case opened"))

    scope_path = "place_path"
    place_path_fields = ("place_path",)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at", "-pk"]
        indexes = [PortableIndex(F("household"), F("visited_at").desc(), name="visit_household_time"),
                   models.Index(fields=["next_on"], name="visit_next_on")]

    def __str__(self) -> str:
        return f"{self.household} {self.visited_at:%Y-%m-%d}"


class Consent(TimeStampedModel):
    """A household's one answer to the consent survey: all co-owners, or one with the others' authorisation."""

    household = models.OneToOneField(Household, on_delete=models.CASCADE, related_name="consent_answer")
    answer = models.CharField(_("answer"), max_length=12, choices=ConsentAnswer.choices)
    answered_on = models.DateField(_("answered on"))
    by_all_owners = models.BooleanField(_("all co-owners answered"), default=True)
    authorisation = models.FileField(_("authorisation"), upload_to="renewal/authorisations/", blank=True)
    authorisation_type = models.CharField(max_length=40, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scope_path = "household__place_path"

    class Meta:
        verbose_name = _("consent answer")
        verbose_name_plural = _("consent answers")
        constraints = [
            models.CheckConstraint(condition=Q(by_all_owners=True) | ~Q(authorisation=""),
                                   name="consent_authorised_when_not_all"),
        ]


class ConsentResult(TimeStampedModel):
    """The consent survey's result as published after it closed: the figures frozen on the day, and the notice
    that posted them on the estate's board. One per project; no answer is taken after it."""

    project = models.OneToOneField("renewal.Project", on_delete=models.CASCADE, related_name="consent_result")
    households = models.PositiveIntegerField(_("households"))
    answered = models.PositiveIntegerField(_("answered"))
    agree = models.PositiveIntegerField(_("agree"))
    needed = models.PositiveIntegerField(_("needed"))
    passed = models.BooleanField(_("passed"))
    published_on = models.DateField(_("published on"))
    notice = models.ForeignKey("deliberation.Notice", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("notice"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    scope_path = "project__estate_path"

    class Meta:
        verbose_name = _("consent survey result")
        verbose_name_plural = _("consent survey results")
        constraints = [
            models.CheckConstraint(condition=Q(agree__lte=F("answered")) & Q(answered__lte=F("households")),
                                   name="consentresult_counts_ordered"),
            models.CheckConstraint(condition=Q(passed=False) | Q(agree__gte=F("needed")),
                                   name="consentresult_passed_when_enough"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.agree}/{self.households}"
