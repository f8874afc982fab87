"""Writes of the three-party offices and the party network: appointing an office's staff and ending their term
(through core's organisation membership services), and the buildings each corridor party branch covers."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import (
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    Person,
    Place,
    PlaceKind,
    User,
)
from commonground.core.permissions import require
from commonground.core.services.organisations import organisation_member_add, organisation_member_update
from commonground.core.services.people import person_create

from ..models import BranchBuilding, OfficePosition


def _locked_office(office: Organisation) -> Organisation:
    return Organisation.objects.select_for_update().select_related("place").get(pk=office.pk)


def serving_q(day: datetime.date) -> Q:
    """Memberships in their term on `day` (no end, or an end on or after it)."""
    return (Q(term_from__isnull=True) | Q(term_from__lte=day)) & (Q(term_to__isnull=True) | Q(term_to__gte=day))


@transaction.atomic
def office_staff_appoint(*, actor: User, office: Organisation, position: str, person: Person | None = None,
                         name: str = "", phone: str = "", term_from: datetime.date | None = None,
                         ) -> OrganisationMembership:
    """Appoint a director (主任), deputy (副主任) or staff member (工作人员) of a three-party office: an existing
    person, or one registered here by name (and phone) at the office's place. An office has one director at a
    time: end the serving director's term first."""
    office = _locked_office(office)
    require(actor, "coordination.view", office)
    require(actor, "coordination.manage", office)
    errors: dict[str, str] = {}
    if office.kind != OrganisationKind.THREE_PARTY_OFFICE:
        errors["office"] = _("Staff are appointed here to three-party offices only.")
    if position not in OfficePosition.values:
        errors["position"] = _("Choose director, deputy director or staff member.")
    term_from = term_from or clock.today()
    name = (name or "").strip()
    if person is None and not name:
        errors["name"] = _("Give the name of the person appointed.")
    if position == OfficePosition.DIRECTOR and office.memberships.filter(
            serving_q(term_from), position=OfficePosition.DIRECTOR).exists():
        errors["position"] = _("The office has a director in office: end their term first.")
    if person is not None and office.memberships.filter(serving_q(term_from), person=person).exists():
        errors["person"] = _("This person already serves in the office.")
    if errors:
        raise ValidationError(errors)
    if person is None:
        person = person_create(name=name, phone=phone.strip(), registered_place=office.place)
    return organisation_member_add(organisation=office, person=person, position=position, term_from=term_from)


@transaction.atomic
def office_staff_end(*, actor: User, membership: OrganisationMembership,
                     term_to: datetime.date | None = None) -> OrganisationMembership:
    """End a staff member's term at a three-party office (on `term_to`, by default today); the record stays."""
    membership = OrganisationMembership.objects.select_for_update().select_related(
        "organisation__place").get(pk=membership.pk)
    require(actor, "coordination.view", membership.organisation)
    require(actor, "coordination.manage", membership.organisation)
    if membership.organisation.kind != OrganisationKind.THREE_PARTY_OFFICE:
        raise ValidationError({"membership": _("Staff are managed here for three-party offices only.")})
    term_to = term_to or clock.today()
    if membership.term_to is not None and membership.term_to <= term_to:
        raise ValidationError({"term_to": _("This term has already ended.")})
    if membership.term_from is not None and term_to < membership.term_from:
        raise ValidationError({"term_to": _("A term cannot end before it began.")})
    return organisation_member_update(membership=membership, term_to=term_to)


def _estate_of(place: Place) -> int | None:
    """The pk of the estate a corridor (or building) lies in, from its path (estates are the 4th segment)."""
    from commonground.core.models.places import ancestor_ids

    ids = ancestor_ids(place.path)
    return ids[3] if len(ids) >= 4 else None


@transaction.atomic
def estate_branch_coverage_set(*, actor: User, estate: Place,
                               coverage: Mapping[Organisation, Sequence[Place]]) -> list[BranchBuilding]:
    """Set the buildings each of an estate's corridor party branches covers (包楼连片): for every branch named
    in `coverage`, exactly the buildings given (others it covered are dropped). Every branch must be a party
    branch of a corridor in `estate`, every building a building of `estate`; one wrong pair refuses the whole
    call and nothing is written."""
    require(actor, "coordination.view", estate)
    require(actor, "coordination.manage", estate)
    if estate.kind != PlaceKind.ESTATE:
        raise ValidationError({"estate": _("Branches' buildings are set per estate.")})
    branch_ids = [branch.pk for branch in coverage]
    branches = {b.pk: b for b in Organisation.objects.select_for_update().select_related("place").filter(
        pk__in=branch_ids)}
    building_ids = {building.pk for buildings in coverage.values() for building in buildings}
    buildings = {b.pk: b for b in Place.objects.filter(pk__in=building_ids)}
    for branch_id in branch_ids:
        branch = branches.get(branch_id)
        if (branch is None or branch.kind != OrganisationKind.PARTY_ORGANISATION
                or branch.place.kind != PlaceKind.CORRIDOR or _estate_of(branch.place) != estate.pk):
            raise ValidationError({"branch": _("Only the corridor party branches of this estate cover its "
                                               "buildings.")})
    for building_id in building_ids:
        building = buildings.get(building_id)
        if building is None or building.kind != PlaceKind.BUILDING or building.parent_id != estate.pk:
            raise ValidationError({"buildings": _("A branch covers buildings of its own estate only: %(name)s "
                                                  "is not one.") % {"name": building.name if building else "?"}})
    wanted = {(branch.pk, building.pk) for branch, chosen in coverage.items() for building in chosen}
    held = {(row.branch_id, row.building_id): row.pk for row in BranchBuilding.objects.filter(branch_id__in=branch_ids)}
    dropped = [pk for pair, pk in held.items() if pair not in wanted]
    if dropped:
        BranchBuilding.objects.filter(pk__in=dropped).delete()
    BranchBuilding.objects.bulk_create([BranchBuilding(branch_id=b, building_id=p) for b, p in sorted(wanted)
                                        if (b, p) not in held])
    return list(BranchBuilding.objects.filter(branch_id__in=branch_ids).select_related("building"))


@transaction.atomic
def branch_buildings_set(*, actor: User, branch: Organisation, buildings: Sequence[Place]) -> list[BranchBuilding]:
    """Set the buildings one corridor party branch covers (see `estate_branch_coverage_set`)."""
    branch = Organisation.objects.select_related("place").get(pk=branch.pk)
    require(actor, "coordination.view", branch)
    estate_id = _estate_of(branch.place) if branch.place.kind == PlaceKind.CORRIDOR else None
    if estate_id is None or branch.kind != OrganisationKind.PARTY_ORGANISATION:
        raise ValidationError({"branch": _("Only the corridor party branches of this estate cover its buildings.")})
    estate = Place.objects.get(pk=estate_id)
    return estate_branch_coverage_set(actor=actor, estate=estate, coverage={branch: list(buildings)})
