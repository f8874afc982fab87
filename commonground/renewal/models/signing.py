"""Conditional agreements (附条件协议) signed by every co-owner, and the new flats chosen in signing order."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.models.base import AreaField, AuditHistory

from .projects import Household, Project
from .rulesets import OptionKind, RuleSet


class AgreementStatus(models.TextChoices):
    SIGNING = "signing", _("being signed")  # some co-owners have not signed yet
    SIGNED = "signed", _("signed, conditional")
    EFFECTIVE = "effective", _("in effect")
    LAPSED = "lapsed", _("lapsed")
    CANCELLED = "cancelled", _("cancelled")


class Agreement(TimeStampedModel):
    """A household's agreement: the option and figures of the rule-set version it was drawn from, frozen."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="agreements")
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="agreements")
    option = models.CharField(_("option"), max_length=16, choices=OptionKind.choices)
    total = models.DecimalField(_("total (yuan)"), max_digits=16, decimal_places=2)
    lines = models.JSONField(_("lines"))
    entitled_area_m2 = models.DecimalField(_("entitled area (m²)"), max_digits=9, decimal_places=2, null=True,
                                           blank=True)
    status = models.CharField(_("status"), max_length=12, choices=AgreementStatus.choices,
                              default=AgreementStatus.SIGNING)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    witness = models.CharField(_("witness"), max_length=100, blank=True)
    scan = models.FileField(_("signed scan"), upload_to="renewal/agreements/", blank=True)
    scan_type = models.CharField(max_length=40, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    # the household's signing number, kept when the agreement is cancelled (numbers are never given twice)
    sequence = models.PositiveIntegerField(_("signing number"), null=True, blank=True)
    # passed over in the flat choice (absent when their turn came): they may still choose, after their turn
    turn_passed_at = models.DateTimeField(_("passed over in the flat choice at"), null=True, blank=True)
    turn_passed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")

    history = AuditHistory()
    scope_path = "household__place_path"

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["household", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=~Q(status="cancelled"),
                                    name="agreement_one_standing_per_household"),
            models.CheckConstraint(condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                                   name="agreement_cancel_has_reason"),
            models.CheckConstraint(condition=Q(status="signing") | Q(status="cancelled") | Q(signed_at__isnull=False),
                                   name="agreement_signed_has_time"),
            models.CheckConstraint(condition=Q(signed_at__isnull=True) | Q(sequence__isnull=False),
                                   name="agreement_signed_has_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.household} · {self.get_option_display()}"

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """An owner sees their own household's agreements (to read, never to sign for others)."""
        if action == "renewal.view" and getattr(user, "person_id", None):
            return Q(Exists(Household.owners.through.objects.filter(household=OuterRef("household_id"),
                                                                    person_id=user.person_id)))
        return None

    def is_own(self, user, action: str) -> bool:
        return action == "renewal.view" and bool(getattr(user, "person_id", None)) and \
            Household.owners.through.objects.filter(household_id=self.household_id, person_id=user.person_id).exists()


class Signature(models.Model):
    """One co-owner's signature on an agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"))
    witness = models.CharField(_("witness"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scope_path = "agreement__household__place_path"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement", "person"], name="signature_once_per_owner")]

    def __str__(self) -> str:
        return f"{self.person} · {self.agreement}"


class NewFlat(models.Model):
    """A flat of the new buildings, to be chosen once (选房)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="new_flats")
    building = models.CharField(_("building"), max_length=20)
    floor = models.PositiveSmallIntegerField(_("floor"))
    number = models.CharField(_("flat number"), max_length=20)
    area_m2 = AreaField(_("area (m²)"))
    orientation = models.CharField(_("orientation"), max_length=20, blank=True)
    chosen_by = models.OneToOneField(Household, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="new_flat", verbose_name=_("chosen by"))
    chosen_at = models.DateTimeField(_("chosen at"), null=True, blank=True)

    scope_path = "project__estate_path"

    class Meta:
        verbose_name = _("new flat")
        verbose_name_plural = _("new flats")
        ordering = ["project", "building", "floor", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "building", "number"], name="newflat_unique_number"),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="newflat_area_positive"),
            models.CheckConstraint(condition=Q(chosen_by__isnull=True, chosen_at__isnull=True)
                                   | Q(chosen_by__isnull=False, chosen_at__isnull=False),
                                   name="newflat_chosen_with_time"),
        ]

    def __str__(self) -> str:
        return f"{self.building}-{self.number}"



