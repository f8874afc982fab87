"""The micro-governance fund (小区微治理专项资金): a fund with its total, the estates' projects on it (budget lines,
the supporting decision, reviews community → street → fund office), what was paid against receipts, photos and
the residents' acceptance.

The money invariants live in the database: a fund never commits more than its total nor pays more than it
committed, a project never receives more than was approved (`fund_amounts_ordered`,
`fundproject_disbursed_within_approved`). The services raise the figures with one conditional UPDATE each, so
concurrent approvals cannot pass the total either (services/fund.py).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from commonground.core.models import TimeStampedModel
from commonground.core.models.base import AuditHistory
from commonground.core.models.places import SEGMENT_WIDTH

__all__ = ["BudgetLine", "Disbursement", "Fund", "FundProject", "FundStage", "PhotoKind", "ProjectPhoto",
           "ProjectReview", "ReviewDecision", "ReviewLevel", "AcceptanceResult", "ZERO"]

ZERO = Decimal("0.00")


def money(verbose_name, **kwargs) -> models.DecimalField:
    kwargs.setdefault("default", ZERO)
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class Fund(TimeStampedModel):
    """One year's fund held at a place (the district's in the demo). Its figures are kept by the services:
    `committed` is what approvals set aside, `disbursed` what was paid out of that."""

    name = models.CharField(_("fund name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("fund year"))
    place = models.ForeignKey("core.Place", verbose_name=_("fund held at"), on_delete=models.PROTECT,
                              related_name="micro_funds")
    total = money(_("fund total (yuan)"))
    committed = money(_("committed (yuan)"))
    disbursed = money(_("disbursed (yuan)"))
    opens_on = models.DateField(_("applications open on"), null=True, blank=True)
    closes_on = models.DateField(_("applications close on"), null=True, blank=True)

    history = AuditHistory()
    scope_path = "place__path"

    class Meta:
        verbose_name = _("micro-governance fund")
        verbose_name_plural = _("micro-governance funds")
        ordering = ["-year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(disbursed__gte=0, committed__gte=F("disbursed"), total__gte=F("committed")),
                name="fund_amounts_ordered"),
            models.CheckConstraint(condition=Q(closes_on__isnull=True) | Q(opens_on__isnull=True)
                                   | Q(closes_on__gte=F("opens_on")), name="fund_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def left(self) -> Decimal:
        return self.total - self.committed

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """Who may see the fund without a role at its place: anyone who may see fund projects somewhere below it
        (a community worker sees the district's fund their community's estates apply to)."""
        if action != "fund.view":
            return None
        from commonground.core.permissions import scope_paths  # the resolver sits above the models

        above = {path[:cut] for path in scope_paths(user, action) or []
                 for cut in range(SEGMENT_WIDTH, len(path) + 1, SEGMENT_WIDTH)}
        return Q(place__path__in=above) if above else None

    def is_own(self, user, action: str) -> bool:
        condition = self.own_q(user, action)
        return condition is not None and Fund.objects.filter(condition, pk=self.pk).exists()


class FundStage(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("fund project stage", "draft")
    SUBMITTED = "submitted", _("submitted, awaiting the community")
    COMMUNITY_APPROVED = "community_approved", _("passed the community, awaiting the street")
    STREET_APPROVED = "street_approved", _("passed the street, awaiting the fund office")
    APPROVED = "approved", _("approved, money committed")
    COMPLETED = "completed", pgettext_lazy("fund project stage", "completed")
    REJECTED = "rejected", pgettext_lazy("fund project stage", "rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("fund project stage", "withdrawn")


class AcceptanceResult(models.TextChoices):
    PASSED = "passed", _("accepted by the residents")
    FAILED = "failed", _("not accepted: to be put right")


class FundProject(TimeStampedModel):
    """An estate's project on a fund. Stores its estate's path and its street's and community's (kept by the
    services), so lists filter in the database; `requested_amount` is the sum of its budget lines."""

    fund = models.ForeignKey(Fund, verbose_name=_("micro-governance fund"), on_delete=models.PROTECT, related_name="projects")
    estate = models.ForeignKey("core.Place", verbose_name=_("estate"), on_delete=models.PROTECT,
                               related_name="fund_projects")
    place_path = models.CharField(max_length=255, editable=False)
    street_path = models.CharField(max_length=255, editable=False, default="")
    community_path = models.CharField(max_length=255, editable=False, default="")
    title = models.CharField(_("project title"), max_length=200)
    description = models.TextField(_("what the project does"), blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=FundStage.choices, default=FundStage.DRAFT)
    returned = models.BooleanField(_("returned for changes"), default=False)
    requested_amount = money(_("requested (yuan)"))
    approved_amount = money(_("approved (yuan)"))
    disbursed_amount = money(_("disbursed (yuan)"))
    resolution = models.ForeignKey("deliberation.Resolution", verbose_name=_("supporting meeting resolution"),
                                   null=True, blank=True, on_delete=models.PROTECT, related_name="fund_projects")
    vote = models.ForeignKey("deliberation.Vote", verbose_name=_("supporting owners' vote"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="fund_projects")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applying user"), on_delete=models.PROTECT,
                                  related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    accepted_on = models.DateField(_("residents' acceptance on"), null=True, blank=True)
    acceptance_result = models.CharField(_("acceptance result"), max_length=8, choices=AcceptanceResult.choices,
                                         blank=True)
    acceptance_note = models.TextField(_("acceptance note"), blank=True)

    history = AuditHistory()
    scope_path = "place_path"
    place_path_fields = ("place_path",)
    scope_prefixes = {"street_path": 2, "community_path": 3}

    class Meta:
        verbose_name = _("fund project")
        verbose_name_plural = _("fund projects")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_amount__gte=0, disbursed_amount__gte=0)
                & Q(approved_amount__gte=F("disbursed_amount")),
                name="fundproject_disbursed_within_approved"),
            models.CheckConstraint(
                condition=Q(approved_amount=0) | Q(stage__in=["approved", "completed"]),
                name="fundproject_approved_amount_when_approved"),
        ]
        indexes = [
            models.Index(fields=["fund", "stage"], name="fundproject_fund_stage"),
            models.Index(fields=["place_path"], name="fundproject_place_path"),
            models.Index(fields=["street_path", "stage"], name="fundproject_street"),
            models.Index(fields=["community_path", "stage"], name="fundproject_community"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def left_to_pay(self) -> Decimal:
        return self.approved_amount - self.disbursed_amount


class BudgetLine(models.Model):
    """One line of a project's budget; `amount` = quantity × unit price, computed by the service."""

    project = models.ForeignKey(FundProject, on_delete=models.CASCADE, related_name="budget_lines")
    position = models.PositiveSmallIntegerField(_("line number"), default=0)
    item = models.CharField(_("budget item"), max_length=200)
    quantity = models.DecimalField(_("quantity bought"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit of measure"), max_length=20)
    unit_price = money(_("unit price (yuan)"))
    amount = money(_("line amount (yuan)"))

    scope_path = "project__place_path"

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["project", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0, unit_price__gte=0, amount__gte=0),
                                   name="budgetline_amounts_positive"),
        ]

    def __str__(self) -> str:
        return self.item


class ReviewLevel(models.TextChoices):
    COMMUNITY = "community", _("community review")
    STREET = "street", _("street review")
    FUND_OFFICE = "fund_office", _("fund office review")


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", pgettext_lazy("review decision", "approve")
    RETURN = "return", _("return for changes")
    REJECT = "reject", pgettext_lazy("review decision", "reject")


class ProjectReview(TimeStampedModel):
    """One review of a project at one level: its decision and comment (the review trail)."""

    project = models.ForeignKey(FundProject, on_delete=models.PROTECT, related_name="reviews")
    level = models.CharField(_("review level"), max_length=12, choices=ReviewLevel.choices)
    decision = models.CharField(_("review decision"), max_length=8, choices=ReviewDecision.choices)
    comment = models.TextField(_("review comment"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), on_delete=models.PROTECT,
                              related_name="+")

    scope_path = "project__place_path"

    class Meta:
        verbose_name = _("fund project review")
        verbose_name_plural = _("fund project reviews")
        ordering = ["project", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.project_id} · {self.level} · {self.decision}"


class Disbursement(TimeStampedModel):
    """A payment to a project against a receipt (stored through the one upload path)."""

    project = models.ForeignKey(FundProject, on_delete=models.PROTECT, related_name="disbursements")
    amount = money(_("amount paid (yuan)"))
    paid_on = models.DateField(_("paid on"))
    receipt = models.FileField(_("payment receipt"), upload_to="fund/receipts/%Y/%m/")
    receipt_type = models.CharField(max_length=100, editable=False)
    note = models.CharField(_("payment note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")

    history = AuditHistory()
    scope_path = "project__place_path"

    class Meta:
        verbose_name = _("fund disbursement")
        verbose_name_plural = _("fund disbursements")
        ordering = ["project", "paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive")]

    def __str__(self) -> str:
        return f"{self.project_id} · {self.amount}"


class PhotoKind(models.TextChoices):
    BEFORE = "before", _("before the work")
    AFTER = "after", _("after the work")


class ProjectPhoto(TimeStampedModel):
    """A photo of the place before or after the work (stored through the one upload path)."""

    project = models.ForeignKey(FundProject, on_delete=models.PROTECT, related_name="photos")
    kind = models.CharField(_("photo taken"), max_length=8, choices=PhotoKind.choices)
    image = models.FileField(_("project photo"), upload_to="fund/photos/%Y/%m/")
    image_type = models.CharField(max_length=100, editable=False)
    caption = models.CharField(_("photo caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")

    scope_path = "project__place_path"

    class Meta:
        verbose_name = _("fund project photo")
        verbose_name_plural = _("fund project photos")
        ordering = ["project", "kind", "pk"]

    def __str__(self) -> str:
        return self.caption or self.kind
