"""Retention warnings (安商稳商): risk assessments with their reasons. Owned by the profile part.

An assessment is the latest score of a firm from the signals of `business/risk.py`, with its reasons. A firm has
at most one open assessment (updated by every run); a score at or above the threshold opens a commissioner task (a
case of category `enterprise-retention`), and a firm falling below clears its open assessment (the case stays).
The scope columns are the firm's, copied when written.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models.base import AuditHistory

from .scoping import BusinessScoped, firm_reach_q

__all__ = ["RiskAssessment", "RiskStatus"]


class RiskStatus(models.TextChoices):
    OPEN = "open", _("retention warning open")
    HANDLED = "handled", _("retention warning handled")
    CLEARED = "cleared", _("retention warning cleared")


class RiskAssessment(BusinessScoped):
    enterprise = models.ForeignKey("business.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="risk_assessments")
    assessed_on = models.DateField(_("assessed on"))
    score = models.PositiveSmallIntegerField(_("retention risk score"))
    # [{code, points, text, evidence}] as business/risk.py gives them
    reasons = models.JSONField(_("risk reasons"), default=list, blank=True)
    status = models.CharField(_("warning status"), max_length=10, choices=RiskStatus.choices,
                              default=RiskStatus.OPEN, db_index=True)
    case = models.ForeignKey("cases.Case", verbose_name=_("commissioner task"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="risk_assessments")

    history = AuditHistory()

    class Meta:
        verbose_name = _("retention risk assessment")
        verbose_name_plural = _("retention risk assessments")
        ordering = ["-score", "enterprise_id"]
        constraints = [
            # one current warning (open or handled) per firm
            models.UniqueConstraint(fields=["enterprise"], condition=Q(status__in=["open", "handled"]),
                                    name="riskassessment_one_current"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="riskassessment_score_range"),
        ]
        indexes = [
            models.Index(fields=["community_path", "status", "score"], name="riskassessment_community"),
            models.Index(fields=["street_path", "status", "score"], name="riskassessment_street"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.assessed_on} {self.score}"

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """A commissioner sees the warnings of their assigned buildings' firms."""
        return firm_reach_q(user, action, contact_actions=set())

    def is_own(self, user, action: str) -> bool:
        own = self.own_q(user, action)
        return own is not None and RiskAssessment.objects.filter(pk=self.pk).filter(own).exists()
