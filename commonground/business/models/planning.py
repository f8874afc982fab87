"""The visit planner's records (聚宝盆): a plan of a business community for a period (a week or a month), and its
planned visits — which commissioner visits which enterprise on which working day, why, and whether a manager
locked it (a re-plan keeps locked visits where they are). Leave days and do-not-disturb days are the planner
part's too. A visit recorded from the plan points back to its planned visit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.models.base import AuditHistory

from .. import rules

__all__ = ["DoNotDisturb", "LeaveDay", "PlannedVisit", "VisitPlan", "VisitPlanStatus"]


class VisitPlanStatus(models.TextChoices):
    DRAFT = "draft", _("plan in draft")
    PUBLISHED = "published", _("plan in force")
    SUPERSEDED = "superseded", _("plan replaced")


class VisitPlan(TimeStampedModel):
    business_community = models.ForeignKey("core.Place", verbose_name=_("business community"),
                                           on_delete=models.PROTECT, related_name="visit_plans")
    starts_on = models.DateField(_("plan starts"))
    ends_on = models.DateField(_("plan ends"))
    status = models.CharField(_("plan status"), max_length=12, choices=VisitPlanStatus.choices,
                              default=VisitPlanStatus.DRAFT)
    # What the solver reported: objective terms, bounds, time, method (CP-SAT or the greedy fallback).
    solver_report = models.JSONField(_("planner's report"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("planned by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    community_path = models.CharField(max_length=255, editable=False)
    street_path = models.CharField(max_length=255, editable=False, default="")

    history = AuditHistory()
    scope_path = "community_path"
    place_path_fields = ("community_path",)
    scope_prefixes = {"street_path": 2}

    class Meta:
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="visitplan_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.business_community} {self.starts_on}–{self.ends_on}"


class PlannedVisit(TimeStampedModel):
    plan = models.ForeignKey(VisitPlan, verbose_name=_("visit plan"), on_delete=models.CASCADE,
                             related_name="planned_visits")
    commissioner = models.ForeignKey("business.Commissioner", verbose_name=_("building commissioner"),
                                     on_delete=models.PROTECT, related_name="planned_visits")
    enterprise = models.ForeignKey("business.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="planned_visits")
    day = models.DateField(_("planned day"))
    order = models.PositiveSmallIntegerField(_("order in the day"), default=0)
    locked = models.BooleanField(_("locked by a manager"), default=False)
    # Why the visit is in the plan: [{"code": "key_monthly" | "quarterly" | "newcomer" | "at_risk" | ..., "text": ...}]
    reasons = models.JSONField(_("why this visit"), default=list, blank=True)
    visit = models.OneToOneField("business.Visit", verbose_name=_("visit recorded"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="planned_visit")
    place_path = models.CharField(max_length=255, editable=False)  # the enterprise's building

    history = AuditHistory()
    scope_path = "place_path"
    place_path_fields = ("place_path",)

    class Meta:
        verbose_name = _("planned visit")
        verbose_name_plural = _("planned visits")
        ordering = ["day", "commissioner", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "enterprise", "day"], name="plannedvisit_once_a_day"),
        ]
        indexes = [models.Index(fields=["commissioner", "day"], name="plannedvisit_commissioner_day")]

    def __str__(self) -> str:
        return f"{self.commissioner} → {self.enterprise} {self.day}"

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """A commissioner sees the visits planned for them."""
        if action in rules.COMMISSIONER_ACTIONS and getattr(user, "pk", None):
            return Q(commissioner__user=user)
        return None

    def is_own(self, user, action: str) -> bool:
        return action in rules.COMMISSIONER_ACTIONS and self.commissioner.user_id == getattr(user, "pk", None)


class LeaveDay(TimeStampedModel):
    """A day a commissioner is on leave: the planner gives them no visit that day."""

    commissioner = models.ForeignKey("business.Commissioner", verbose_name=_("building commissioner"),
                                     on_delete=models.CASCADE, related_name="leave_days")
    day = models.DateField(_("day of leave"))

    history = AuditHistory()
    scope_path = "commissioner__business_community__path"

    class Meta:
        verbose_name = _("commissioner's leave day")
        verbose_name_plural = _("commissioners' leave days")
        ordering = ["commissioner", "day"]
        constraints = [
            models.UniqueConstraint(fields=["commissioner", "day"], name="leaveday_once"),
        ]

    def __str__(self) -> str:
        return f"{self.commissioner} {self.day}"


class DoNotDisturb(TimeStampedModel):
    """Days on which a firm asks not to be visited (a single day, or a range of days)."""

    enterprise = models.ForeignKey("business.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE,
                                   related_name="do_not_disturb")
    starts_on = models.DateField(_("undisturbed from"))
    ends_on = models.DateField(_("undisturbed until"))
    note = models.CharField(_("why not disturb"), max_length=200, blank=True)
    place_path = models.CharField(max_length=255, editable=False)  # the enterprise's

    history = AuditHistory()
    scope_path = "place_path"
    place_path_fields = ("place_path",)

    class Meta:
        verbose_name = _("do-not-disturb days")
        verbose_name_plural = _("do-not-disturb days of firms")
        ordering = ["enterprise", "starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="donotdisturb_dates_ordered"),
        ]
        indexes = [models.Index(fields=["place_path", "starts_on"], name="donotdisturb_place_start")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.starts_on}–{self.ends_on}"
