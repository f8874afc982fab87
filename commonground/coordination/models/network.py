"""The party and association network (一核多堡): which buildings each corridor party branch covers (包楼连片).

Three-party offices, party organisations and mass associations are core Organisations (kinds
three_party_office, party_organisation, mass_association) with their members as OrganisationMemberships;
this module adds only what core does not hold: a corridor branch's buildings.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel

__all__ = ["BranchBuilding", "OfficePosition"]


class OfficePosition(models.TextChoices):
    """The positions of a three-party office's staff, stored as written on the office's roster."""

    DIRECTOR = "主任", _("office director")
    DEPUTY = "副主任", _("deputy office director")
    STAFF = "工作人员", _("office staff member")


class BranchBuilding(TimeStampedModel):
    """A building a corridor party branch covers ("包楼连片"); the building lies in the branch's estate (the
    service checks it: the database cannot see the tree)."""

    branch = models.ForeignKey("core.Organisation", verbose_name=_("corridor party branch"),
                               on_delete=models.CASCADE, related_name="covered_buildings")
    building = models.ForeignKey("core.Place", verbose_name=_("covered building"), on_delete=models.PROTECT,
                                 related_name="covering_branches")

    scope_path = "building__path"

    class Meta:
        verbose_name = _("building covered by a party branch")
        verbose_name_plural = _("buildings covered by party branches")
        ordering = ["branch", "building__path"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "building"], name="branchbuilding_branch_building_once"),
        ]

    def __str__(self) -> str:
        return f"{self.branch} — {self.building}"
