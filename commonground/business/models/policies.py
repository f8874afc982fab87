"""The policy package (楼宇服务二十条 and others): policies with eligibility rules, matches, applications. Owned
by the policies part.

A package is issued by an organisation (or named in text) for a place — the district or one street — and lists its
policies, each in one of five dimensions, with a benefit, an application window and eligibility rules over the
ledger's fields (a JSON list checked by `policy_rules.validate_rules`). A published package is a noticeboard every
signed-in user sees; drafts only the staff of its place. Applications and notices carry their firm's scope columns
(they are tables of the size of the ledger), so a street's lists filter on equality.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.models.base import AuditHistory

from .scoping import BusinessScoped, firm_reach_q

__all__ = ["ApplicationStatus", "EnterpriseDemand", "PackageStatus", "Policy", "PolicyApplication", "PolicyDimension", "PolicyNotice",
           "PolicyPackage"]


class PackageStatus(models.TextChoices):
    DRAFT = "draft", _("policy package draft")
    PUBLISHED = "published", _("policy package published")


def _published_q(user, action: str, prefix: str = "") -> Q | None:
    """Published packages (and their policies) are a noticeboard for every signed-in user."""
    if action == "policy.view" and getattr(user, "pk", None):
        return Q(**{f"{prefix}status": PackageStatus.PUBLISHED})
    return None


class PolicyPackage(TimeStampedModel):
    """A package of policies issued for a place (the district or a street)."""

    name = models.CharField(_("policy package name"), max_length=200)
    issuer = models.ForeignKey("core.Organisation", verbose_name=_("issuing organisation"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="policy_packages")
    issuer_text = models.CharField(_("issued by (text)"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    place = models.ForeignKey("core.Place", verbose_name=_("policy area"), on_delete=models.PROTECT,
                              related_name="policy_packages")
    place_path = models.CharField(max_length=255, editable=False)
    status = models.CharField(_("policy package status"), max_length=12, choices=PackageStatus.choices,
                              default=PackageStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    history = AuditHistory()
    scope_path = "place_path"
    place_path_fields = ("place_path",)

    class Meta:
        verbose_name = _("policy package")
        verbose_name_plural = _("policy packages")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status="draft") | Q(published_at__isnull=False),
                                   name="policypackage_published_at_set"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def issued_by(self) -> str:
        return self.issuer.name if self.issuer_id else self.issuer_text

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        return _published_q(user, action)

    def is_own(self, user, action: str) -> bool:
        return action == "policy.view" and bool(getattr(user, "pk", None)) and self.status == PackageStatus.PUBLISHED


class PolicyDimension(models.TextChoices):
    PARTY = "party", _("party building leads (党建引领)")
    ECONOMY = "economy", _("economic service (经济服务)")
    LIVELIHOOD = "livelihood", _("livelihood service (民生服务)")
    CITY = "city", _("city management (城市管理)")
    GOVERNANCE = "governance", _("social governance (社会治理)")


class Policy(TimeStampedModel):
    """One article of a package: what it gives, to whom (its rules), and when firms may apply."""

    package = models.ForeignKey(PolicyPackage, verbose_name=_("policy package"), on_delete=models.PROTECT,
                                related_name="policies")
    number = models.PositiveSmallIntegerField(_("article number"))
    title = models.CharField(_("policy title"), max_length=200)
    dimension = models.CharField(_("policy dimension"), max_length=16, choices=PolicyDimension.choices)
    summary = models.TextField(_("policy summary"), blank=True)
    benefit = models.CharField(_("benefit to the firm"), max_length=500, blank=True)
    amount = models.DecimalField(_("benefit amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    opens_on = models.DateField(_("applications open on"), null=True, blank=True)
    closes_on = models.DateField(_("applications close on"), null=True, blank=True)
    # [{"field": ..., "op": ..., "value": ...}], checked by policy_rules.validate_rules
    rules = models.JSONField(_("eligibility rules"), default=list, blank=True)

    history = AuditHistory()
    scope_path = "package__place_path"

    class Meta:
        verbose_name = _("policy article")
        verbose_name_plural = _("policy articles")
        ordering = ["package", "number"]
        constraints = [
            models.UniqueConstraint(fields=["package", "number"], name="policy_number_once"),
            models.CheckConstraint(condition=Q(closes_on__isnull=True) | Q(opens_on__isnull=True)
                                   | Q(closes_on__gte=F("opens_on")), name="policy_window_ordered"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0),
                                   name="policy_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        return _published_q(user, action, "package__")

    def is_own(self, user, action: str) -> bool:
        return self.package.is_own(user, action)

    def window_open(self, day) -> bool:
        return (self.opens_on is None or self.opens_on <= day) and (self.closes_on is None or day <= self.closes_on)


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("application received")
    APPROVED = "approved", _("application approved")
    REJECTED = "rejected", _("application rejected")
    WITHDRAWN = "withdrawn", _("application withdrawn")


class PolicyApplication(BusinessScoped):
    """A firm's application for a policy (once per firm and policy) and its outcome."""

    enterprise = models.ForeignKey("business.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="policy_applications")
    policy = models.ForeignKey(Policy, verbose_name=_("policy article"), on_delete=models.PROTECT,
                               related_name="applications")
    applied_on = models.DateField(_("applied on"))
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applied by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("application status"), max_length=12, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.APPLIED)
    granted_amount = models.DecimalField(_("granted amount (yuan)"), max_digits=14, decimal_places=2, null=True,
                                         blank=True)
    note = models.CharField(_("application note"), max_length=500, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    history = AuditHistory()

    class Meta:
        verbose_name = _("policy application")
        verbose_name_plural = _("policy applications")
        ordering = ["-applied_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "policy"], name="policyapplication_once"),
            models.CheckConstraint(condition=Q(granted_amount__isnull=True) | Q(granted_amount__gte=0),
                                   name="policyapplication_amount_not_negative"),
            models.CheckConstraint(condition=Q(granted_amount__isnull=True) | Q(status="approved"),
                                   name="policyapplication_granted_only_approved"),
            models.CheckConstraint(condition=Q(status__in=["applied", "withdrawn"]) | Q(decided_on__isnull=False),
                                   name="policyapplication_decided_on_set"),
        ]
        indexes = [
            models.Index(fields=["street_path", "applied_on"], name="policyapp_street_day"),
            models.Index(fields=["community_path", "applied_on"], name="policyapp_community_day"),
            models.Index(fields=["policy", "status"], name="policyapp_policy_status"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.policy}"

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """A commissioner sees their buildings' firms' applications; a contact their own firm's (only to see:
        deciding is the staff's)."""
        only_seeing = {"policyapplication.view"}
        return firm_reach_q(user, action, commissioner_actions=only_seeing, contact_actions=only_seeing)

    def is_own(self, user, action: str) -> bool:
        condition = self.own_q(user, action)
        return condition is not None and PolicyApplication.objects.filter(condition, pk=self.pk).exists()


class PolicyNotice(BusinessScoped):
    """A firm was told about a policy it qualifies for (once per firm and policy)."""

    enterprise = models.ForeignKey("business.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE,
                                   related_name="policy_notices")
    policy = models.ForeignKey(Policy, verbose_name=_("policy article"), on_delete=models.CASCADE,
                               related_name="notices")
    notified_at = models.DateTimeField(_("notified at"))
    notified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("notified by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")


    class Meta:
        verbose_name = _("policy notice to a firm")
        verbose_name_plural = _("policy notices to firms")
        ordering = ["-notified_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "policy"], name="policynotice_once")]

    def __str__(self) -> str:
        return f"{self.policy} → {self.enterprise}"

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        return firm_reach_q(user, action, commissioner_actions=set())


class EnterpriseDemand(TimeStampedModel):
    """A demand a firm filed itself (through its contact's page): the case it became. Demands raised in visits are
    linked by `VisitDemand`; a firm's demands are both (policies_selectors.enterprise_demands)."""

    enterprise = models.ForeignKey("business.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="demands")
    case = models.OneToOneField("cases.Case", verbose_name=_("case"), on_delete=models.PROTECT,
                                related_name="enterprise_demand")

    scope_path = "enterprise__place_path"

    class Meta:
        verbose_name = _("demand filed by an enterprise")
        verbose_name_plural = _("demands filed by enterprises")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.case_id}"
