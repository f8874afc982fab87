"""The ledgers (台账) of the business communities: per building what the place tree does not hold (vacant area,
grade), the enterprises with their premises and registration, their contact people, and their tax per year and month.

A business community is a place of kind business_community under a street; its office buildings (kind
office_building) and serviced-apartment buildings (kind building) are places under it, whose floor area the place
tree holds. An enterprise sits in one building (`building`, where it actually is) and may be registered at one
(`registered_building`, when its registered address is one of ours): the ledger counts of a building follow from
those two (moved in and registered here, moved in but registered elsewhere, registered here but not present).
Each enterprise row carries its scope (the path of its building, or of its registration building when it is not
present, and its street's and business community's paths); tax rows copy them when written, so a firm's tax stays
with the building where it was earned when the firm moves.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.models.base import AuditHistory

from .. import rules
from .scoping import BusinessScoped, firm_reach_q

__all__ = ["BuildingGrade", "BuildingLedger", "Enterprise", "EnterpriseContact", "EnterpriseStatus", "EnterpriseTier",
           "TaxRecord"]


class BuildingGrade(models.TextChoices):
    A = "A", _("grade A building")
    B = "B", _("grade B building")
    C = "C", _("grade C building")


class BuildingLedger(BusinessScoped):
    """A building's ledger facts; its floor area is the place's."""

    building = models.OneToOneField("core.Place", verbose_name=_("building"), on_delete=models.PROTECT,
                                    related_name="business_ledger")
    vacant_area_m2 = models.DecimalField(_("vacant area (m²)"), max_digits=12, decimal_places=2, default=0)
    grade = models.CharField(_("building grade"), max_length=1, choices=BuildingGrade.choices, blank=True)
    grade_score = models.DecimalField(_("grading score"), max_digits=6, decimal_places=2, null=True, blank=True)
    graded_on = models.DateField(_("graded on"), null=True, blank=True)
    # The grading indicators' values as the clerk entered them ({indicator code: value}), kept beside the result.
    indicators = models.JSONField(_("grading indicators"), default=dict, blank=True)

    history = AuditHistory()

    class Meta:
        verbose_name = _("building ledger")
        verbose_name_plural = _("building ledgers")
        ordering = ["place_path"]
        constraints = [
            models.CheckConstraint(condition=Q(vacant_area_m2__gte=0), name="buildingledger_vacant_not_negative"),
            models.CheckConstraint(condition=Q(grade_score__isnull=True) | Q(grade_score__gte=0),
                                   name="buildingledger_score_not_negative"),
        ]

    def __str__(self) -> str:
        return str(self.building)

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        from .visits import assigned_buildings_q

        if action in rules.COMMISSIONER_ACTIONS:
            return Q(building__in=assigned_buildings_q(user))
        return None


class EnterpriseStatus(models.TextChoices):
    ACTIVE = "active", _("operating")
    MOVED_OUT = "moved_out", _("moved out")
    DEREGISTERED = "deregistered", _("deregistered")


class EnterpriseTier(models.TextChoices):
    """How often the commissioners visit: key firms monthly, others quarterly."""

    KEY = "key", _("key enterprise")
    ORDINARY = "ordinary", _("ordinary enterprise")


class Enterprise(BusinessScoped):
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("enterprise name"), max_length=200)
    industry_code = models.CharField(_("industry (GB/T 4754 code)"), max_length=5, blank=True,
                                     help_text=_("The national industry classification code, e.g. I6510."))
    registered_capital = models.DecimalField(_("registered capital (yuan)"), max_digits=16, decimal_places=2,
                                             default=0)
    registered_on = models.DateField(_("registration date"))
    registered_address = models.CharField(_("registered address"), max_length=255, blank=True)
    registered_building = models.ForeignKey(
        "core.Place", verbose_name=_("registered at (building)"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="registered_enterprises", help_text=_("Empty when the registered address is not one of ours."))
    building = models.ForeignKey("core.Place", verbose_name=_("premises (building)"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="present_enterprises",
                                 help_text=_("Empty when the firm is registered here but not present."))
    floor = models.CharField(_("floor"), max_length=10, blank=True)
    room = models.CharField(_("room"), max_length=20, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), default=0)
    status = models.CharField(_("enterprise status"), max_length=16, choices=EnterpriseStatus.choices,
                              default=EnterpriseStatus.ACTIVE, db_index=True)
    tier = models.CharField(_("service tier"), max_length=16, choices=EnterpriseTier.choices,
                            default=EnterpriseTier.ORDINARY)
    moved_in_on = models.DateField(_("moved in on"), null=True, blank=True)
    moved_out_on = models.DateField(_("moved out on"), null=True, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    # Retention signals (the profile part): the lease's end, and the day a move of the registration was announced.
    lease_ends_on = models.DateField(_("lease ends on"), null=True, blank=True)
    registration_move_announced_on = models.DateField(
        _("registration move announced on"), null=True, blank=True,
        help_text=_("The day the firm told us it will move its registration elsewhere; empty when it has not."))
    # Scope: the premises' building, else the registration building (kept by the services).

    history = AuditHistory()

    class Meta:
        verbose_name = _("enterprise of the ledger")
        verbose_name_plural = _("enterprises of the ledger")
        ordering = ["place_path", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(registered_capital__gte=0),
                                   name="enterprise_capital_not_negative"),
            models.CheckConstraint(condition=Q(building__isnull=False) | Q(registered_building__isnull=False),
                                   name="enterprise_has_a_building"),
            models.CheckConstraint(condition=Q(moved_out_on__isnull=True) | Q(moved_in_on__isnull=True)
                                   | Q(moved_out_on__gte=models.F("moved_in_on")),
                                   name="enterprise_moves_ordered"),
        ]
        indexes = [
            models.Index(fields=["place_path", "name"], name="enterprise_place_name"),
            models.Index(fields=["street_path", "registered_on"], name="enterprise_street_reg"),
            models.Index(fields=["community_path", "registered_on"], name="enterprise_community_reg"),
            models.Index(fields=["registered_on"], name="enterprise_registered_on"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """A commissioner reaches the firms of their assigned buildings; an enterprise contact their own firm."""
        return firm_reach_q(user, action, firm="pk")

    def is_own(self, user, action: str) -> bool:
        return Enterprise.objects.filter(pk=self.pk).filter(self.own_q(user, action)).exists()


class EnterpriseContact(TimeStampedModel):
    """A contact person of an enterprise; `user` is their account when they log in for the firm."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE,
                                   related_name="contacts")
    name = models.CharField(_("contact name"), max_length=100)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    title = models.CharField(_("position in the firm"), max_length=50, blank=True)
    is_primary = models.BooleanField(_("main contact"), default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="enterprise_contacts")

    history = AuditHistory()
    scope_path = "enterprise__place_path"

    class Meta:
        verbose_name = _("enterprise contact person")
        verbose_name_plural = _("enterprise contact people")
        ordering = ["enterprise", "-is_primary", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise"], condition=Q(is_primary=True),
                                    name="enterprisecontact_one_primary"),
            models.UniqueConstraint(fields=["enterprise", "user"], condition=Q(user__isnull=False),
                                    name="enterprisecontact_user_once"),
        ]

    def __str__(self) -> str:
        return self.name


class TaxRecord(BusinessScoped):
    """Tax paid by an enterprise in a month (1–12), or in a whole year when only the year's total is known
    (month 0). Statistics over a period take the months inside it, and a year's total only when the period
    covers the whole year."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="tax_records")
    year = models.PositiveSmallIntegerField(_("tax year"))
    month = models.PositiveSmallIntegerField(_("tax month"), default=0, help_text=_("0 for the whole year."))
    amount = models.DecimalField(_("tax paid (yuan)"), max_digits=14, decimal_places=2)

    history = AuditHistory()

    class Meta:
        verbose_name = _("tax record")
        verbose_name_plural = _("tax records")
        ordering = ["enterprise", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year", "month"], name="taxrecord_once_per_period"),
            models.CheckConstraint(condition=Q(month__gte=0, month__lte=12), name="taxrecord_month_valid"),
            models.CheckConstraint(condition=Q(year__gte=1990, year__lte=2100), name="taxrecord_year_valid"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="taxrecord_amount_not_negative"),
        ]
        indexes = [
            models.Index(fields=["street_path", "year", "month"], name="taxrecord_street_period"),
            models.Index(fields=["community_path", "year", "month"], name="taxrecord_community_period"),
            models.Index(fields=["place_path", "year", "month"], name="taxrecord_place_period"),
            models.Index(fields=["year", "month"], name="taxrecord_period"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}-{self.month:02d}"

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        from .visits import assigned_buildings_q

        if action in rules.COMMISSIONER_ACTIONS:
            return Q(enterprise__place_path__in=assigned_buildings_q(user).values("path"))
        return None
