"""Organisations of every kind, each at a place, with members and terms."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..validators import validate_credit_code
from .base import AuditHistory, TimeStampedModel


class OrganisationKind(models.TextChoices):
    RESIDENTS_COMMITTEE = "residents_committee", _("residents' committee")
    OWNERS_COMMITTEE = "owners_committee", _("owners' committee")
    PROPERTY_COMPANY = "property_company", _("property company")
    PARTY_ORGANISATION = "party_organisation", _("party organisation")
    MASS_ASSOCIATION = "mass_association", _("mass association")
    THREE_PARTY_OFFICE = "three_party_office", _("three-party office")
    BUILDING_COMMITTEE = "building_committee", _("building governance committee")
    COURIERS_COUNCIL = "couriers_council", _("couriers' council")
    RENEWAL_WORK_GROUP = "renewal_work_group", _("renewal work group")
    GOVERNMENT_DEPARTMENT = "government_department", _("government department")
    DEVELOPER = "developer", _("property developer")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def of_kind(self, *kinds: str) -> OrganisationQuerySet:
        return self.filter(kind__in=kinds)

    def active_on(self, day) -> OrganisationQuerySet:
        return self.filter(Q(established_on__isnull=True) | Q(established_on__lte=day)).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day)
        )


class Organisation(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices, db_index=True)
    place = models.ForeignKey("core.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="organisations")
    parent = models.ForeignKey(
        "self", verbose_name=_("parent organisation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, null=True, blank=True,
        validators=[validate_credit_code],
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    members = models.ManyToManyField("core.Person", through="OrganisationMembership", related_name="organisations")

    history = AuditHistory()
    objects = OrganisationQuerySet.as_manager()
    scope_path = "place__path"

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["place__path", "kind", "name"]
        indexes = [models.Index(fields=["kind", "place"], name="organisation_kind_place")]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(established_on__isnull=True)
                | Q(dissolved_on__gt=models.F("established_on")),
                name="organisation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationMembership(TimeStampedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="organisation_memberships")
    position = models.CharField(_("position"), max_length=100, blank=True)
    term_from = models.DateField(_("term from"), null=True, blank=True)
    term_to = models.DateField(_("term to"), null=True, blank=True)

    history = AuditHistory()
    scope_path = "organisation__place__path"

    class Meta:
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")
        ordering = ["organisation", "term_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_to__isnull=True) | Q(term_from__isnull=True) | Q(term_to__gte=models.F("term_from")),
                name="membership_term_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.position or self.organisation}"
