"""Users and their scoped roles: each role is held at one place, for a period."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .base import AuditHistory, TimeStampedModel
from .places import is_root_path, within_q


class User(AbstractUser):
    """A login. It may stand for a person (resident, worker) or an organisation (an enterprise)."""

    person = models.OneToOneField(
        "core.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )
    organisation = models.ForeignKey(
        "core.Organisation", verbose_name=_("organisation"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="users",
    )
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    must_change_password = models.BooleanField(
        _("must change password"), default=False,
        help_text=_("Set when the community resets the password: the user chooses a new one at the next login."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @classmethod
    def scope_q(cls, paths: list[str]) -> Q:
        """Users have no place: they are reached through their roles' places; role-less users and
        nobody's superusers only from a root place."""
        holds_role_inside = RoleAssignment.objects.filter(within_q("scope__path", paths), user=OuterRef("pk"))
        condition = Q(Exists(holds_role_inside))
        if any(is_root_path(path) for path in paths):
            condition |= ~Q(Exists(RoleAssignment.objects.filter(user=OuterRef("pk"))))
        return condition & Q(is_superuser=False)


class RoleKind(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("district administrator")
    STREET_STAFF = "street_staff", _("street staff")
    COMMUNITY_WORKER = "community_worker", _("community worker")
    GRID_WORKER = "grid_worker", _("grid worker")
    BUILDING_COMMISSIONER = "building_commissioner", _("building commissioner")
    RENEWAL_WORKER = "renewal_worker", _("renewal work-group member")
    PROPERTY_MANAGER = "property_manager", _("property manager")
    OWNERS_COMMITTEE_MEMBER = "owners_committee_member", _("owners' committee member")
    RESIDENT = "resident", _("resident / owner")
    ENTERPRISE_CONTACT = "enterprise_contact", _("enterprise contact")


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def active(self, on=None) -> RoleAssignmentQuerySet:
        from ..clock import today

        on = on or today()
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class RoleAssignment(TimeStampedModel):
    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=RoleKind.choices)
    scope = models.ForeignKey(
        "core.Place", verbose_name=_("scope"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    history = AuditHistory()
    objects = RoleAssignmentQuerySet.as_manager()
    scope_path = "scope__path"

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="role_assignment_dates_ordered",
            ),
            models.UniqueConstraint(fields=["user", "role", "scope", "valid_from"], name="role_assignment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} @ {self.scope}"
