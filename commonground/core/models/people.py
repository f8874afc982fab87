"""People, households and ownership of flats.

Personal data (resident ID number, phone) is declared once here, kept out of the audit
history and of every `__str__`/`repr`, and masked by `core.masking` for roles that
need not see it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Right
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..validators import validate_id_number, validate_phone
from .base import AreaField, AuditHistory, TimeStampedModel
from .places import within_q

PERSONAL_DATA_FIELDS = ("id_number", "phone")
PHONE_TAIL_LENGTH = 4
OWN_PERSON_ACTIONS = {"person.view", "person.view_personal_data"}


class Gender(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Person(TimeStampedModel):
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    name_pinyin = models.CharField(_("name (pinyin)"), max_length=300, blank=True, db_index=True, editable=False)
    # Search keys kept by the services (and by every bulk writer through `search_keys`), indexed so that a
    # search by pinyin initials ("zs" for 张三) or by a phone's last digits is a prefix match on an index.
    name_initials = models.CharField(_("name initials (pinyin)"), max_length=100, blank=True, db_index=True,
                                     editable=False)
    id_number = models.CharField(
        _("resident ID number"), max_length=18, unique=True, null=True, blank=True, validators=[validate_id_number],
        error_messages={"unique": _("This ID number is already registered. Search for the person instead of "
                                    "registering them again.")},
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    phone_tail = models.CharField(_("last digits of the phone"), max_length=PHONE_TAIL_LENGTH, blank=True,
                                  db_index=True, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    registered_place = models.ForeignKey(
        "core.Place", verbose_name=_("registered at"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="registered_people",
        help_text=_("Where staff registered this person; keeps them in that scope before any household or title."),
    )

    history = AuditHistory(excluded_fields=[*PERSONAL_DATA_FIELDS, "phone_tail"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_pinyin", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(phone_tail=Right("phone", PHONE_TAIL_LENGTH)),
                                   name="person_phone_tail_of_phone"),
        ]

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:  # never show personal data in logs or tracebacks
        return f"<Person {self.pk}>"

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """Everyone may see their own person record, personal data included."""
        if action in OWN_PERSON_ACTIONS and getattr(user, "person_id", None):
            return Q(pk=user.person_id)
        return None

    def is_own(self, user, action: str) -> bool:
        return action in OWN_PERSON_ACTIONS and self.pk == getattr(user, "person_id", None)

    @classmethod
    def scope_q(cls, paths: list[str]) -> Q:
        """People registered, living, owning or serving an organisation in any of these subtrees."""
        lives = HouseholdMember.objects.filter(within_q("household__flat__path", paths), person=OuterRef("pk"))
        owns = Ownership.objects.filter(within_q("flat__path", paths), person=OuterRef("pk"))
        from .organisations import OrganisationMembership

        serves = OrganisationMembership.objects.filter(
            within_q("organisation__place__path", paths), person=OuterRef("pk")
        )
        return within_q("registered_place__path", paths) | Q(Exists(lives)) | Q(Exists(owns)) | Q(Exists(serves))


class Relation(models.TextChoices):
    HEAD = "head", _("head of household")
    SPOUSE = "spouse", _("spouse")
    CHILD = "child", _("child")
    PARENT = "parent", pgettext_lazy("household relation", "parent")
    GRANDCHILD = "grandchild", _("grandchild")
    OTHER = "other", _("other relative")
    TENANT = "tenant", _("tenant")


class Household(TimeStampedModel):
    flat = models.ForeignKey("core.Place", verbose_name=_("flat"), on_delete=models.PROTECT, related_name="household_set")
    head = models.ForeignKey(
        Person, verbose_name=_("head"), null=True, blank=True, on_delete=models.PROTECT, related_name="headed_households"
    )
    members = models.ManyToManyField(Person, through="HouseholdMember", related_name="households")
    registered_on = models.DateField(_("registered on"), null=True, blank=True)

    history = AuditHistory()
    scope_path = "flat__path"

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """A resident sees the household they belong to."""
        if action == "household.view" and getattr(user, "person_id", None):
            return Q(Exists(HouseholdMember.objects.filter(household=OuterRef("pk"), person_id=user.person_id)))
        return None

    def is_own(self, user, action: str) -> bool:
        return action == "household.view" and bool(getattr(user, "person_id", None)) and \
            self.memberships.filter(person_id=user.person_id).exists()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["flat__path", "pk"]

    def __str__(self) -> str:
        return str(_("Household at %(flat)s") % {"flat": self.flat.name})


class HouseholdMember(TimeStampedModel):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="household_memberships")
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices, default=Relation.OTHER)

    history = AuditHistory()
    scope_path = "household__flat__path"

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.UniqueConstraint(fields=["household", "person"], name="household_member_once"),
            models.UniqueConstraint(
                fields=["household"], condition=Q(relation="head"), name="household_one_head"
            ),
        ]


class OwnershipQuerySet(models.QuerySet["Ownership"]):
    def current(self, on=None) -> OwnershipQuerySet:
        """Ownerships in force on date `on` (today when omitted)."""
        from ..clock import today

        on = on or today()
        return self.filter(Q(acquired_on__isnull=True) | Q(acquired_on__lte=on)).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=on)
        )


class Ownership(TimeStampedModel):
    """One owner's title to a flat, with the flat's exclusive area from the property register.

    Co-owners of one flat hold one row each, with the same area; unsold flats are held by
    the developer (an organisation).
    """

    flat = models.ForeignKey("core.Place", verbose_name=_("flat"), on_delete=models.PROTECT, related_name="ownerships")
    person = models.ForeignKey(
        Person, verbose_name=_("owner"), null=True, blank=True, on_delete=models.PROTECT, related_name="ownerships"
    )
    organisation = models.ForeignKey(
        "core.Organisation", verbose_name=_("owning organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="ownerships",
    )
    exclusive_area_m2 = AreaField(_("exclusive area (m²)"))
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    history = AuditHistory()
    objects = OwnershipQuerySet.as_manager()
    scope_path = "flat__path"

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """An owner sees their own titles."""
        if action == "ownership.view" and getattr(user, "person_id", None):
            return Q(person_id=user.person_id)
        return None

    def is_own(self, user, action: str) -> bool:
        return action == "ownership.view" and self.person_id is not None and \
            self.person_id == getattr(user, "person_id", None)

    class Meta:
        verbose_name = _("ownership")
        verbose_name_plural = _("ownerships")
        ordering = ["flat__path", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organisation__isnull=True))
                | (Q(person__isnull=True) & Q(organisation__isnull=False)),
                name="ownership_one_holder",
            ),
            models.CheckConstraint(condition=Q(exclusive_area_m2__gt=0), name="ownership_area_positive"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(acquired_on__isnull=True) | Q(ended_on__gt=models.F("acquired_on")),
                name="ownership_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["flat", "person"], condition=Q(ended_on__isnull=True, person__isnull=False),
                name="ownership_person_once_per_flat",
            ),
            models.UniqueConstraint(
                fields=["flat", "organisation"], condition=Q(ended_on__isnull=True, organisation__isnull=False),
                name="ownership_org_once_per_flat",
            ),
        ]

    def __str__(self) -> str:
        holder = self.person or self.organisation
        return f"{holder} — {self.flat}"
