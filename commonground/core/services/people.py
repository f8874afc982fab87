"""Writes to people, households and ownership."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from ..models import (
    Household,
    HouseholdMember,
    Organisation,
    Ownership,
    Person,
    Place,
    PlaceKind,
    Relation,
    User,
)
from ..models.people import PHONE_TAIL_LENGTH
from ..validators import id_number_birth_date, id_number_gender, normalise_id_number
from . import permit, permit_stored

FLAT_KINDS = {PlaceKind.FLAT}


def pinyin_of(name: str) -> str:
    return " ".join(lazy_pinyin(name))


def initials_of(name: str) -> str:
    """张三丰 → "zsf", 欧阳 Li → "oyl": the first letter of each syllable or word, lower case."""
    words = " ".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).split()
    return "".join(word[0] for word in words if word[0].isascii() and word[0].isalpha()).lower()[:100]


def search_keys(name: str, phone: str) -> dict[str, str]:
    """The derived columns a person is found by: every writer of Person rows (services, roster import, the
    demo's bulk insert) sets them from here, so search and the database constraint agree."""
    return {"name_pinyin": pinyin_of(name), "name_initials": initials_of(name),
            "phone_tail": phone[-PHONE_TAIL_LENGTH:]}


def _fill_derived(person: Person) -> None:
    person.name = person.name.strip()
    if person.id_number:
        person.id_number = normalise_id_number(person.id_number)
    person.phone = (person.phone or "").strip()
    for field, value in search_keys(person.name, person.phone).items():
        setattr(person, field, value)


@transaction.atomic
def person_create(
    *, name: str, id_number: str | None = None, phone: str = "", registered_place: Place | None = None,
    actor: User | None = None,
) -> Person:
    """Register a person; gender and birth date come from the ID number when there is one. `actor` may
    "person.add" at `registered_place` (a person registered nowhere only who may add people everywhere)."""
    permit(actor, "person.add", registered_place)
    person = Person(name=name, id_number=id_number or None, phone=phone, registered_place=registered_place)
    _fill_derived(person)
    person.full_clean()
    if person.id_number:
        person.gender = id_number_gender(person.id_number)
        person.birth_date = id_number_birth_date(person.id_number)
    person.save()
    return person


@transaction.atomic
def person_update(
    *, person: Person, name: str | None = None, phone: str | None = None, id_number: str | None = None,
    actor: User | None = None,
) -> Person:
    """Change a person's name, phone or ID number (None leaves a field alone; an empty ID number clears it);
    `actor` may "person.change" them, and change the numbers only where they may see them in full. A new ID
    number sets gender and birth date again."""
    permit(actor, "person.change", person)
    if phone is not None or id_number is not None:
        permit(actor, "person.view_personal_data", person)
    if name is not None:
        person.name = name
    if phone is not None:
        person.phone = phone
    if id_number is not None:
        person.id_number = normalise_id_number(id_number) or None
    _fill_derived(person)
    person.full_clean()
    if id_number and person.id_number:
        person.gender = id_number_gender(person.id_number)
        person.birth_date = id_number_birth_date(person.id_number)
    person.save()
    return person


def _require_flat(place: Place) -> None:
    if place.kind not in FLAT_KINDS:
        raise ValidationError({"flat": _("%(place)s is not a flat.") % {"place": place.name}})


@transaction.atomic
def household_create(
    *, flat: Place, head: Person, members: list[tuple[Person, str]] = (), registered_on: datetime.date | None = None,
    actor: User | None = None,
) -> Household:
    """A household at `flat` with its head and other members (person, relation); `actor` may "household.add" there."""
    permit(actor, "household.add", flat)
    _require_flat(flat)
    household = Household.objects.create(flat=flat, head=head, registered_on=registered_on)
    HouseholdMember.objects.create(household=household, person=head, relation=Relation.HEAD)
    for person, relation in members:
        if relation == Relation.HEAD:
            raise ValidationError(_("A household has exactly one head."))
        HouseholdMember.objects.create(household=household, person=person, relation=relation)
    return household


@transaction.atomic
def household_update(
    *, household: Household, registered_on: datetime.date | None, actor: User | None = None
) -> Household:
    """Change when a household was registered; `actor` may "household.change" it."""
    permit(actor, "household.change", household)
    household.registered_on = registered_on
    household.full_clean()
    household.save()
    return household


@transaction.atomic
def ownership_create(
    *, flat: Place, exclusive_area_m2: Decimal, person: Person | None = None,
    organisation: Organisation | None = None, acquired_on: datetime.date | None = None,
    actor: User | None = None,
) -> Ownership:
    """Record a title: a person, or the developer for an unsold flat. Co-owners share the flat's area.
    `actor` may "ownership.add" at `flat`."""
    permit(actor, "ownership.add", flat)
    _require_flat(flat)
    if (person is None) == (organisation is None):
        raise ValidationError(_("An ownership is held by either a person or an organisation."))
    other_area = (
        Ownership.objects.filter(flat=flat, ended_on__isnull=True).values_list("exclusive_area_m2", flat=True).first()
    )
    if other_area is not None and other_area != exclusive_area_m2:
        raise ValidationError(
            {"exclusive_area_m2": _("Co-owners of one flat share its registered area (%(area)s m²).")
             % {"area": other_area}}
        )
    ownership = Ownership(
        flat=flat, person=person, organisation=organisation, exclusive_area_m2=exclusive_area_m2,
        acquired_on=acquired_on,
    )
    ownership.full_clean()
    ownership.save()
    return ownership


@transaction.atomic
def ownership_end(*, ownership: Ownership, ended_on: datetime.date, actor: User | None = None) -> Ownership:
    """Record the day a title ended; `actor` may "ownership.change" it."""
    permit(actor, "ownership.change", ownership)
    ownership.ended_on = ended_on
    ownership.full_clean()
    ownership.save()
    return ownership


@transaction.atomic
def household_member_save(*, member: HouseholdMember, actor: User | None = None) -> HouseholdMember:
    """Add a member to a household, or change a member's relation; a household keeps one head. `actor` may
    "householdmember.add" (or ".change") in the member's household."""
    if member.pk:
        permit_stored(actor, "householdmember.change", member)
    permit(actor, "householdmember.change" if member.pk else "householdmember.add", member.household)
    if member.relation == Relation.HEAD and HouseholdMember.objects.filter(
        household=member.household, relation=Relation.HEAD
    ).exclude(pk=member.pk).exists():
        raise ValidationError({"relation": _("A household has exactly one head.")})
    if HouseholdMember.objects.filter(household=member.household, person=member.person).exclude(pk=member.pk).exists():
        raise ValidationError({"person": _("%(name)s is already a member of this household.")
                               % {"name": member.person.name}})
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def household_member_remove(*, member: HouseholdMember, actor: User | None = None) -> None:
    """Take a member (not the head) out of a household; `actor` may "householdmember.delete" them."""
    permit_stored(actor, "householdmember.delete", member)
    if member.relation == Relation.HEAD:
        raise ValidationError(_("The head of a household cannot be removed; name another head first."))
    member.delete()
