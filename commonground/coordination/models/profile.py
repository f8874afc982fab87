"""The estate governance profile's own records: the property service contract (物业服务合同) of an estate and the
filing (备案) of its owners' committee with the street office. Everything else on the profile (the three parties'
organisations, the grid, cases, meetings, votes) is read from the apps that own it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.models.base import AuditHistory

__all__ = ["CommitteeFiling", "PropertyContract", "ServiceLevel"]

# RULES.md §2: an owners' committee's term is 3 to 5 years in Hangzhou; it files with the street office within 30
# days of its election. The services check these with their own messages; the database holds the outer bounds.
TERM_MIN_YEARS = 3
TERM_MAX_YEARS = 5
FILING_DAYS = 30


class ServiceLevel(models.TextChoices):
    """Hangzhou's residential property service levels (杭州市住宅物业服务等级标准): 一级 is the highest, 五级 the
    basic one; a contract names the level it buys, and the fee guidance follows it."""

    LEVEL_1 = "1", _("Service level 1 (highest)")
    LEVEL_2 = "2", _("Service level 2")
    LEVEL_3 = "3", _("Service level 3")
    LEVEL_4 = "4", _("Service level 4")
    LEVEL_5 = "5", _("Service level 5 (basic)")


class PropertyContract(TimeStampedModel):
    """A property service contract between an estate (its owners) and a property company, for a period."""

    estate = models.ForeignKey("core.Place", verbose_name=_("estate"), on_delete=models.PROTECT,
                               related_name="property_contracts")
    company = models.ForeignKey("core.Organisation", verbose_name=_("property company"), on_delete=models.PROTECT,
                                related_name="property_contracts")
    starts_on = models.DateField(_("contract starts on"))
    ends_on = models.DateField(_("contract ends on"))
    fee_per_m2 = models.DecimalField(_("property fee (yuan per m² per month)"), max_digits=14, decimal_places=2)
    service_level = models.CharField(_("service standard level"), max_length=2, choices=ServiceLevel.choices)
    decided_by = models.ForeignKey("deliberation.Vote", verbose_name=_("decided by the owners' vote"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="property_contracts")
    note = models.CharField(_("contract note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    # the estate's path and its street's, copied by the services (scoped reads need no join; place_move keeps them)
    estate_path = models.CharField(max_length=255, editable=False)
    street_path = models.CharField(max_length=255, editable=False, default="")

    history = AuditHistory()
    scope_path = "estate_path"
    place_path_fields = ("estate_path",)
    scope_prefixes = {"street_path": 2}

    class Meta:
        verbose_name = _("property service contract")
        verbose_name_plural = _("property service contracts")
        ordering = ["estate_path", "-ends_on", "-pk"]
        indexes = [models.Index(fields=["street_path", "estate_path", "ends_on"], name="property_contract_street"),
                   models.Index(fields=["estate_path", "ends_on"], name="property_contract_estate")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="property_contract_period_ordered"),
            models.CheckConstraint(condition=Q(fee_per_m2__gte=0), name="property_contract_fee_not_negative"),
            models.CheckConstraint(condition=Q(service_level__in=ServiceLevel.values),
                                   name="property_contract_level_known"),
        ]

    def __str__(self) -> str:
        return f"{self.estate_id} {self.starts_on}–{self.ends_on}"


class CommitteeFiling(TimeStampedModel):
    """The filing (备案) of an owners' committee's term with the street office: who, for which term, how many
    members, filed when. The term on file is the committee's term for the warnings."""

    committee = models.ForeignKey("core.Organisation", verbose_name=_("owners' committee on file"),
                                  on_delete=models.PROTECT, related_name="committee_filings")
    estate = models.ForeignKey("core.Place", verbose_name=_("estate"), on_delete=models.PROTECT,
                               related_name="committee_filings")
    term_from = models.DateField(_("committee term from"))
    term_to = models.DateField(_("committee term to"))
    filed_on = models.DateField(_("filed on"))
    members = models.PositiveSmallIntegerField(_("committee members"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    estate_path = models.CharField(max_length=255, editable=False)
    street_path = models.CharField(max_length=255, editable=False, default="")

    history = AuditHistory()
    scope_path = "estate_path"
    place_path_fields = ("estate_path",)
    scope_prefixes = {"street_path": 2}

    class Meta:
        verbose_name = _("owners' committee filing")
        verbose_name_plural = _("owners' committee filings")
        ordering = ["estate_path", "-term_from", "-pk"]
        indexes = [models.Index(fields=["street_path", "estate_path", "term_to"], name="committee_filing_street"),
                   models.Index(fields=["estate_path", "term_to"], name="committee_filing_estate")]
        constraints = [
            models.UniqueConstraint(fields=["committee", "term_from"], name="committee_filing_one_per_term"),
            models.CheckConstraint(condition=Q(term_to__gt=F("term_from")), name="committee_filing_term_ordered"),
            # the term's length (3 to 5 calendar years) is the service's check: date arithmetic in a CHECK is not
            # portable to SQLite
            models.CheckConstraint(condition=Q(filed_on__gte=F("term_from")), name="committee_filing_after_election"),
            models.CheckConstraint(condition=Q(members__gte=3, members__lte=11), name="committee_filing_members_3_to_11"),
        ]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.term_from}–{self.term_to}"
