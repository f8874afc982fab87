"""Setting up a campaign: the project on its estate and its households from the ownership register."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import Ownership, Place, PlaceKind, User
from commonground.core.models.places import ancestor_ids, scope_columns
from commonground.core.services import permit

from ..models import AgreementsState, Household, Project
from ..rules import MIN_EFFECT_THRESHOLD, comment_days

FLAT_NUMBER = re.compile(r"(\d+)\D*$")


def flat_floor(flat: Place) -> int:
    """The floor of a flat numbered as Chinese flats are (301 is on the 3rd floor, 1201 on the 12th)."""
    match = FLAT_NUMBER.search(flat.code) or FLAT_NUMBER.search(flat.name)
    number = int(match.group(1)) if match else 0
    return max(number // 100, 1)


def validate_project(project: Project) -> None:
    """The project's own rules, before the database's constraints: thresholds, periods, the comment period."""
    errors: dict[str, str] = {}
    if not (MIN_EFFECT_THRESHOLD <= project.effect_threshold <= 1):
        errors["effect_threshold"] = _("The signing threshold for effect must be between 80% and 100%.")
    if not (0 < project.consent_threshold <= 1):
        errors["consent_threshold"] = _("The consent threshold must be above 0% and at most 100%.")
    if project.signing_from and project.signing_until and project.signing_until < project.signing_from:
        errors["signing_until"] = _("The signing period must end after it starts.")
    if project.survey_from and project.survey_until and project.survey_until < project.survey_from:
        errors["survey_until"] = _("The consent survey must end after it starts.")
    if project.plan_published_on and project.comment_until and \
            (project.comment_until - project.plan_published_on).days < comment_days():
        errors["comment_until"] = _("The plan must stay published for comment for at least %(days)d days.") % {
            "days": comment_days()}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_create(
    *, actor: User | None, estate: Place, name: str, effect_threshold: Decimal = Decimal("0.8"),
    consent_threshold: Decimal = Decimal("0.9"), register_on: datetime.date | None = None, **phases: datetime.date,
) -> Project:
    """Open a campaign on `estate` and take its households from the ownership register as it stood on
    `register_on` (today by default): one household per flat with an owner, its co-owners and certified area.
    `actor` may "renewal.manage" at the estate."""
    if estate.kind != PlaceKind.ESTATE:
        raise ValidationError({"estate": _("A renewal project is set up on an estate.")})
    permit(actor, "renewal.manage", estate)
    project = Project(name=name.strip(), estate=estate, estate_path=estate.path, effect_threshold=effect_threshold,
                      consent_threshold=consent_threshold, **phases)
    validate_project(project)
    project.full_clean()
    project.save()
    households_from_register(project, register_on or clock.today())
    return project


PHASES = ("mobilised_on", "survey_from", "survey_until", "plan_published_on", "comment_until", "assessment_from",
          "signing_from", "signing_until", "selection_from", "done_on")
UPDATABLE = ("name", "consent_threshold", "effect_threshold", *PHASES)


@transaction.atomic
def project_update(*, actor: User | None, project: Project, **fields: object) -> Project:
    """Change the project's name, thresholds or phase dates (any of UPDATABLE; a date may be None). The signing
    threshold for effect is fixed once the agreements have taken effect or lapsed. `actor` may "renewal.manage"
    the project. Returns the project as saved."""
    unknown = set(fields) - set(UPDATABLE)
    if unknown:
        raise TypeError(f"project_update() cannot change {', '.join(sorted(unknown))}")
    permit(actor, "renewal.manage", project)
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if "effect_threshold" in fields and fields["effect_threshold"] != locked.effect_threshold \
            and locked.agreements_state != AgreementsState.PENDING:
        raise ValidationError({"effect_threshold": _(
            "The signing threshold for effect cannot change once the agreements have taken effect or lapsed.")})
    if "name" in fields:
        fields["name"] = str(fields["name"] or "").strip()
    for field, value in fields.items():
        setattr(locked, field, value)
    validate_project(locked)
    locked.full_clean()
    locked.save()
    return locked


def households_from_register(project: Project, on: datetime.date) -> list[Household]:
    """The project's households: every flat of the estate with an owner on `on`."""
    estate = project.estate
    ownerships = (Ownership.objects.filter(flat__path__startswith=estate.path)
                  .filter(Q(acquired_on__isnull=True) | Q(acquired_on__lte=on))
                  .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
                  .select_related("flat", "person", "organisation").order_by("flat__path", "pk"))
    by_flat: dict[int, list[Ownership]] = defaultdict(list)
    for ownership in ownerships:
        by_flat[ownership.flat_id].append(ownership)
    if not by_flat:
        raise ValidationError({"estate": _("The ownership register has no owners on this estate.")})
    buildings = set(Place.objects.filter(path__startswith=estate.path, kind=PlaceKind.BUILDING)
                    .values_list("pk", flat=True))
    households, owners = [], []
    for rows in by_flat.values():
        flat = rows[0].flat
        area = flat.floor_area_m2 or max((row.exclusive_area_m2 or Decimal(0)) for row in rows)
        if not area or area <= 0:
            raise ValidationError({"estate": _("Flat %(flat)s has no certified area in the register.") % {
                "flat": flat.name}})
        names = [str(row.person or row.organisation) for row in rows]
        household = Household(project=project, flat=flat, building_id=building_of(flat, buildings), area_m2=area,
                              floor=flat_floor(flat), owner_names="、".join(names)[:200],
                              **scope_columns(Household, flat.path))
        households.append(household)
        owners.append([row.person_id for row in rows if row.person_id])
    Household.objects.bulk_create(households)
    Through = Household.owners.through
    Through.objects.bulk_create([Through(household_id=household.pk, person_id=person_id)
                                 for household, people in zip(households, owners, strict=True) for person_id in people])
    return households


def building_of(flat: Place, buildings: set[int]) -> int:
    """The building above a flat, among the estate's `buildings`."""
    for place_id in reversed(ancestor_ids(flat.path)):
        if place_id in buildings:
            return place_id
    raise ValidationError({"estate": _("Flat %(flat)s lies in no building.") % {"flat": flat.name}})
