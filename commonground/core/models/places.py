"""The place tree: district → street → community → estate → building → corridor → flat,
with business communities, office buildings, grids and facilities hanging from it.

Each place stores a materialised path of fixed-width decimal segments (one per ancestor,
its own id last), so "everything under X" is a single indexed range query on any database
and any collation: digits-only strings sort the same way everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

from .base import AreaField, AuditHistory, TimeStampedModel

if TYPE_CHECKING:
    from collections.abc import Iterable

SEGMENT_WIDTH = 10  # ids below 10^10 per segment


class PlaceKind(models.TextChoices):
    DISTRICT = "district", _("district")
    STREET = "street", _("street")
    COMMUNITY = "community", _("community")
    ESTATE = "estate", _("estate")
    BUILDING = "building", _("building")
    CORRIDOR = "corridor", _("corridor")
    FLAT = "flat", _("flat")
    BUSINESS_COMMUNITY = "business_community", _("business community")
    OFFICE_BUILDING = "office_building", _("office building")
    GRID = "grid", _("grid")
    FACILITY = "facility", _("facility")


# Which kinds may sit directly under which: the service refuses anything else.
ALLOWED_PARENT_KINDS: dict[str, set[str | None]] = {
    PlaceKind.DISTRICT: {None},
    PlaceKind.STREET: {PlaceKind.DISTRICT},
    PlaceKind.COMMUNITY: {PlaceKind.STREET},
    PlaceKind.ESTATE: {PlaceKind.COMMUNITY},
    PlaceKind.BUILDING: {PlaceKind.ESTATE, PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY},
    PlaceKind.CORRIDOR: {PlaceKind.BUILDING},
    PlaceKind.FLAT: {PlaceKind.CORRIDOR, PlaceKind.BUILDING},
    PlaceKind.BUSINESS_COMMUNITY: {PlaceKind.STREET},
    PlaceKind.OFFICE_BUILDING: {PlaceKind.BUSINESS_COMMUNITY, PlaceKind.COMMUNITY, PlaceKind.STREET},
    PlaceKind.GRID: {PlaceKind.COMMUNITY, PlaceKind.STREET, PlaceKind.BUSINESS_COMMUNITY},
    PlaceKind.FACILITY: {
        PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.ESTATE,
        PlaceKind.BUSINESS_COMMUNITY, PlaceKind.GRID,
    },
}


def path_segment(pk: int) -> str:
    return str(pk).zfill(SEGMENT_WIDTH)


def path_upper_bound(path: str) -> str:
    """The smallest path greater than every path that starts with `path`."""
    return path[:-SEGMENT_WIDTH] + str(int(path[-SEGMENT_WIDTH:]) + 1).zfill(SEGMENT_WIDTH)


def within_q(lookup: str, paths: Iterable[str]) -> Q:
    """Q matching rows whose `lookup` path lies under any of `paths` (inclusive)."""
    conditions = [Q(**{f"{lookup}__gte": path, f"{lookup}__lt": path_upper_bound(path)}) for path in paths]
    if not conditions:
        return Q(pk__in=[])
    condition = conditions[0]
    for other in conditions[1:]:
        condition |= other
    return condition


# Sent by place_move after every path under the place was rewritten (old_path, new_path): for what a path
# rewrite cannot move by itself, such as counts kept per community when an estate changes community.
place_moved = Signal()


def scope_columns(model: type[models.Model], path: str) -> dict[str, str]:
    """The values a scoped table stores for a row placed at `path`: the path in its `scope_path` column and the
    street's and community's paths in its `scope_prefixes` columns."""
    prefixes = getattr(model, "scope_prefixes", {})
    return {model.scope_path: path, **{field: path[:segments * SEGMENT_WIDTH] for field, segments in prefixes.items()}}


def is_root_path(path: str) -> bool:
    return len(path) == SEGMENT_WIDTH


def ancestor_ids(path: str) -> list[int]:
    return [int(path[i : i + SEGMENT_WIDTH]) for i in range(0, len(path), SEGMENT_WIDTH)]


class PlaceQuerySet(models.QuerySet["Place"]):
    def within(self, place: Place, *, include_self: bool = True) -> PlaceQuerySet:
        """Places in the subtree of `place`."""
        qs = self.filter(within_q("path", [place.path]))
        return qs if include_self else qs.exclude(pk=place.pk)

    def ancestors(self, place: Place, *, include_self: bool = False) -> PlaceQuerySet:
        """The chain above `place`, root first."""
        ids = ancestor_ids(place.path)
        if not include_self:
            ids = ids[:-1]
        return self.filter(pk__in=ids).order_by("depth")

    def of_kind(self, *kinds: str) -> PlaceQuerySet:
        return self.filter(kind__in=kinds)


class Place(TimeStampedModel):
    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=PlaceKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    outline = models.JSONField(_("outline (GeoJSON)"), null=True, blank=True)
    floor_area_m2 = AreaField(_("floor area (m²)"), null=True, blank=True)
    year_built = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)
    floors = models.PositiveSmallIntegerField(_("floors above ground"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)

    history = AuditHistory(excluded_fields=["path", "depth"])
    objects = PlaceQuerySet.as_manager()

    scope_path = "path"

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "path"], name="place_kind_path")]
        constraints = [
            models.CheckConstraint(condition=Q(floor_area_m2__isnull=True) | Q(floor_area_m2__gt=0),
                                   name="place_floor_area_positive"),
            models.CheckConstraint(condition=Q(floors__isnull=True) | Q(floors__gte=1, floors__lte=200),
                                   name="place_floors_range"),
            models.CheckConstraint(condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                                   name="place_latitude_range"),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: Place) -> bool:
        return self.path.startswith(other.path)

    def get_ancestors(self, *, include_self: bool = False) -> PlaceQuerySet:
        return Place.objects.ancestors(self, include_self=include_self)
