"""Job postings (招聘岗位) and job fairs (招聘会): an employer's positions posted at a place, grouped by a job fair
(an activity of kind `job_fair`), and the people who said they are interested.

Positions are counted by posting: a fair's positions are the sum of its postings' `positions`, never a figure
typed by hand. The employer is a name with an optional unified social credit code (the district's enterprise
ledger comes later), and optionally an organisation of the platform or the office building it works from.
A posting's scope is the place it is posted at (`place_path`, with its street's and community's paths), so an
enterprise contact posts at their office building and a street's staff at their street.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.models.base import AuditHistory
from commonground.core.validators import validate_credit_code

__all__ = ["JobInterest", "JobPosting", "PostingAudience", "PostingStatus"]


class PostingAudience(models.TextChoices):
    EVERYONE = "everyone", _("open to all job seekers")
    COURIER_FAMILIES = "courier_families", _("couriers' family members")
    NEW_EMPLOYMENT = "new_employment", _("couriers, riders and drivers")
    RESIDENTS = "residents", _("residents of the posting's area")


class PostingStatus(models.TextChoices):
    DRAFT = "draft", _("draft posting")
    PUBLISHED = "published", _("posting published")
    CLOSED = "closed", _("posting filled or closed")


class JobPosting(TimeStampedModel):
    title = models.CharField(_("job title"), max_length=200)
    employer_name = models.CharField(_("employer's name"), max_length=200)
    employer_credit_code = models.CharField(_("employer's unified social credit code"), max_length=18, blank=True,
                                            validators=[validate_credit_code])
    employer_organisation = models.ForeignKey(
        "core.Organisation", verbose_name=_("employer on the platform"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="job_postings")
    employer_place = models.ForeignKey(
        "core.Place", verbose_name=_("employer's office building"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="employer_job_postings")
    positions = models.PositiveIntegerField(_("positions offered"))
    pay_min = models.DecimalField(_("lowest monthly pay (yuan)"), max_digits=14, decimal_places=2, null=True,
                                  blank=True)
    pay_max = models.DecimalField(_("highest monthly pay (yuan)"), max_digits=14, decimal_places=2, null=True,
                                  blank=True)
    requirements = models.TextField(_("job requirements"), blank=True)
    work_location = models.CharField(_("place of work"), max_length=200, blank=True)
    work_place = models.ForeignKey("core.Place", verbose_name=_("place of work on the map"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="work_job_postings")
    audience = models.CharField(_("posting open to"), max_length=20, choices=PostingAudience.choices,
                                default=PostingAudience.EVERYONE)
    status = models.CharField(_("posting status"), max_length=12, choices=PostingStatus.choices,
                              default=PostingStatus.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closes_on = models.DateField(_("applications close on"), null=True, blank=True)
    fair = models.ForeignKey("programs.Activity", verbose_name=_("job fair"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="job_postings")
    place = models.ForeignKey("core.Place", verbose_name=_("posted at (place)"), on_delete=models.PROTECT,
                              related_name="job_postings")
    place_path = models.CharField(max_length=255, editable=False)
    street_path = models.CharField(max_length=255, editable=False, default="")
    community_path = models.CharField(max_length=255, editable=False, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("posted by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    history = AuditHistory()
    scope_path = "place_path"
    place_path_fields = ("place_path",)
    scope_prefixes = {"street_path": 2, "community_path": 3}

    class Meta:
        verbose_name = _("job posting")
        verbose_name_plural = _("job postings")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(positions__gte=1), name="jobposting_positions_positive"),
            models.CheckConstraint(condition=Q(pay_min__isnull=True) | Q(pay_min__gte=0),
                                   name="jobposting_pay_min_not_negative"),
            models.CheckConstraint(condition=Q(pay_max__isnull=True) | Q(pay_max__gte=0),
                                   name="jobposting_pay_max_not_negative"),
            models.CheckConstraint(condition=Q(pay_min__isnull=True) | Q(pay_max__isnull=True)
                                   | Q(pay_max__gte=F("pay_min")), name="jobposting_pay_range_ordered"),
            models.CheckConstraint(condition=Q(status__in=PostingStatus.values), name="jobposting_status_valid"),
            models.CheckConstraint(condition=Q(audience__in=PostingAudience.values),
                                   name="jobposting_audience_valid"),
            models.CheckConstraint(condition=~Q(status="published") | Q(published_at__isnull=False),
                                   name="jobposting_published_has_time"),
            models.CheckConstraint(condition=~Q(status="closed") | Q(closed_at__isnull=False),
                                   name="jobposting_closed_has_time"),
            models.CheckConstraint(condition=Q(employer_credit_code="") | Q(employer_credit_code__regex=r"^[0-9A-Z]{18}$"),
                                   name="jobposting_credit_code_shape"),
        ]
        indexes = [
            models.Index(fields=["status", "published_at"], name="jobposting_status_published"),
            models.Index(fields=["street_path", "published_at"], name="jobposting_street_published"),
            models.Index(fields=["community_path", "published_at"], name="jobposting_community_published"),
            models.Index(fields=["place_path", "published_at"], name="jobposting_place_published"),
        ]

    def __str__(self) -> str:
        return f"{self.employer_name} · {self.title}"

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """A published (or closed) posting is on the noticeboard: everyone signed in sees it."""
        if action == "posting.view" and getattr(user, "is_authenticated", False):
            return ~Q(status=PostingStatus.DRAFT)
        return None

    def is_own(self, user, action: str) -> bool:
        return action == "posting.view" and getattr(user, "is_authenticated", False) and \
            self.status != PostingStatus.DRAFT


class JobInterest(TimeStampedModel):
    """A person said they are interested in a posting (once per posting; withdrawn and expressed again on the same
    row). With `phone_consent` the employer may call them on their phone."""

    posting = models.ForeignKey(JobPosting, verbose_name=_("job posting"), on_delete=models.PROTECT,
                                related_name="interests")
    person = models.ForeignKey("core.Person", verbose_name=_("interested person"), on_delete=models.PROTECT,
                               related_name="job_interests")
    expressed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="job_interests")
    note = models.CharField(_("note to the employer"), max_length=500, blank=True)
    phone_consent = models.BooleanField(_("the employer may call me"), default=False)
    expressed_at = models.DateTimeField(_("interest expressed at"))
    withdrawn_at = models.DateTimeField(_("interest withdrawn at"), null=True, blank=True)
    place_path = models.CharField(max_length=255, editable=False)

    history = AuditHistory()
    scope_path = "place_path"
    place_path_fields = ("place_path",)

    class Meta:
        verbose_name = _("interest in a job posting")
        verbose_name_plural = _("interests in job postings")
        ordering = ["posting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["posting", "person"], name="jobinterest_one_per_person"),
            models.CheckConstraint(condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("expressed_at")),
                                   name="jobinterest_withdrawn_after_expressed"),
        ]
        indexes = [
            models.Index(fields=["posting", "withdrawn_at"], name="jobinterest_posting_active"),
            models.Index(fields=["person", "withdrawn_at"], name="jobinterest_person_active"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.posting}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """A person sees their own interests (and the ones they recorded for others)."""
        if action != "posting.view" or not getattr(user, "is_authenticated", False):
            return None
        condition = Q(expressed_by_id=user.pk)
        if getattr(user, "person_id", None):
            condition |= Q(person_id=user.person_id)
        return condition

    def is_own(self, user, action: str) -> bool:
        return action == "posting.view" and getattr(user, "is_authenticated", False) and (
            self.expressed_by_id == user.pk or (bool(user.person_id) and self.person_id == user.person_id))
