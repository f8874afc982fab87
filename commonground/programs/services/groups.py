"""New employment groups: declarations (opt-in, revocable), the zones of a facility, and the couriers' council
(小哥治家会), whose items go to the case engine.

Who writes what:
- A person declares for themselves (any signed-in user with a person record), at the estate where their household
  lives or at a couriers' home; staff with `employment.manage` at that place record one for a resident at the desk.
  One active declaration per person (a database rule); a change of platform withdraws the old declaration and
  records a new one, so the history stays.
- A withdrawn declaration counts nowhere: lists, audiences and figures read active declarations only.
- Zones: staff with `employment.manage` at the facility; each zone's area is positive and the zones together never
  exceed the facility's floor area.
- The couriers' council is a core organisation of kind `couriers_council` based at its home (a facility): staff
  create it and add members, who must hold an active declaration. A council member (a current membership) or staff
  at the home file an item: a case of category `courier-council-item` at the home, through the case engine's intake;
  the item's progress is the case's stage.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import (
    HouseholdMember,
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    Person,
    Place,
    PlaceKind,
    User,
)
from commonground.core.models.places import SEGMENT_WIDTH
from commonground.core.permissions import can, require
from commonground.core.services.organisations import organisation_create, organisation_member_add
from commonground.core.text import clean_text

from ..models import EmploymentDeclaration, EmploymentGroup, FacilityZone

COUNCIL_CATEGORY = "courier-council-item"
ESTATE_PATH_LENGTH = 4 * SEGMENT_WIDTH  # district, street, community, estate
PLATFORM_MAX = 100


# --- where a person may declare ------------------------------------------------------------------------------

def couriers_homes() -> Q:
    """Q over Place: the couriers' homes, i.e. the facilities where a couriers' council (not dissolved) is based."""
    today = clock.today()
    return Q(kind=PlaceKind.FACILITY, pk__in=Organisation.objects.of_kind(OrganisationKind.COURIERS_COUNCIL)
             .active_on(today).values("place_id"))


def declaration_places(person: Person) -> list[Place]:
    """Where `person` may declare: the estates of the flats their households live in, and the couriers' homes."""
    flats = HouseholdMember.objects.filter(person=person).values_list("household__flat__path", flat=True)
    estate_paths = {path[:ESTATE_PATH_LENGTH] for path in flats}
    return list(Place.objects.filter(Q(kind=PlaceKind.ESTATE, path__in=estate_paths) | couriers_homes())
                .order_by("kind", "path"))


def _clean_declaration(person: Person, group: str, platform: str, place: Place | None) -> tuple[str, str]:
    errors: dict[str, str] = {}
    if group not in EmploymentGroup.values:
        errors["group"] = _("Choose courier, takeaway rider, ride-hailing driver or other platform work.")
    platform = clean_text(platform or "", multiline=False).strip()
    if not platform or len(platform) > PLATFORM_MAX:
        errors["platform"] = _("Name the platform or company you work for (at most %(max)d characters).") % {
            "max": PLATFORM_MAX}
    if place is None or place.pk not in {p.pk for p in declaration_places(person)}:
        errors["place"] = _("Choose the estate where you live or a couriers' home.")
    if errors:
        raise ValidationError(errors)
    return group, platform


def _may_declare_for(actor: User, person: Person, place: Place | None) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("You do not have permission to do this here."))
    if getattr(actor, "person_id", None) == person.pk:
        return
    if place is None or not can(actor, "employment.manage", place):
        raise PermissionDenied(_("You do not have permission to do this here."))


def _new_declaration(actor: User, person: Person, group: str, platform: str, place: Place) -> EmploymentDeclaration:
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one declaration at a time per person
    if EmploymentDeclaration.objects.filter(person=person, revoked_at__isnull=True).exists():
        raise ValidationError({"group": _("There is an active declaration already: change or withdraw it.")})
    return EmploymentDeclaration.objects.create(
        person=person, group=group, platform=platform, place=place, place_path=place.path,
        declared_at=clock.now(), declared_by=actor)


@transaction.atomic
def declaration_create(*, actor: User, person: Person, group: str, platform: str,
                       place: Place | None) -> EmploymentDeclaration:
    """Declare `person` a courier, rider or driver of `platform` at `place`: themselves, or staff at the desk."""
    _may_declare_for(actor, person, place)
    group, platform = _clean_declaration(person, group, platform, place)
    assert place is not None
    return _new_declaration(actor, person, group, platform, place)


def _locked(declaration: EmploymentDeclaration) -> EmploymentDeclaration:
    return EmploymentDeclaration.objects.select_for_update().get(pk=declaration.pk)


@transaction.atomic
def declaration_revoke(*, actor: User, declaration: EmploymentDeclaration) -> EmploymentDeclaration:
    """Withdraw a declaration (the person themselves, or staff at its place). It stays on record as withdrawn."""
    require(actor, "employment.manage", declaration)
    declaration = _locked(declaration)
    if declaration.revoked_at is not None:
        raise ValidationError({"revoked_at": _("This declaration was withdrawn already.")})
    declaration.revoked_at = max(clock.now(), declaration.declared_at)
    declaration.save(update_fields=["revoked_at", "updated_at"])
    return declaration


@transaction.atomic
def declaration_change(*, actor: User, declaration: EmploymentDeclaration, group: str, platform: str,
                       place: Place | None = None) -> EmploymentDeclaration:
    """A new group or platform: the active declaration is withdrawn and a new one recorded (history kept)."""
    require(actor, "employment.manage", declaration)
    person = declaration.person
    place = place or declaration.place
    _may_declare_for(actor, person, place)
    group, platform = _clean_declaration(person, group, platform, place)
    old = _locked(declaration)
    if old.revoked_at is not None:
        raise ValidationError({"group": _("This declaration was withdrawn already; declare again instead.")})
    if (old.group, old.platform, old.place_id) == (group, platform, place.pk):
        raise ValidationError({"platform": _("Nothing changed: the declaration says this already.")})
    declaration_revoke(actor=actor, declaration=old)
    return _new_declaration(actor, person, group, platform, place)


# --- facilities' zones ---------------------------------------------------------------------------------------

def _clean_zone(facility: Place, name: str, purpose: str, area_m2: Decimal | None,
                zone: FacilityZone | None) -> tuple[str, str, Decimal | None]:
    errors: dict[str, str] = {}
    name = clean_text(name or "", multiline=False).strip()
    purpose = clean_text(purpose or "", multiline=False).strip()
    if not name or len(name) > 100:
        errors["name"] = _("Name the zone (at most 100 characters).")
    elif FacilityZone.objects.filter(facility=facility, name=name).exclude(pk=zone.pk if zone else None).exists():
        errors["name"] = _("This facility has a zone of that name already.")
    if len(purpose) > 200:
        errors["purpose"] = _("Say what the zone is for in at most 200 characters.")
    if area_m2 is not None:
        area_m2 = Decimal(area_m2)
        others = (FacilityZone.objects.filter(facility=facility).exclude(pk=zone.pk if zone else None)
                  .aggregate(s=Sum("area_m2"))["s"] or Decimal(0))
        if area_m2 <= 0:
            errors["area_m2"] = _("A zone's area is more than 0 m².")
        elif facility.floor_area_m2 is not None and others + area_m2 > facility.floor_area_m2:
            errors["area_m2"] = _("The zones would cover %(total)s m², more than the facility's %(floor)s m²; "
                                  "%(left)s m² are left.") % {
                "total": others + area_m2, "floor": facility.floor_area_m2,
                "left": max(facility.floor_area_m2 - others, Decimal(0))}
    if errors:
        raise ValidationError(errors)
    return name, purpose, area_m2


def _locked_facility(facility: Place) -> Place:
    facility = Place.objects.select_for_update().get(pk=facility.pk)  # zones of one facility: one writer at a time
    if facility.kind != PlaceKind.FACILITY:
        raise ValidationError({"facility": _("Only a facility is divided into zones.")})
    return facility


@transaction.atomic
def zone_create(*, actor: User, facility: Place, name: str, purpose: str = "",
                area_m2: Decimal | None = None) -> FacilityZone:
    require(actor, "employment.manage", facility)
    facility = _locked_facility(facility)
    name, purpose, area_m2 = _clean_zone(facility, name, purpose, area_m2, None)
    return FacilityZone.objects.create(facility=facility, name=name, purpose=purpose, area_m2=area_m2)


@transaction.atomic
def zone_update(*, actor: User, zone: FacilityZone, name: str, purpose: str = "",
                area_m2: Decimal | None = None) -> FacilityZone:
    require(actor, "employment.manage", zone)
    facility = _locked_facility(zone.facility)
    zone = FacilityZone.objects.select_for_update().get(pk=zone.pk)
    zone.name, zone.purpose, zone.area_m2 = _clean_zone(facility, name, purpose, area_m2, zone)
    zone.save(update_fields=["name", "purpose", "area_m2", "updated_at"])
    return zone


# --- the couriers' council -----------------------------------------------------------------------------------

def current_members(council: Organisation, day: datetime.date | None = None):
    day = day or clock.today()
    return council.memberships.filter(Q(term_from__isnull=True) | Q(term_from__lte=day),
                                      Q(term_to__isnull=True) | Q(term_to__gte=day))


@transaction.atomic
def council_create(*, actor: User, home: Place, name: str,
                   established_on: datetime.date | None = None) -> Organisation:
    """The couriers' council of a facility (it makes the facility a couriers' home): staff at the facility, through
    the core organisation service (whose own check is the staff's `employment.manage` here)."""
    require(actor, "employment.manage", home)
    home = _locked_facility(home)
    if Organisation.objects.of_kind(OrganisationKind.COURIERS_COUNCIL).active_on(clock.today()).filter(
            place=home).exists():
        raise ValidationError({"name": _("This facility has a couriers' council already.")})
    return organisation_create(name=name, kind=OrganisationKind.COURIERS_COUNCIL, place=home,
                               established_on=established_on or clock.today())


@transaction.atomic
def council_member_add(*, actor: User, council: Organisation, person: Person, position: str = "",
                       term_from: datetime.date | None = None) -> OrganisationMembership:
    """A courier joins the council: staff at the home; the person holds an active declaration."""
    require(actor, "employment.manage", council.place)
    if council.kind != OrganisationKind.COURIERS_COUNCIL:
        raise ValidationError({"council": _("This organisation is not a couriers' council.")})
    if not EmploymentDeclaration.objects.filter(person=person, revoked_at__isnull=True).exists():
        raise ValidationError({"person": _("Council members are couriers, riders or drivers with an active "
                                           "declaration.")})
    if current_members(council).filter(person=person).exists():
        raise ValidationError({"person": _("This person is a member of the council already.")})
    return organisation_member_add(organisation=council, person=person, position=position,
                                   term_from=term_from or clock.today())


def may_file_item(actor: User, council: Organisation) -> bool:
    """A current member of the council, or staff at its home."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if can(actor, "employment.manage", council.place):
        return True
    person_id = getattr(actor, "person_id", None)
    return bool(person_id) and current_members(council).filter(person_id=person_id).exists()


@transaction.atomic
def council_item_file(*, actor: User, council: Organisation, description: str):
    """File an item of the council: a case of category `courier-council-item` at the council's home, through the
    case engine's intake (its rules on descriptions and on who may report apply). Staff file it as taken down on
    the spot; a member as reported on the web, and sees it as their own case."""
    from commonground.cases.models import Category, Channel
    from commonground.cases.services.intake import case_report

    if council.kind != OrganisationKind.COURIERS_COUNCIL or not may_file_item(actor, council):
        raise PermissionDenied(_("Only the council's members and the home's staff file council items."))
    staff = can(actor, "employment.manage", council.place) and can(actor, "case.add_on_behalf")
    return case_report(actor=actor, category=Category.objects.get(code=COUNCIL_CATEGORY), description=description,
                       place=council.place, channel=Channel.STAFF if staff else Channel.WEB)
