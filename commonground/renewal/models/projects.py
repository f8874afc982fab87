"""A renewal campaign (危旧房有机更新项目): its estate, phases, thresholds, organisation and the households in it."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.models.base import AreaField, AuditHistory, PortableIndex
from commonground.core.models.places import SEGMENT_WIDTH


class AgreementsState(models.TextChoices):
    """Whether the project's agreements have taken effect (RULES §3: only if the signing ratio fixed in the plan
    is reached within the signing period; otherwise none takes effect)."""

    PENDING = "pending", _("conditional: waiting for the signing threshold")
    EFFECTIVE = "effective", _("in effect")
    LAPSED = "lapsed", _("lapsed: threshold not reached in time")


class Project(TimeStampedModel):
    """One campaign on one estate. Phases are dates; thresholds are fractions set per project."""

    name = models.CharField(_("name"), max_length=100)
    estate = models.ForeignKey("core.Place", verbose_name=_("estate"), on_delete=models.PROTECT,
                               related_name="renewal_projects")
    estate_path = models.CharField(max_length=255, editable=False, db_index=True)
    consent_threshold = models.DecimalField(_("consent threshold"), max_digits=5, decimal_places=4,
                                            default=Decimal("0.9000"))
    effect_threshold = models.DecimalField(_("signing threshold for effect"), max_digits=5, decimal_places=4,
                                           default=Decimal("0.8000"))
    mobilised_on = models.DateField(_("mobilisation"), null=True, blank=True)
    survey_from = models.DateField(_("consent survey from"), null=True, blank=True)
    survey_until = models.DateField(_("consent survey until"), null=True, blank=True)
    plan_published_on = models.DateField(_("plan published for comment on"), null=True, blank=True)
    comment_until = models.DateField(_("comments until"), null=True, blank=True)
    assessment_from = models.DateField(_("household assessment from"), null=True, blank=True)
    signing_from = models.DateField(_("signing from"), null=True, blank=True)
    signing_until = models.DateField(_("signing until"), null=True, blank=True)
    selection_from = models.DateField(_("flat selection from"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    agreements_state = models.CharField(_("agreements"), max_length=12, choices=AgreementsState.choices,
                                        default=AgreementsState.PENDING)
    agreements_decided_at = models.DateTimeField(_("agreements decided at"), null=True, blank=True)

    history = AuditHistory()
    scope_path = "estate_path"
    place_path_fields = ("estate_path",)

    class Meta:
        verbose_name = _("renewal project")
        verbose_name_plural = _("renewal projects")
        ordering = ["-signing_from", "pk"]
        constraints = [
            # RULES §3: the signing threshold fixed in the plan is at least 80%.
            models.CheckConstraint(condition=Q(effect_threshold__gte=Decimal("0.8"), effect_threshold__lte=1),
                                   name="project_effect_threshold_at_least_80"),
            models.CheckConstraint(condition=Q(consent_threshold__gt=0, consent_threshold__lte=1),
                                   name="project_consent_threshold_fraction"),
            models.CheckConstraint(
                condition=Q(signing_until__isnull=True) | Q(signing_from__isnull=True)
                | Q(signing_until__gte=F("signing_from")),
                name="project_signing_period_ordered"),
            models.CheckConstraint(
                condition=Q(survey_until__isnull=True) | Q(survey_from__isnull=True)
                | Q(survey_until__gte=F("survey_from")),
                name="project_survey_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """Who sees a project without a role at its estate: a member whose role lies at one of its buildings
        (a field work group), and an owner of one of its households."""
        if action != "renewal.view":
            return None
        from commonground.core.permissions import scope_paths  # the resolver sits above the models

        condition = Q(pk__in=[])
        below = {path[:cut] for path in scope_paths(user, action) or []
                 for cut in range(SEGMENT_WIDTH, len(path) + 1, SEGMENT_WIDTH)}
        if below:
            condition |= Q(estate_path__in=below)
        if getattr(user, "person_id", None):
            condition |= Q(Exists(Household.owners.through.objects.filter(
                household__project=OuterRef("pk"), person_id=user.person_id)))
        return condition

    def is_own(self, user, action: str) -> bool:
        condition = self.own_q(user, action)
        return condition is not None and Project.objects.filter(condition, pk=self.pk).exists()


class WorkGroupKind(models.TextChoices):
    LEADING = "leading", _("leading group")
    OFFICE = "office", _("project office")
    MASS_WORK = "mass_work", _("mass-work group")
    POLICY = "policy", _("policy group")
    FIELD = "field", _("field work group")


class WorkGroup(TimeStampedModel):
    """A group of the campaign's organisation; a field work group (现场工作组) owns buildings."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="work_groups")
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=12, choices=WorkGroupKind.choices, default=WorkGroupKind.FIELD)
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("leader"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="renewal_work_groups",
                                     verbose_name=_("members"))
    buildings = models.ManyToManyField("core.Place", through="WorkGroupBuilding", blank=True,
                                       related_name="renewal_work_groups", verbose_name=_("buildings"))

    scope_path = "project__estate_path"

    class Meta:
        verbose_name = _("work group")
        verbose_name_plural = _("work groups")
        ordering = ["project", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="workgroup_unique_name")]

    def __str__(self) -> str:
        return self.name


class WorkGroupBuilding(models.Model):
    """A building a field work group owns: one group per building in a project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(WorkGroup, on_delete=models.CASCADE, related_name="owned")
    building = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+")

    scope_path = "building__path"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "building"], name="workgroupbuilding_one_group")]

    def __str__(self) -> str:
        return f"{self.group} · {self.building}"


class ConsentAnswer(models.TextChoices):
    AGREE = "agree", _("agrees")
    DISAGREE = "disagree", _("disagrees")


class Outcome(models.TextChoices):
    """A visit's outcome, in the order a household moves through them."""

    NOT_HOME = "not_home", _("not at home")
    REFUSED = "refused", _("refused to talk")
    CONSIDERING = "considering", _("considering")
    CONCERNS = "concerns", _("concerns raised")
    AGREED = "agreed", _("agreed to sign")
    SIGNED = "signed", _("signed")


class Household(TimeStampedModel):
    """A flat's owner household in the campaign, taken from the ownership register when the project is set up
    (co-owners and the certified area as registered then). Carries its scope (the flat's path, its street's and
    community's) and the figures its lists need (last visit, consent, signing), kept by the services."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="households")
    flat = models.ForeignKey("core.Place", verbose_name=_("flat"), on_delete=models.PROTECT,
                             related_name="renewal_households")
    building = models.ForeignKey("core.Place", verbose_name=_("building"), on_delete=models.PROTECT,
                                 related_name="+")
    group = models.ForeignKey(WorkGroup, null=True, blank=True, verbose_name=_("work group"),
                              on_delete=models.SET_NULL, related_name="households")
    owners = models.ManyToManyField("core.Person", related_name="renewal_households", verbose_name=_("owners"))
    owner_names = models.CharField(_("owners"), max_length=200)
    area_m2 = AreaField(_("certified area (m²)"))
    floor = models.PositiveSmallIntegerField(_("floor"))
    place_path = models.CharField(max_length=255, editable=False)
    street_path = models.CharField(max_length=255, editable=False, default="")
    unit_path = models.CharField(max_length=255, editable=False, default="")
    visits_count = models.PositiveIntegerField(_("visits"), default=0)
    last_visit_at = models.DateTimeField(_("last visit"), null=True, blank=True)
    last_outcome = models.CharField(_("last outcome"), max_length=12, choices=Outcome.choices, blank=True)
    consent = models.CharField(_("consent"), max_length=12, choices=ConsentAnswer.choices, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("signing number"), null=True, blank=True)

    history = AuditHistory()
    scope_path = "place_path"
    place_path_fields = ("place_path",)
    scope_prefixes = {"street_path": 2, "unit_path": 3}

    class Meta:
        verbose_name = _("renewal household")
        verbose_name_plural = _("renewal households")
        ordering = ["project", "place_path"]
        constraints = [
            models.UniqueConstraint(fields=["project", "flat"], name="household_one_per_flat"),
            models.UniqueConstraint(fields=["project", "sequence"], name="household_unique_sequence"),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="household_area_positive"),
            models.CheckConstraint(condition=Q(sequence__isnull=True) | Q(signed_at__isnull=False),
                                   name="household_sequence_when_signed"),
        ]
        indexes = [
            models.Index(fields=["project", "place_path"], name="household_project_path"),
            PortableIndex(F("project"), F("signed_at"), name="household_project_signed"),
            # progress: households and signatures counted per building and group, from the index alone
            models.Index(fields=["project", "building", "group", "signed_at"], name="household_progress"),
            # the holdout list: unsigned, least recently visited first (never visited before all)
            PortableIndex(F("project"), F("last_visit_at").asc(nulls_first=True), F("place_path"),
                          condition=Q(signed_at__isnull=True), name="household_holdouts"),
        ]

    def __str__(self) -> str:
        return str(self.flat)

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """An owner sees their own household (its options, its agreement)."""
        if action == "renewal.view" and getattr(user, "person_id", None):
            return Q(Exists(cls.owners.through.objects.filter(household=OuterRef("pk"), person_id=user.person_id)))
        return None

    def is_own(self, user, action: str) -> bool:
        return action == "renewal.view" and bool(getattr(user, "person_id", None)) and \
            self.owners.filter(pk=user.person_id).exists()
