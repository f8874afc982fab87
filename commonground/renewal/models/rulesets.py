"""The one ruler (一把尺子量到底): a project's versioned compensation rule set and the options it gives each
household, every line with the clause that produced it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.models.base import AuditHistory

from .projects import Household, Project


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    PUBLISHED = "published", _("published")
    SUPERSEDED = "superseded", _("superseded")


class RuleSet(TimeStampedModel):
    """One version of the rules. `rules` holds the parameters the calculator reads (renewal/calculator.py
    documents the keys); published versions never change, a change is a new version."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="rule_sets")
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=RuleSetStatus.choices,
                              default=RuleSetStatus.DRAFT)
    rules = models.JSONField(_("rules"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    history = AuditHistory()
    scope_path = "project__estate_path"

    class Meta:
        verbose_name = _("compensation rule set")
        verbose_name_plural = _("compensation rule sets")
        ordering = ["project", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="ruleset_unique_version"),
            models.UniqueConstraint(fields=["project"], condition=Q(status="published"),
                                    name="ruleset_one_published"),
        ]

    def __str__(self) -> str:
        return f"{self.project} v{self.version}"


class OptionKind(models.TextChoices):
    CASH = "cash", _("cash compensation (货币补偿)")
    EXCHANGE = "exchange", _("replacement flat (产权调换)")
    SELF_RENEWAL = "self_renewal", _("co-funded self-renewal (自主更新)")


class Offer(models.Model):
    """What one rule-set version gives one household under one option: the total and its lines
    ([{"label", "amount", "clause", "basis"}]), computed only by the calculator."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="offers")
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="offers")
    option = models.CharField(_("option"), max_length=16, choices=OptionKind.choices)
    # yuan, to the fen; positive is paid to the household, negative is what the household pays
    total = models.DecimalField(_("total (yuan)"), max_digits=16, decimal_places=2)
    lines = models.JSONField(_("lines"))
    entitled_area_m2 = models.DecimalField(_("entitled area (m²)"), max_digits=9, decimal_places=2, null=True,
                                           blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    scope_path = "household__place_path"

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [models.UniqueConstraint(fields=["household", "rule_set", "option"],
                                               name="offer_one_per_option")]

    def __str__(self) -> str:
        return f"{self.household} · {self.get_option_display()}"
