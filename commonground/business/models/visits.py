"""Commissioners and visits (楼宇专员与走访): the building commissioners of a business community, the buildings each
is assigned, and every visit to an enterprise — by a commissioner or by another department (tax, market
supervision, police), done or planned — so that all contacts with a firm are seen together. A demand raised in a
visit becomes a case of the case engine (`VisitDemand` links them).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.models.base import AuditHistory

from .. import rules
from .scoping import BusinessScoped, firm_reach_q

__all__ = ["Commissioner", "CommissionerAssignment", "Department", "Visit", "VisitDemand", "VisitStatus",
           "assigned_buildings_q"]


def assigned_buildings_q(user) -> models.QuerySet:
    """The buildings (places) `user` is assigned today as a commissioner: a queryset for subqueries."""
    from commonground.core.clock import today
    from commonground.core.models import Place

    if not getattr(user, "pk", None):
        return Place.objects.none()
    day = today()
    assignments = CommissionerAssignment.objects.filter(
        commissioner__user=user, commissioner__is_active=True, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    return Place.objects.filter(pk__in=assignments.values("building"))


class Commissioner(TimeStampedModel):
    """A building commissioner (楼宇专员) of a business community and how many visits they make in a day."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.PROTECT,
                                related_name="business_commissioner")
    business_community = models.ForeignKey("core.Place", verbose_name=_("business community"),
                                           on_delete=models.PROTECT, related_name="commissioners")
    display_name = models.CharField(_("commissioner's name"), max_length=100)
    phone = models.CharField(_("commissioner's phone"), max_length=20, blank=True)
    daily_capacity = models.PositiveSmallIntegerField(_("visits a day"), default=6)
    is_active = models.BooleanField(_("serving"), default=True)

    history = AuditHistory()
    scope_path = "business_community__path"

    class Meta:
        verbose_name = _("building commissioner")
        verbose_name_plural = _("building commissioners")
        ordering = ["business_community", "display_name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(daily_capacity__gte=1, daily_capacity__lte=30),
                                   name="commissioner_capacity_in_range"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """A commissioner sees their own record (today's plan, their buildings)."""
        if action in rules.COMMISSIONER_ACTIONS | {"commissioner.view"} and getattr(user, "pk", None):
            return Q(user=user)
        return None

    def is_own(self, user, action: str) -> bool:
        return self.user_id == getattr(user, "pk", None) and action in rules.COMMISSIONER_ACTIONS | {
            "commissioner.view"}


class CommissionerAssignment(TimeStampedModel):
    """A commissioner is assigned a building (office or serviced-apartment) from a day, until a day or for good."""

    commissioner = models.ForeignKey(Commissioner, verbose_name=_("building commissioner"),
                                     on_delete=models.CASCADE, related_name="assignments")
    building = models.ForeignKey("core.Place", verbose_name=_("building"), on_delete=models.PROTECT,
                                 related_name="commissioner_assignments")
    valid_from = models.DateField(_("assigned from"))
    valid_to = models.DateField(_("assigned until"), null=True, blank=True)

    history = AuditHistory()
    scope_path = "building__path"

    class Meta:
        verbose_name = _("building assignment")
        verbose_name_plural = _("building assignments")
        ordering = ["commissioner", "building__path"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="commissionerassignment_dates_ordered"),
            models.UniqueConstraint(fields=["commissioner", "building", "valid_from"],
                                    name="commissionerassignment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.commissioner} → {self.building}"


class Department(models.TextChoices):
    COMMISSIONER = "commissioner", _("building commissioner visit")
    TAX = "tax", _("tax bureau")
    MARKET = "market", _("market supervision")
    POLICE = "police", _("police station")
    OTHER = "other", _("other department")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("visit planned")
    DONE = "done", _("visit done")
    CANCELLED = "cancelled", _("visit cancelled")


class Visit(BusinessScoped):
    """A contact with an enterprise on a day: done (recorded) or planned (another department announces it, so
    the planner keeps the firm undisturbed around it)."""

    enterprise = models.ForeignKey("business.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="visits")
    visited_on = models.DateField(_("visit day"))
    department = models.CharField(_("visiting department"), max_length=16, choices=Department.choices,
                                  default=Department.COMMISSIONER)
    status = models.CharField(_("visit status"), max_length=12, choices=VisitStatus.choices,
                              default=VisitStatus.DONE)
    commissioner = models.ForeignKey(Commissioner, verbose_name=_("building commissioner"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="visits")
    visitor_name = models.CharField(_("visitor's name"), max_length=100, blank=True)
    topics = models.CharField(_("topics discussed"), max_length=500, blank=True)
    feedback = models.TextField(_("enterprise's feedback"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    history = AuditHistory()

    class Meta:
        verbose_name = _("enterprise visit")
        verbose_name_plural = _("enterprise visits")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(department="commissioner") | Q(commissioner__isnull=False),
                                   name="visit_commissioner_named"),
        ]
        indexes = [
            models.Index(fields=["enterprise", "visited_on"], name="visit_enterprise_day"),
            models.Index(fields=["community_path", "visited_on"], name="visit_community_day"),
            models.Index(fields=["street_path", "visited_on"], name="visit_street_day"),
            models.Index(fields=["commissioner", "visited_on"], name="visit_commissioner_day"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.visited_on}"

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        return firm_reach_q(user, action)

    def is_own(self, user, action: str) -> bool:
        return Visit.objects.filter(pk=self.pk).filter(self.own_q(user, action)).exists()


class VisitDemand(TimeStampedModel):
    """A demand raised in a visit: the case it became (category enterprise-*, with its time limit)."""

    visit = models.ForeignKey(Visit, verbose_name=_("enterprise visit"), on_delete=models.PROTECT,
                              related_name="demands")
    case = models.OneToOneField("cases.Case", verbose_name=_("case"), on_delete=models.PROTECT,
                                related_name="visit_demand")

    scope_path = "visit__place_path"

    class Meta:
        verbose_name = _("demand raised in a visit")
        verbose_name_plural = _("demands raised in visits")
        ordering = ["visit", "pk"]

    def __str__(self) -> str:
        return f"{self.visit} → {self.case_id}"
